/**
 * A Runner bound to one web job: every sandbox run it submits is cancelled when the job is
 * cancelled, gets the job's output callback, and is counted for the job's queue position.
 * Verification submits several runs; the job is "queued" until the first of them starts.
 */
import type { HarnessMode } from '../core/documents.js';
import type { JobHandle } from '../queue/types.js';
import { Runner, type JobReport, type JobRequest } from '../runner/runner.js';
import type { OutputChunk } from '../sandbox/types.js';

export interface JobPhase {
  state: 'queued' | 'running' | 'idle';
  /** 1 for the next job to start; 0 when running or idle. */
  queuePosition: number;
}

export class ScopedRunner extends Runner {
  private readonly active = new Set<JobHandle<unknown>>();
  private everStarted = false;

  constructor(
    base: Runner,
    private readonly signal: AbortSignal,
    private readonly onOutput?: (chunk: OutputChunk) => void,
  ) {
    super(base.sandbox, base.queue);
    signal.addEventListener('abort', () => {
      for (const handle of this.active) handle.cancel();
    });
  }

  override submit<M extends HarnessMode>(request: JobRequest<M>): JobHandle<JobReport<M>> {
    const handle = super.submit({ ...request, onOutput: request.onOutput ?? this.onOutput });
    if (this.signal.aborted) handle.cancel();
    this.active.add(handle);
    const forget = () => this.active.delete(handle);
    handle.result.then(forget, forget);
    return handle;
  }

  phase(): JobPhase {
    const handles = [...this.active];
    if (handles.some((h) => h.state() === 'running')) this.everStarted = true;
    if (this.everStarted) return { state: 'running', queuePosition: 0 };
    const queued = handles.filter((h) => h.state() === 'queued').map((h) => h.queuePosition());
    if (queued.length === 0) return { state: 'idle', queuePosition: 0 };
    return { state: 'queued', queuePosition: Math.min(...queued) };
  }
}
