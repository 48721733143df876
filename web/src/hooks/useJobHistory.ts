/**
 * An exercise's job history, and which job the page shows without a click: a queued or
 * running job of the exercise (started before a reload, or in another tab), else the job this
 * browser last started. A job another tab starts is followed too; when a job ends the history
 * and the learner's progress are loaded again (a verification may have solved the exercise).
 */
import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from '../api/client';
import { isTerminal } from '../api/jobs';
import type { ExerciseProgress, JobSummary } from '../api/types';
import type { JobLifecycle } from './useJob';

export interface JobHistory {
  jobs: JobSummary[] | null;
  error: string | null;
  reload: () => Promise<JobSummary[] | null>;
}

export function useJobHistory(
  exerciseId: string,
  jobs: Pick<JobLifecycle<string>, 'memory' | 'show' | 'follow'>,
  /** Stable (a state setter): the learner's progress on the exercise, after a job ended. */
  onProgress: (progress: ExerciseProgress) => void,
): JobHistory {
  const [history, setHistory] = useState<JobSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { memory, show } = jobs;

  const reload = useCallback(async () => {
    try {
      const { jobs } = await api.exerciseJobs(exerciseId, 20);
      setHistory(jobs);
      setError(null);
      return jobs;
    } catch (err) {
      setError(errorMessage(err));
      return null;
    }
  }, [exerciseId]);

  useEffect(() => {
    let cancelled = false;
    void reload().then((list) => {
      if (cancelled) return;
      const running = list?.find((j) => !isTerminal(j.state));
      const remembered = memory.get();
      const known = remembered && (!list || list.some((j) => j.id === remembered)) ? remembered : null;
      show((current) => current ?? running?.id ?? known);
    });
    return () => {
      cancelled = true;
    };
  }, [reload, memory, show]);

  // Another tab started a job here: follow it too.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === memory.storageKey && event.newValue) {
        show(event.newValue);
        void reload();
      }
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [memory, reload, show]);

  const endedJob = jobs.follow.job?.id;
  useEffect(() => {
    if (!endedJob) return;
    void reload();
    api.progress().then(
      (all) => {
        const mine = all.exercises[exerciseId];
        if (mine) onProgress(mine);
      },
      () => undefined,
    );
  }, [endedJob, exerciseId, reload, onProgress]);

  return { jobs: history, error, reload };
}
