/**
 * The terminal's side of the shared learner store: the learner commands open the same SQLite
 * database as `perflab serve` (databaseFile(dataDir)) under the same learner id, so a solve in
 * the terminal shows in the browser and the other way round. SQLite's WAL and busy timeout
 * (store/sqlite.ts) let a command write while the server has the file open.
 */
import { resolve } from 'node:path';
import {
  databaseFile,
  LOCAL_LEARNER_ID,
  openSqliteStore,
  StoreOpenError,
  type Store,
} from '../../store/index.js';
import { UsageError } from '../errors.js';
import { defaultDataDir, homeDataDir } from './data-dir.js';
import { importLegacyProgress } from './legacy-progress.js';

export interface DataDirOption {
  /** --data-dir; default PERFLAB_DATA_DIR, else $PERFLAB_HOME/data (data-dir.ts). */
  dataDir?: string;
}

/**
 * Opens the store of the data dir, runs `use`, closes it. The store of PERFLAB_HOME's own data
 * dir first takes in the old progress file of PERFLAB_HOME (once); another data dir (a class
 * server's, a test's) leaves that file alone.
 */
export async function withLearnerStore<T>(
  options: DataDirOption,
  /** Called with the learner the terminal acts as: the one a local `perflab serve` serves. */
  use: (store: Store, learnerId: string) => Promise<T>,
): Promise<T> {
  const dataDir = resolve(options.dataDir ?? defaultDataDir());
  let store: Store;
  try {
    store = await openSqliteStore({ file: databaseFile(dataDir) });
  } catch (error) {
    if (error instanceof StoreOpenError) throw new UsageError(error.message);
    throw error;
  }
  try {
    if (dataDir === resolve(homeDataDir())) await importLegacyProgress(store, LOCAL_LEARNER_ID);
    return await use(store, LOCAL_LEARNER_ID);
  } finally {
    await store.close();
  }
}
