/**
 * The API's types: every type of the server's schemas in src/core/api.ts, re-exported as
 * types only. Nothing here exists at run time, so the browser bundle never contains zod.
 */
import type { StartExerciseJob, StartWorkbenchJob } from '../../../src/core/api.js';

export type * from '../../../src/core/api.js';
export type { FunctionLineTimings } from '../../../src/core/documents.js';

export type ExerciseJobKind = StartExerciseJob['kind'];
export type WorkbenchJobKind = StartWorkbenchJob['kind'];
