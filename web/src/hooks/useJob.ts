/**
 * A page's job lifecycle, said once for the exercise, workbench and lesson pages: start a job
 * (follow first, start second), follow its events, cancel it, show its final result or why it
 * could not start, and attach again after a reload. Following is api/jobs.ts `useJobFollow`.
 */
import { startTransition, useMemo, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { errorMessage } from '../api/client';
import {
  isLive,
  newJobId,
  preopenJobStream,
  rememberedJob,
  useJobFollow,
  type JobFollow,
  type JobMemory,
} from '../api/jobs';

export interface JobOptions {
  /** The job memory's key (`exercise:<id>`, `workbench`, `lesson:<id>#<block>`). */
  memoryKey: string;
  /** localStorage (default: reloads and other tabs) or sessionStorage (this tab only). */
  storage?: 'local' | 'session';
  /** Follow the remembered job from the first render (else the page attaches one later). */
  attachRemembered?: boolean;
  /** Called in the click's task once the start request is on its way (reveal the console). */
  onStarting?: () => void;
}

export interface JobLifecycle<K extends string> {
  jobId: string | null;
  follow: JobFollow;
  memory: JobMemory;
  /** The kind being started, until its start request has answered. */
  starting: K | null;
  /** Why the last start failed (shown as "Could not start: …"). */
  startError: string | null;
  /** A job is starting or live: starting another is refused. */
  busy: boolean;
  /**
   * Starts a job of `kind`: `send(jobId)` makes the start request with the given id. The event
   * stream is opened before it (the first output then needs no round trip), the id is
   * remembered, and a failed start goes back to the job shown before. Refused while busy.
   */
  start: (kind: K, send: (jobId: string) => Promise<unknown>) => Promise<void>;
  /** Follows another job (one from the history, or one another tab started). */
  show: Dispatch<SetStateAction<string | null>>;
  /** Shows why a job was not started (a check of the page's own). */
  refuse: (message: string) => void;
}

export function useJob<K extends string>({
  memoryKey,
  storage = 'local',
  attachRemembered = false,
  onStarting,
}: JobOptions): JobLifecycle<K> {
  const memory = useMemo(() => rememberedJob(memoryKey, storage), [memoryKey, storage]);
  const [jobId, setJobId] = useState<string | null>(() => (attachRemembered ? memory.get() : null));
  const follow = useJobFollow(jobId);
  const busyNow = useRef(false);
  const [starting, setStarting] = useState<K | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const live = isLive(follow);

  const start = async (kind: K, send: (jobId: string) => Promise<unknown>) => {
    // The ref also covers a second click before the transition below has rendered.
    if (live || starting !== null || busyNow.current) return;
    busyNow.current = true;
    // Follow first, start second: the event stream is open before the job exists.
    const newId = newJobId();
    preopenJobStream(newId);
    const previousId = jobId;
    memory.set(newId);
    const request = send(newId);
    // The page's re-render is a transition: it yields to the network and to the run's first
    // output instead of holding the click's task (about 10 ms of React and layout).
    startTransition(() => {
      setStarting(kind);
      setStartError(null);
      setJobId(newId);
    });
    onStarting?.();
    try {
      await request;
    } catch (error) {
      setJobId(previousId);
      memory.set(previousId);
      setStartError(errorMessage(error));
    } finally {
      busyNow.current = false;
      setStarting(null);
    }
  };

  return {
    jobId,
    follow,
    memory,
    starting,
    startError,
    busy: live || starting !== null,
    start,
    show: setJobId,
    refuse: setStartError,
  };
}
