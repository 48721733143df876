/**
 * What the parts of the Store contract share (contract.test-support.ts runs them): how a test
 * gets a store over empty data, a job record to vary, text that breaks naive encodings, and
 * the expected progress of one exercise.
 */
import type { ExerciseProgress } from '../core/api.js';
import type { JobRecord, Store } from './types.js';

/** A store over empty data, closed after the test. */
export type FreshStore = () => Promise<Store>;

export function job(overrides: Partial<JobRecord> & Pick<JobRecord, 'id'>): JobRecord {
  return {
    learnerId: 'local',
    kind: 'run',
    target: 'exercise:word-count',
    state: 'queued',
    createdAt: 1_700_000_000_000,
    startedAt: null,
    finishedAt: null,
    message: null,
    passed: null,
    request: { kind: 'run', files: { 'main.py': 'print(1)\n' } },
    output: [],
    outputTruncated: false,
    progress: [],
    result: null,
    ...overrides,
  };
}

export const UNICODE = 'naïve café — 日本語 — 🐍🔥 — e\u0301 — "quotes" \\ backslash\n\ttab\u0000nul\u2028';

/** An exercise's progress as getProgress reports it: untouched, with `changes`. */
export function entry(changes: Partial<ExerciseProgress>): ExerciseProgress {
  return { status: 'not-started', hintsShown: 0, explanationShown: false, solvedAt: null, ...changes };
}
