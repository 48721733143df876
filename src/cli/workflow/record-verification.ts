/**
 * `perflab verify` of a started exercise, recorded as the web app records one. Apart from
 * learner-store.ts so that list, start and hint do not load the server's job kinds.
 */
import { randomUUID } from 'node:crypto';
import type { Exercise, FileTree } from '../../core/exercise.js';
import type { VerifyReport } from '../../core/verify-report.js';
import { verifyOutcome } from '../../server/job-kinds.js';
import { withLearnerStore, type DataDirOption } from './learner-store.js';

/**
 * A verification of a started exercise, as the web app records one: the learner's files become
 * the saved code, the verification joins the job history, and the exercise is solved when
 * every check passed (attempted otherwise).
 */
export async function recordVerification(
  options: DataDirOption,
  exercise: Exercise,
  edits: FileTree,
  report: VerifyReport,
  startedAtMs: number,
): Promise<void> {
  const id = exercise.meta.id;
  const outcome = verifyOutcome(report);
  const finishedAtMs = Date.now();
  await withLearnerStore(options, async (store, learnerId) => {
    await store.saveFiles(learnerId, id, edits, finishedAtMs);
    await store.advanceExercise(learnerId, id, 'started', startedAtMs);
    await store.advanceExercise(learnerId, id, outcome.passed ? 'solved' : 'attempted', finishedAtMs);
    // Stored finished: a server starting later marks only queued or running jobs interrupted.
    await store.insertJob({
      id: randomUUID(),
      learnerId,
      kind: 'verify',
      target: `exercise:${id}`,
      state: 'finished',
      createdAt: startedAtMs,
      startedAt: startedAtMs,
      finishedAt: finishedAtMs,
      message: outcome.message,
      passed: outcome.passed,
      request: { kind: 'verify', edits },
      output: [],
      outputTruncated: false,
      progress: [],
      result: outcome.result,
    });
  });
}
