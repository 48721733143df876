/**
 * The fixtures of this folder's tests (fixtures/make_fixtures.py) as the builders take them.
 * Tests read the JSON themselves (core code may not use Node APIs) and pass it here.
 */
import type { TraceEvent } from '../documents.js';
import type { SampleCapture } from './sampled-profile.js';

/** A py-spy fixture as the SampleCapture src/sampler/ would hand over. */
export function captureFrom(fixture: unknown, overrides: Partial<SampleCapture> = {}): SampleCapture {
  const f = fixture as Omit<SampleCapture, 'tool' | 'errors'>;
  return {
    tool: { name: 'py-spy', version: '0.4.3' },
    rateHz: f.rateHz,
    traceEvents: f.traceEvents,
    gilTraceEvents: f.gilTraceEvents,
    threadCpu: f.threadCpu,
    processes: f.processes,
    durationMs: f.durationMs,
    errors: [],
    ...overrides,
  };
}

/** A VizTracer fixture's events. */
export function eventsFrom(fixture: unknown): TraceEvent[] {
  return (fixture as { traceEvents: TraceEvent[] }).traceEvents;
}
