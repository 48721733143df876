/**
 * Web jobs: each Run, Profile, Verify or lesson example becomes a job with an id at once, runs
 * through the shared queue and sandbox, streams its output and state to any number of
 * subscribers (SSE connections, so a reloaded page or a second tab re-attaches), and is stored
 * with its full result. Live jobs are kept in memory; finished ones are read back from the store.
 */
import { randomUUID } from 'node:crypto';
import type { JobEvent, JobKind, JobState, JobView, OutputChunkView } from '../core/api.js';
import type { Runner } from '../runner/runner.js';
import type { JobRecord, Store } from '../store/types.js';
import type { JobOutcome } from './job-kinds.js';
import { ScopedRunner } from './scoped-runner.js';

/** Output kept per job, in characters; the sandbox's own output cap (1 MB by default) is similar. */
const MAX_OUTPUT_CHARS = 1_000_000;
/** How often queue position and elapsed time are re-sent while a job is live. */
const TICK_MS = 250;
/** Finished jobs stay in memory this long for late subscribers before only the store has them. */
const KEEP_FINISHED_MS = 60_000;

export interface JobContext {
  runner: Runner;
  signal: AbortSignal;
  progress(line: string): void;
}

export type JobExecutor = (context: JobContext) => Promise<JobOutcome>;

interface LiveJob {
  record: JobRecord;
  outputChars: number;
  abort: AbortController;
  runner: ScopedRunner;
  subscribers: Set<(event: JobEvent) => void>;
  done: Promise<void>;
  pstatsBase64?: string;
}

export interface JobManagerOptions {
  store: Store;
  runner: Runner;
  learnerId: string;
  log?: { error(obj: unknown, msg?: string): void; info(obj: unknown, msg?: string): void };
}

export class JobManager {
  private readonly live = new Map<string, LiveJob>();
  private readonly artifacts = new Map<string, string>();
  /** Event streams opened (with ?pending=1) for ids whose start request has not arrived yet. */
  private readonly waiting = new Map<string, Set<() => void>>();
  private closing = false;
  private ticker: NodeJS.Timeout;

  constructor(private readonly options: JobManagerOptions) {
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
  }

  get learnerId(): string {
    return this.options.learnerId;
  }

  /** Starts a job and returns its id at once; the job runs in the background. */
  async start(
    kind: JobKind,
    target: string,
    request: unknown,
    execute: JobExecutor,
    clientId?: string,
  ): Promise<string> {
    if (this.closing) throw new ServerClosingError();
    const id = clientId ?? randomUUID();
    if (clientId && (this.live.has(clientId) || (await this.options.store.getJob(clientId))))
      throw new JobIdTakenError(clientId);
    const record: JobRecord = {
      id,
      learnerId: this.options.learnerId,
      kind,
      target,
      state: 'queued',
      createdAt: Date.now(),
      startedAt: null,
      finishedAt: null,
      message: null,
      passed: null,
      request,
      output: [],
      outputTruncated: false,
      progress: [],
      result: null,
    };
    await this.options.store.insertJob(record);
    const abort = new AbortController();
    const job: LiveJob = {
      record,
      outputChars: 0,
      abort,
      runner: null as unknown as ScopedRunner,
      subscribers: new Set(),
      done: Promise.resolve(),
    };
    job.runner = new ScopedRunner(this.options.runner, abort.signal, (chunk) => this.output(job, chunk));
    this.live.set(id, job);
    job.done = this.execute(job, execute);
    for (const wake of this.waiting.get(id) ?? []) wake();
    this.waiting.delete(id);
    return id;
  }

  private async execute(job: LiveJob, execute: JobExecutor): Promise<void> {
    const { record } = job;
    let state: JobState;
    try {
      const outcome = await execute({
        runner: job.runner,
        signal: job.abort.signal,
        progress: (line) => this.progress(job, line),
      });
      state = job.abort.signal.aborted ? 'cancelled' : outcome.failed ? 'failed' : 'finished';
      record.result = outcome.result;
      record.message = job.abort.signal.aborted ? 'cancelled' : outcome.message;
      record.passed = outcome.passed;
      if (outcome.pstatsBase64) this.artifacts.set(record.id, outcome.pstatsBase64);
    } catch (error) {
      if (job.abort.signal.aborted) {
        state = 'cancelled';
        record.message = 'cancelled';
      } else {
        state = 'failed';
        record.message = `perflab could not finish this job: ${(error as Error).message}`;
        this.options.log?.error({ err: error, jobId: record.id }, 'job failed');
      }
    }
    record.state = state;
    record.startedAt ??= Date.now();
    record.finishedAt = Date.now();
    try {
      await this.options.store.updateJob(record.id, {
        state: record.state,
        startedAt: record.startedAt,
        finishedAt: record.finishedAt,
        message: record.message,
        passed: record.passed,
        output: record.output,
        outputTruncated: record.outputTruncated,
        progress: record.progress,
        result: withArtifacts(record.result, this.artifacts.get(record.id)),
      });
    } catch (error) {
      this.options.log?.error({ err: error, jobId: record.id }, 'could not store the job result');
    }
    const view = this.viewOf(record, 0);
    for (const subscriber of job.subscribers) subscriber({ type: 'end', job: view });
    job.subscribers.clear();
    setTimeout(() => {
      this.live.delete(record.id);
      this.artifacts.delete(record.id);
    }, KEEP_FINISHED_MS).unref();
  }

  private output(job: LiveJob, chunk: OutputChunkView): void {
    if (job.outputChars >= MAX_OUTPUT_CHARS) {
      job.record.outputTruncated = true;
      return;
    }
    const text = chunk.text.slice(0, MAX_OUTPUT_CHARS - job.outputChars);
    job.outputChars += text.length;
    if (text.length < chunk.text.length) job.record.outputTruncated = true;
    const kept = { stream: chunk.stream, text, tMs: chunk.tMs };
    job.record.output.push(kept);
    this.emit(job, { type: 'output', chunk: kept });
  }

  private progress(job: LiveJob, line: string): void {
    job.record.progress.push(line);
    this.emit(job, { type: 'progress', line });
  }

  private emit(job: LiveJob, event: JobEvent): void {
    for (const subscriber of job.subscribers) subscriber(event);
  }

  private tick(): void {
    for (const job of this.live.values()) {
      if (job.record.finishedAt !== null) continue;
      const phase = job.runner.phase();
      if (phase.state === 'running' && job.record.state === 'queued') {
        job.record.state = 'running';
        job.record.startedAt = Date.now();
        this.options.store
          .updateJob(job.record.id, { state: 'running', startedAt: job.record.startedAt })
          .catch((error: unknown) => this.options.log?.error({ err: error }, 'could not store job state'));
      }
      this.emit(job, this.stateEvent(job.record, phase.queuePosition));
    }
  }

  private stateEvent(record: JobRecord, queuePosition: number): JobEvent {
    return {
      type: 'state',
      state: record.state,
      queuePosition,
      elapsedMs: (record.finishedAt ?? Date.now()) - record.createdAt,
    };
  }

  /** The job as it is now: live from memory, or from the store. Null when unknown. */
  async get(id: string): Promise<JobView | null> {
    const job = this.live.get(id);
    if (job) return this.viewOf(job.record, job.runner.phase().queuePosition);
    const record = await this.options.store.getJob(id);
    if (!record || record.learnerId !== this.options.learnerId) return null;
    return this.viewOf(record, 0);
  }

  /** Resolves true once a job with this id exists (now or within `timeoutMs`), false if none came. */
  async waitForJob(id: string, timeoutMs: number): Promise<boolean> {
    if (this.live.has(id) || (await this.options.store.getJob(id))) return true;
    if (this.closing) return false;
    return new Promise<boolean>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiting.get(id)?.delete(wake);
        if (this.waiting.get(id)?.size === 0) this.waiting.delete(id);
        resolve(this.live.has(id));
      }, timeoutMs);
      const set = this.waiting.get(id) ?? new Set();
      set.add(wake);
      this.waiting.set(id, set);
    });
  }

  /**
   * Replays the job so far to `listener`, then follows it live until its `end` event.
   * Returns an unsubscribe function; null when the job does not exist.
   */
  async subscribe(id: string, listener: (event: JobEvent) => void): Promise<(() => void) | null> {
    const job = this.live.get(id);
    if (!job) {
      const view = await this.get(id);
      if (!view) return null;
      replay(view, listener);
      listener({ type: 'end', job: view });
      return () => {};
    }
    const view = this.viewOf(job.record, job.runner.phase().queuePosition);
    replay(view, listener);
    if (job.record.finishedAt !== null) {
      listener({ type: 'end', job: view });
      return () => {};
    }
    job.subscribers.add(listener);
    return () => job.subscribers.delete(listener);
  }

  /** Cancels a queued or running job. False when it is unknown; finished jobs are left as they are. */
  async cancel(id: string): Promise<JobView | null> {
    const job = this.live.get(id);
    if (!job) return this.get(id);
    if (job.record.finishedAt === null) {
      job.abort.abort();
      await job.done;
    }
    return this.viewOf(job.record, 0);
  }

  async list(target: string | undefined, limit: number): Promise<JobView[]> {
    const records = await this.options.store.listJobs({ learnerId: this.options.learnerId, target, limit });
    return records.map((r) => {
      const live = this.live.get(r.id);
      return this.viewOf(live ? live.record : r, live ? live.runner.phase().queuePosition : 0);
    });
  }

  /** The raw pstats bytes of a profile job, base64; null when the job has none. */
  async pstatsOf(id: string): Promise<string | null> {
    const cached = this.artifacts.get(id);
    if (cached) return cached;
    const record = await this.options.store.getJob(id);
    if (!record || record.learnerId !== this.options.learnerId) return null;
    const stored = (record.result as { pstatsBase64?: unknown } | null)?.pstatsBase64;
    return typeof stored === 'string' ? stored : null;
  }

  runningCount(): number {
    return [...this.live.values()].filter((j) => j.record.finishedAt === null).length;
  }

  /**
   * Graceful shutdown: refuse new jobs, let running ones finish for up to `graceMs`, then
   * cancel what is left (killing their sandboxes) and wait for every job to be stored.
   */
  async close(graceMs: number): Promise<void> {
    this.closing = true;
    const pending = [...this.live.values()].filter((j) => j.record.finishedAt === null);
    for (const job of pending) if (job.runner.phase().state !== 'running') job.abort.abort();
    const all = Promise.all(pending.map((j) => j.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) for (const job of pending) job.abort.abort();
    await all;
    clearInterval(this.ticker);
  }

  private viewOf(record: JobRecord, queuePosition: number): JobView {
    const result = record.result as Record<string, unknown> | null;
    let publicResult: Record<string, unknown> | null = null;
    if (result) {
      const { pstatsBase64: _raw, ...rest } = result;
      publicResult = rest;
    }
    return {
      id: record.id,
      kind: record.kind,
      target: record.target,
      state: record.state,
      createdAt: record.createdAt,
      startedAt: record.startedAt,
      finishedAt: record.finishedAt,
      message: record.message,
      passed: record.passed,
      queuePosition,
      output: record.output as OutputChunkView[],
      outputTruncated: record.outputTruncated,
      progress: record.progress,
      result: publicResult,
    };
  }
}

function replay(view: JobView, listener: (event: JobEvent) => void): void {
  listener({
    type: 'state',
    state: view.state,
    queuePosition: view.queuePosition,
    elapsedMs: (view.finishedAt ?? Date.now()) - view.createdAt,
  });
  for (const line of view.progress) listener({ type: 'progress', line });
  for (const chunk of view.output) listener({ type: 'output', chunk });
}

/** The stored result carries the pstats bytes so downloads survive a restart; views strip them. */
function withArtifacts(result: unknown, pstatsBase64: string | undefined): unknown {
  if (!pstatsBase64 || typeof result !== 'object' || result === null) return result;
  return { ...result, pstatsBase64 };
}

export class JobIdTakenError extends Error {
  override name = 'JobIdTakenError';
  constructor(id: string) {
    super(`a job with id ${id} already exists; pick a fresh id (or leave it out)`);
  }
}

export class ServerClosingError extends Error {
  override name = 'ServerClosingError';
  constructor() {
    super('the server is shutting down and accepts no new jobs');
  }
}
