/** The store's public surface: import from here (see README.md). */
export type { ExerciseStatus, JobPatch, JobRecord, ListJobsQuery, Store } from './types.js';
export { EXERCISE_STATUS_ORDER, LOCAL_LEARNER_ID } from './types.js';
export type { Database } from './schema.js';
export { MIGRATIONS, migrateToLatest } from './migrations.js';
export { createKyselyStore, INTERRUPTED_MESSAGE } from './kysely-store.js';
export {
  BUSY_TIMEOUT_MS,
  databaseFile,
  openSqliteStore,
  StoreOpenError,
  type SqliteStoreOptions,
} from './sqlite.js';
export { withProgressCache } from './progress-cache.js';
