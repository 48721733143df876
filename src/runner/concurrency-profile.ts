/**
 * The profilers that see a whole concurrent program — py-spy's samples of every thread and
 * process, VizTracer's timeline, memray's allocations at the peak — as one call for every
 * caller (the web job, `perflab profile`, lesson blocks, the bench). Each runs the program once
 * and returns the view models, the files to download and one sentence.
 *
 * Trust: py-spy's samples and the kernel's CPU times come from the host; VizTracer's and
 * memray's documents come from inside the learner process, so they are for display only.
 */
import type { ArtifactName } from '../core/api.js';
import { buildSampledProfile } from '../core/concurrency/sampled-profile-build.js';
import type { SampledProfile } from '../core/concurrency/sampled-profile.js';
import { sampledToSpeedscope } from '../core/concurrency/sampled-speedscope.js';
import type { Timeline } from '../core/concurrency/timeline.js';
import { timelineFromPySpy } from '../core/concurrency/timeline-pyspy.js';
import { timelineFromVizTracer } from '../core/concurrency/timeline-viztracer.js';
import { describeConcurrency } from '../core/concurrency/timeline-overlap.js';
import type { HarnessResultOf, MemoryFrame, MemoryTreeNode } from '../core/documents.js';
import { formatBytes } from '../core/format.js';
import type { ProfiledProgram } from './profile-pipeline.js';
import type { AnyJobReport, JobReport, Runner } from './runner.js';

export type ConcurrencyProfiler = 'sample' | 'timeline' | 'memray';

export interface ConcurrencyProfileOptions {
  /** py-spy's samples per second (default DEFAULT_SAMPLE_RATE_HZ). */
  rateHz?: number;
  /** Also sample which thread holds the GIL (default true). */
  gil?: boolean;
  /** memray: record C/C++ frames too (default true). */
  nativeTraces?: boolean;
  onProgress?: (line: string) => void;
}

export type MemrayView = Omit<HarnessResultOf<'memray'>, 'captureBase64'>;

export interface ConcurrencyProfileResult {
  report: AnyJobReport;
  sampled: SampledProfile | null;
  timeline: Timeline | null;
  memray: MemrayView | null;
  /** Files to offer for download; absent when the run produced none. */
  artifacts: Partial<Record<ArtifactName, Buffer>>;
  /** One sentence: the hot function and its threads, how much ran at once, or the peak and where. */
  message: string;
}

/** py-spy's default rate; measured overhead at this rate is in docs/benchmarks.md. */
export const DEFAULT_SAMPLE_RATE_HZ = 100;
/** VizTracer keeps the earliest this many events (a ~30 MB trace at most). */
export const TIMELINE_MAX_EVENTS = 300_000;
/** memray: leak stacks and peak-tree nodes kept, and the largest capture file sent back (bytes). */
export const MEMRAY_MAX_LEAKS = 50;
export const MEMRAY_MAX_NODES = 2000;
export const MEMRAY_MAX_CAPTURE_BYTES = 16 * 1024 * 1024;

export async function runConcurrencyProfile(
  runner: Runner,
  program: ProfiledProgram,
  profiler: ConcurrencyProfiler,
  options: ConcurrencyProfileOptions = {},
): Promise<ConcurrencyProfileResult> {
  const progress = options.onProgress ?? (() => {});
  if (profiler === 'sample') {
    const rateHz = options.rateHz ?? DEFAULT_SAMPLE_RATE_HZ;
    progress(`sampling every thread and process of ${program.entry} with py-spy at ${rateHz} Hz`);
    const report = await runner.run({
      ...program,
      mode: 'run',
      sample: { rateHz, gil: options.gil ?? true },
    });
    return sampleResult(report, program.entry);
  }
  if (profiler === 'timeline') {
    progress(`recording a timeline of ${program.entry} with VizTracer`);
    const report = await runner.run({
      ...program,
      mode: 'timeline',
      modeOptions: { timeline: { maxEvents: TIMELINE_MAX_EVENTS, logAsync: true } },
    });
    return timelineResult(report);
  }
  progress(`tracing allocations of ${program.entry} with memray`);
  const report = await runner.run({
    ...program,
    mode: 'memray',
    modeOptions: {
      memray: {
        nativeTraces: options.nativeTraces ?? true,
        maxLeaks: MEMRAY_MAX_LEAKS,
        maxNodes: MEMRAY_MAX_NODES,
        maxCaptureBytes: MEMRAY_MAX_CAPTURE_BYTES,
      },
    },
  });
  return memrayResult(report);
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** The profiler's sentence; the run's own when it did not finish cleanly. */
function sentence(report: AnyJobReport, found: string): string {
  return report.status === 'ok' ? found : report.message;
}

const threadWord = (n: number) => (n === 1 ? 'thread' : 'threads');

/** describeConcurrency's sentence as a clause to join to another ("of 3 threads, at most 2 were …"). */
function concurrencyClause(timeline: Timeline): string | null {
  if (!timeline.lanes.some((l) => l.kind !== 'process')) return null;
  const sentence = describeConcurrency(timeline).replace(/\.$/, '');
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

/** The learner's hottest function and every thread it was on top in, then how much ran at once. */
function hotSentence(sampled: SampledProfile, timeline: Timeline): string {
  const top = sampled.hot[0];
  if (!top) return `sampled at ${sampled.rateHz} Hz, but no sample landed in your code`;
  const fn = sampled.functions.find((f) => f.id === top.functionId);
  // Every thread where this function was sampled on top, not only the hottest one.
  const threads = sampled.threads
    .filter((t) => t.functions.some((f) => f.functionId === top.functionId && f.selfSamples > 0))
    .map((t) => t.name);
  const shown =
    threads.slice(0, 4).join(', ') + (threads.length > 4 ? ` and ${threads.length - 4} more` : '');
  const where = fn ? `${fn.name} (${fn.file}:${fn.line})` : 'one function';
  const overlap = concurrencyClause(timeline);
  return (
    `sampled at ${sampled.rateHz} Hz: most time in your code is in ${where}, in ${threadWord(threads.length)} ${shown}` +
    (overlap ? `; ${overlap}` : '')
  );
}

/** From a run with `sample`: the sampled profile, its timeline, py-spy's trace and speedscope files. */
export function sampleResult(report: JobReport<'run'>, name: string): ConcurrencyProfileResult {
  const capture = report.sample ?? null;
  if (!capture) {
    const why = report.sampleError ?? 'the sampler collected nothing';
    return {
      report,
      sampled: null,
      timeline: null,
      memray: null,
      artifacts: {},
      message: report.status === 'ok' ? `not sampled: ${why}` : `${report.message} (not sampled: ${why})`,
    };
  }
  const sampled = buildSampledProfile(capture);
  const timeline = timelineFromPySpy(capture);
  const artifacts: ConcurrencyProfileResult['artifacts'] = {
    'trace.json': json({ traceEvents: capture.traceEvents, displayTimeUnit: 'ms' }),
    'sampled.speedscope.json': json(sampledToSpeedscope(sampled, name)),
  };
  const found = hotSentence(sampled, timeline);
  return { report, sampled, timeline, memray: null, artifacts, message: sentence(report, found) };
}

/** From a timeline run: VizTracer's events as the Timeline, and as a trace.json for Perfetto. */
export function timelineResult(report: JobReport<'timeline'>): ConcurrencyProfileResult {
  const doc = report.document;
  if (!doc)
    return { report, sampled: null, timeline: null, memray: null, artifacts: {}, message: report.message };
  const timeline = timelineFromVizTracer(doc.traceEvents, { droppedEvents: doc.droppedEvents });
  const overlap = concurrencyClause(timeline);
  const dropped = doc.droppedEvents > 0 ? ` (${doc.droppedEvents} events beyond the cap left out)` : '';
  const found = `timeline of ${timeline.lanes.length} lanes${overlap ? `; ${overlap}` : ''}${dropped}`;
  return {
    report,
    sampled: null,
    timeline,
    memray: null,
    artifacts: { 'trace.json': json({ traceEvents: doc.traceEvents, displayTimeUnit: 'ms' }) },
    message: sentence(report, found),
  };
}

/**
 * Where most of the peak was allocated: follow the heaviest child from the root; the deepest
 * frame of the learner's code on that path, else the deepest frame.
 */
export function peakSite(tree: MemoryTreeNode): MemoryFrame | null {
  let node: MemoryTreeNode | undefined = tree;
  let deepest: MemoryFrame | null = null;
  let learner: MemoryFrame | null = null;
  while (node) {
    if (node.frame) {
      deepest = node.frame;
      if (node.frame.origin === 'user') learner = node.frame;
    }
    node = node.children.reduce<MemoryTreeNode | undefined>(
      (a, b) => (!a || b.bytes > a.bytes ? b : a),
      undefined,
    );
  }
  return learner ?? deepest;
}

/** From a memray run: the document without the capture bytes, which become memray.bin. */
export function memrayResult(report: JobReport<'memray'>): ConcurrencyProfileResult {
  const doc = report.document;
  if (!doc)
    return { report, sampled: null, timeline: null, memray: null, artifacts: {}, message: report.message };
  const { captureBase64, ...memray } = doc;
  const artifacts: ConcurrencyProfileResult['artifacts'] =
    captureBase64 !== null ? { 'memray.bin': Buffer.from(captureBase64, 'base64') } : {};
  const site = peakSite(doc.peakTree);
  const where = site ? `, most of it allocated in ${site.name} (${site.file}:${site.line})` : '';
  const leaks = doc.leakedBytes > 0 ? `; ${formatBytes(doc.leakedBytes)} never freed` : '';
  const noFile =
    captureBase64 === null
      ? ` (the capture file, ${formatBytes(doc.captureBytes)}, is too big to download)`
      : '';
  const found = `memory peaked at ${formatBytes(doc.peakBytes)}${where}${leaks}${noFile}`;
  return { report, sampled: null, timeline: null, memray, artifacts, message: sentence(report, found) };
}
