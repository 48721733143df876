/**
 * The API's types, from the server's schemas in src/core/api.ts. Types only: nothing here
 * exists at run time, so the browser bundle never contains zod.
 */
export type {
  ApiError as ApiErrorBody,
  BlockResultView,
  CourseIndex,
  ExerciseProgress,
  ExerciseSummary,
  ExerciseView,
  Health,
  JobEvent,
  JobKind,
  JobResultView,
  JobState,
  JobSummary,
  JobView,
  LessonBlockView,
  LessonSegment,
  LessonSummary,
  LessonView,
  OutputChunkView,
  ProfileResultView,
  Progress,
  RunResultView,
  TimeitResultView,
  WorkspaceFile,
} from '../../src/core/api.js';
export type { FunctionLineTimings } from '../../src/core/documents.js';
export type { TimeitReport } from '../../src/core/timeit-report.js';
export type { VerifyReport } from '../../src/core/verify-report.js';

/** 202 answer of every POST that starts a job. */
export interface JobCreated {
  jobId: string;
}
