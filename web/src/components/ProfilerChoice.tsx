/**
 * Which profiler the Profile button uses (cProfile, py-spy, VizTracer or memray): a labelled
 * select beside the run buttons, remembered per page in localStorage, sent as `profiler` in
 * the job-start body.
 */
import { useCallback, useId, useState } from 'react';
import type { Profiler } from '../api/types';

/** Every profiler the server knows (a Record, so a new one cannot be left out here). */
export const PROFILER_LABELS: Record<Profiler, string> = {
  cprofile: 'cProfile',
  sample: 'Sample all threads (py-spy)',
  timeline: 'Timeline (VizTracer)',
  memray: 'Memory (memray)',
};

const PROFILER_HINTS: Record<Profiler, string> = {
  cprofile: 'Every call of the main thread: function table, flame graph, line timings, memory.',
  sample: 'Samples every thread and child process from outside the program, 100 times a second.',
  timeline: 'Threads, processes and asyncio tasks over time: who ran, who waited on what.',
  memray: 'Memory in use at the peak by call stack (native code included), and leaks.',
};

const isProfiler = (value: string | null): value is Profiler => value !== null && value in PROFILER_LABELS;

/** The profiler chosen on one page (`pageKey`), kept across reloads. */
export function useProfilerChoice(pageKey: string): [Profiler, (next: Profiler) => void] {
  const storageKey = `perflab.profiler.${pageKey}`;
  const [profiler, setProfiler] = useState<Profiler>(() => {
    try {
      const stored = localStorage.getItem(storageKey);
      return isProfiler(stored) ? stored : 'cprofile';
    } catch {
      return 'cprofile'; // storage blocked: the default, without remembering
    }
  });
  const choose = useCallback(
    (next: Profiler) => {
      setProfiler(next);
      try {
        localStorage.setItem(storageKey, next);
      } catch {
        // Storage full or blocked: the choice still holds until the page is left.
      }
    },
    [storageKey],
  );
  return [profiler, choose];
}

export function ProfilerChoice({
  value,
  onChange,
  disabled,
}: {
  value: Profiler;
  onChange: (next: Profiler) => void;
  disabled?: boolean;
}) {
  const hintId = useId();
  return (
    <label className="profiler-choice">
      <span className="small muted">Profile with</span>
      <select
        value={value}
        onChange={(event) => isProfiler(event.target.value) && onChange(event.target.value)}
        disabled={disabled}
        aria-describedby={hintId}
        data-testid="profiler-select"
      >
        {(Object.keys(PROFILER_LABELS) as Profiler[]).map((p) => (
          <option key={p} value={p}>
            {PROFILER_LABELS[p]}
          </option>
        ))}
      </select>
      <span id={hintId} className="visually-hidden">
        {PROFILER_HINTS[value]}
      </span>
    </label>
  );
}
