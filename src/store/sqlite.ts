/**
 * The SQLite store: one file under the data dir (or ':memory:' for tests), through
 * better-sqlite3. Everything dialect-independent is in kysely-store.ts and migrations.ts.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteAdapter, SqliteDialect, type DialectAdapter } from 'kysely';
import { createKyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';
import type { Store } from './types.js';

export { createKyselyStore } from './kysely-store.js';

/**
 * How long a write waits for another connection's write to finish (say `perflab` commands
 * and the server on one file) before failing with SQLITE_BUSY.
 */
export const BUSY_TIMEOUT_MS = 5_000;

/** The database file could not be opened or migrated; `file` names it. */
export class StoreOpenError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `Cannot open the perflab database ${file}: ${reason}. ` +
        'If this file is not a perflab database, or is damaged, move it aside (perflab starts a new one) ' +
        'or choose another data directory.',
      { cause },
    );
    this.name = 'StoreOpenError';
  }
}

/**
 * SQLite runs DDL inside transactions, but Kysely's adapter says it cannot; saying it can
 * makes each migrateToLatest one transaction, so a failed migration leaves no half-made schema.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
class PerflabSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** The database file of a data dir: `perflab serve` and the terminal commands open the same one. */
export function databaseFile(dataDir: string): string {
  return join(dataDir, 'perflab.sqlite');
}

export interface SqliteStoreOptions {
  /** A path (its parent folders are created) or ':memory:' (gone at close). */
  file: string | ':memory:';
}

/** Opens (creating if missing) and migrates the database; rejects with StoreOpenError. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const { file } = options;
  const inMemory = file === ':memory:';
  let sqlite: BetterSqlite3.Database;
  try {
    if (!inMemory) mkdirSync(dirname(resolve(file)), { recursive: true });
    sqlite = new BetterSqlite3(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new StoreOpenError(file, error);
  }
  try {
    // The first statements read the file's header: a non-SQLite file fails here.
    if (!inMemory) {
      // WAL: readers (progress and lesson reads) never wait for the writer (job output).
      sqlite.pragma('journal_mode = WAL');
      // In WAL mode NORMAL survives an application crash; only a power loss may drop the
      // last commits, which for progress and history is worth the faster writes.
      sqlite.pragma('synchronous = NORMAL');
    }
  } catch (error) {
    sqlite.close();
    throw new StoreOpenError(file, error);
  }
  const db = new Kysely<Database>({ dialect: new PerflabSqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw new StoreOpenError(file, error);
  }
  // data_version moves only for commits by other connections (a CLI command beside a running
  // server); this connection's own writes leave it alone.
  // Once closed there is nothing to see: the read that follows rejects as every call does.
  // Prepared once: it runs before every cached progress read, the hottest read of the app.
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const externalChanges = () => (sqlite.open ? (dataVersion.get() as number) : -1);
  return { ...createKyselyStore(db), externalChanges };
}
