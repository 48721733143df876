/**
 * Web jobs: each Run, Profile, Verify or lesson example becomes a job with an id at once, runs
 * through the shared queue and sandbox, streams its output and state to any number of
 * subscribers (SSE connections, so a reloaded page or a second tab re-attaches), and is stored
 * with its full result. Live jobs are kept in memory; finished ones are read back from the store.
 */
import { randomUUID } from 'node:crypto';
import type { ArtifactName, JobEvent, JobKind, JobState, JobView, OutputChunkView } from '../core/api.js';
import type { Runner } from '../runner/runner.js';
import type { JobFile } from '../sandbox/types.js';
import type { JobRecord, Store } from '../store/types.js';
import {
  DEFAULT_MAX_PENDING_JOBS,
  DEFAULT_MAX_PENDING_JOBS_PER_LEARNER,
  JobIdTakenError,
  QueueFullError,
  ServerClosingError,
} from './job-errors.js';
import type { JobOutcome } from './job-kinds.js';
import { jobView, queuedRecord, replay, stateEvent } from './job-views.js';
import {
  artifactIn,
  keepArtifacts,
  storedArtifact,
  withArtifacts,
  type PackedArtifacts,
} from './artifacts.js';
import { IdWaiters } from './id-waiters.js';
import { JobSlots } from './job-slots.js';
import { ScopedRunner, type JobPhase } from './scoped-runner.js';
import { readSpool, removeSpool, writeSpool } from './spool.js';

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
  /** The files given to `start`, read back from the spool when the job's turn came. */
  files: JobFile[];
}

export type JobExecutor = (context: JobContext) => Promise<JobOutcome>;

interface LiveJob {
  record: JobRecord;
  /** Where the job's files wait on disk until it is admitted; null when it has none. */
  spool: string | null;
  outputChars: number;
  abort: AbortController;
  runner: ScopedRunner;
  subscribers: Set<(event: JobEvent) => void>;
  done: Promise<void>;
}

export interface JobManagerOptions {
  store: Store;
  runner: Runner;
  /** Queued jobs' files wait here (one folder per job), not in memory. */
  spoolDir: string;
  /** Default: DEFAULT_MAX_PENDING_JOBS. */
  maxPendingJobs?: number;
  /** Default: DEFAULT_MAX_PENDING_JOBS_PER_LEARNER. */
  maxPendingJobsPerLearner?: number;
  /**
   * Jobs executing at once; the rest wait with their files on disk. Default: the queue's
   * concurrency, so the runner's queue holds about one run per CPU and little else.
   */
  slots?: number;
  log?: { error(obj: unknown, msg?: string): void; info(obj: unknown, msg?: string): void };
}

export interface StartOptions {
  /** A client-made id (the page follows the job before the start request returns). */
  clientId?: string;
  /** Files the job needs when it runs: kept on disk while it waits. */
  files?: JobFile[];
}

export class JobManager {
  private readonly live = new Map<string, LiveJob>();
  /** Downloads of finished jobs still in memory (gzipped, see artifacts.ts), with their learner. */
  private readonly artifacts = new Map<string, { learnerId: string; packed: PackedArtifacts }>();
  /** Event streams opened (with ?pending=1) for ids whose start request has not arrived yet. */
  private readonly waiting = new IdWaiters();
  /** Starts between their limit check and their entry in `live`, per learner. */
  private readonly reserved = new Map<string, number>();
  private reservedTotal = 0;
  private readonly slots: JobSlots<LiveJob>;
  private readonly maxPending: number;
  private readonly maxPendingPerLearner: number;
  private closing = false;
  private ticker: NodeJS.Timeout;

  constructor(private readonly options: JobManagerOptions) {
    this.slots = new JobSlots(options.slots ?? options.runner.queue.stats().concurrency);
    this.maxPending = options.maxPendingJobs ?? DEFAULT_MAX_PENDING_JOBS;
    this.maxPendingPerLearner = options.maxPendingJobsPerLearner ?? DEFAULT_MAX_PENDING_JOBS_PER_LEARNER;
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
  }

  /** Unfinished jobs (waiting or running): of one learner, or of everyone. */
  pendingCount(learnerId?: string): number {
    let count = learnerId === undefined ? this.reservedTotal : (this.reserved.get(learnerId) ?? 0);
    for (const job of this.live.values())
      if (job.record.finishedAt === null && (learnerId === undefined || job.record.learnerId === learnerId))
        count++;
    return count;
  }

  /**
   * Starts a job of `learnerId` and returns its id at once; the job waits for a slot (its
   * files on disk) and runs in the background. Throws QueueFullError when the learner, or the
   * server, has too many unfinished jobs.
   */
  async start(
    learnerId: string,
    kind: JobKind,
    target: string,
    request: unknown,
    execute: JobExecutor,
    startOptions: StartOptions = {},
  ): Promise<string> {
    if (this.closing) throw new ServerClosingError();
    if (this.pendingCount(learnerId) >= this.maxPendingPerLearner)
      throw QueueFullError.ofLearner(this.maxPendingPerLearner);
    if (this.pendingCount() >= this.maxPending) throw QueueFullError.ofServer(this.maxPending);
    this.reserved.set(learnerId, (this.reserved.get(learnerId) ?? 0) + 1);
    this.reservedTotal++;
    try {
      return await this.startReserved(learnerId, kind, target, request, execute, startOptions);
    } finally {
      const left = (this.reserved.get(learnerId) ?? 1) - 1;
      if (left === 0) this.reserved.delete(learnerId);
      else this.reserved.set(learnerId, left);
      this.reservedTotal--;
    }
  }

  private async startReserved(
    learnerId: string,
    kind: JobKind,
    target: string,
    request: unknown,
    execute: JobExecutor,
    { clientId, files }: StartOptions,
  ): Promise<string> {
    const id = clientId ?? randomUUID();
    // The same answer whoever holds the id: it must not tell which ids other learners use.
    if (clientId && (this.live.has(clientId) || (await this.options.store.getJob(clientId))))
      throw new JobIdTakenError();
    const spool = files && files.length > 0 ? await writeSpool(this.options.spoolDir, id, files) : null;
    const record = queuedRecord({ id, learnerId, kind, target, request });
    try {
      await this.options.store.insertJob(record);
    } catch (error) {
      if (spool) await removeSpool(spool);
      throw error;
    }
    // The stored request (an exercise job's files, for restore) is not needed in memory.
    record.request = null;
    const abort = new AbortController();
    const job: LiveJob = {
      record,
      spool,
      outputChars: 0,
      abort,
      runner: null as unknown as ScopedRunner,
      subscribers: new Set(),
      done: Promise.resolve(),
    };
    job.runner = new ScopedRunner(this.options.runner, abort.signal, (chunk) => this.output(job, chunk));
    this.live.set(id, job);
    job.done = this.execute(job, execute);
    this.waiting.started(id, learnerId);
    return id;
  }

  private phaseOf(job: LiveJob): JobPhase {
    const index = this.slots.placeInLine(job);
    if (index < 0) return job.runner.phase();
    return { state: 'queued', queuePosition: this.options.runner.queue.stats().queued + index + 1 };
  }

  private async execute(job: LiveJob, execute: JobExecutor): Promise<void> {
    const { record } = job;
    let state: JobState;
    try {
      await this.slots.acquire(job, job.abort.signal);
      const files = job.spool ? await readSpool(job.spool) : [];
      if (job.abort.signal.aborted) throw new Error('cancelled');
      const outcome = await execute({
        runner: job.runner,
        signal: job.abort.signal,
        progress: (line) => this.progress(job, line),
        files,
      });
      state = job.abort.signal.aborted ? 'cancelled' : outcome.failed ? 'failed' : 'finished';
      record.result = outcome.result;
      record.message = job.abort.signal.aborted ? 'cancelled' : outcome.message;
      record.passed = outcome.passed;
      if (outcome.artifacts) {
        const kept = await keepArtifacts(record.result, outcome.artifacts);
        record.result = kept.view;
        for (const note of kept.notes) this.progress(job, note);
        this.artifacts.set(record.id, { learnerId: record.learnerId, packed: kept.packed });
      }
    } catch (error) {
      if (job.abort.signal.aborted) {
        state = 'cancelled';
        record.message = 'cancelled';
      } else {
        state = 'failed';
        record.message = `perflab could not finish this job: ${(error as Error).message}`;
        this.options.log?.error({ err: error, jobId: record.id }, 'job failed');
      }
    } finally {
      this.slots.release(job);
      if (job.spool) await removeSpool(job.spool);
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
        result: withArtifacts(record.result, this.artifacts.get(record.id)?.packed),
      });
    } catch (error) {
      this.options.log?.error({ err: error, jobId: record.id }, 'could not store the job result');
    }
    const view = jobView(record, 0);
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
      const phase = this.phaseOf(job);
      if (phase.state === 'running' && job.record.state === 'queued') {
        job.record.state = 'running';
        job.record.startedAt = Date.now();
        this.options.store
          .updateJob(job.record.id, { state: 'running', startedAt: job.record.startedAt })
          .catch((error: unknown) => this.options.log?.error({ err: error }, 'could not store job state'));
      }
      this.emit(job, stateEvent(job.record, phase.queuePosition));
    }
  }

  /** The live job `id` when it belongs to `learnerId`. */
  private liveOf(learnerId: string, id: string): LiveJob | undefined {
    const job = this.live.get(id);
    return job && job.record.learnerId === learnerId ? job : undefined;
  }

  /** A job of `learnerId` as it is now: live from memory, or from the store. Null when unknown or another learner's. */
  async get(learnerId: string, id: string): Promise<JobView | null> {
    const live = this.live.get(id);
    if (live)
      return live.record.learnerId === learnerId
        ? jobView(live.record, this.phaseOf(live).queuePosition)
        : null;
    const record = await this.options.store.getJob(id);
    if (!record || record.learnerId !== learnerId) return null;
    return jobView(record, 0);
  }

  /**
   * Resolves true once a job with this id exists for `learnerId` (now or within `timeoutMs`).
   * False at once when the id is another learner's, and as soon as another learner starts it.
   */
  async waitForJob(learnerId: string, id: string, timeoutMs: number): Promise<boolean> {
    const live = this.live.get(id);
    if (live) return live.record.learnerId === learnerId;
    const stored = await this.options.store.getJob(id);
    if (stored) return stored.learnerId === learnerId;
    if (this.closing) return false;
    return this.waiting.wait(learnerId, id, timeoutMs, () => this.liveOf(learnerId, id) !== undefined);
  }

  /**
   * Replays a job of `learnerId` so far to `listener`, then follows it live until its `end`
   * event. Returns an unsubscribe function; null when the job does not exist for this learner.
   */
  async subscribe(
    learnerId: string,
    id: string,
    listener: (event: JobEvent) => void,
  ): Promise<(() => void) | null> {
    const job = this.live.get(id);
    if (!job) {
      const view = await this.get(learnerId, id);
      if (!view) return null;
      replay(view, listener);
      listener({ type: 'end', job: view });
      return () => {};
    }
    if (job.record.learnerId !== learnerId) return null;
    const view = jobView(job.record, this.phaseOf(job).queuePosition);
    replay(view, listener);
    if (job.record.finishedAt !== null) {
      listener({ type: 'end', job: view });
      return () => {};
    }
    job.subscribers.add(listener);
    return () => job.subscribers.delete(listener);
  }

  /** Cancels a queued or running job of `learnerId`. Null when unknown; finished jobs are left as they are. */
  async cancel(learnerId: string, id: string): Promise<JobView | null> {
    const job = this.live.get(id);
    if (!job) return this.get(learnerId, id);
    if (job.record.learnerId !== learnerId) return null;
    if (job.record.finishedAt === null) {
      job.abort.abort();
      await job.done;
    }
    return jobView(job.record, 0);
  }

  async list(learnerId: string, target: string | undefined, limit: number): Promise<JobView[]> {
    const records = await this.options.store.listJobs({ learnerId, target, limit });
    return records.map((r) => {
      const live = this.liveOf(learnerId, r.id);
      return jobView(live ? live.record : r, live ? this.phaseOf(live).queuePosition : 0);
    });
  }

  /** A download of a job of `learnerId` (see artifacts.ts); null when the job has no such file or is another learner's. */
  async artifactOf(learnerId: string, id: string, name: ArtifactName): Promise<Buffer | null> {
    const cached = this.artifacts.get(id);
    if (cached) return cached.learnerId === learnerId ? artifactIn(cached.packed, name) : null;
    const record = await this.options.store.getJob(id);
    if (!record || record.learnerId !== learnerId) return null;
    return storedArtifact(record.result, name);
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
    for (const job of pending) if (this.phaseOf(job).state !== 'running') job.abort.abort();
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
    this.waiting.wakeAll();
  }
}
