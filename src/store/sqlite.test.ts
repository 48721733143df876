import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, NO_MIGRATIONS, SqliteDialect } from 'kysely';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { describeStoreContract } from './contract.test-support.js';
import { withProgressCache } from './progress-cache.js';
import { createMigrator, migrateToLatest, MIGRATIONS } from './migrations.js';
import { openSqliteStore, StoreOpenError } from './sqlite.js';
import type { Store } from './types.js';

const root = mkdtempSync(join(tmpdir(), 'perflab-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let fileCount = 0;
/** A path under a folder that does not exist yet, so every open also creates its parents. */
const newDbPath = () => join(root, `case-${++fileCount}`, 'nested', 'perflab.db');

describeStoreContract('sqlite :memory:', () => openSqliteStore({ file: ':memory:' }));
// The web server's read cache must keep every promise of the contract.
describeStoreContract('sqlite :memory: with the progress cache', async () =>
  withProgressCache(await openSqliteStore({ file: ':memory:' })),
);

let lastFile = '';
describeStoreContract(
  'sqlite file',
  () => {
    lastFile = newDbPath();
    return openSqliteStore({ file: lastFile });
  },
  { reopen: () => openSqliteStore({ file: lastFile }) },
);

interface MigrationTables {
  kysely_migration: { name: string; timestamp: string };
}
const migrationRows = (file: string) => {
  const raw = new BetterSqlite3(file, { readonly: true });
  const db = new Kysely<MigrationTables>({ dialect: new SqliteDialect({ database: raw }) });
  return db
    .selectFrom('kysely_migration')
    .select(['name', 'timestamp'])
    .orderBy('name')
    .execute()
    .finally(() => db.destroy());
};
const tableNames = (file: string) => {
  const raw = new BetterSqlite3(file, { readonly: true });
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
  return db.introspection
    .getTables()
    .then((tables) => tables.map((t) => t.name).sort())
    .finally(() => db.destroy());
};
const APP_TABLES = ['exercise_progress', 'jobs', 'lesson_progress', 'saved_files'];

describe('sqlite store', () => {
  const stores: Store[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  const open = async (file: string) => {
    const store = await openSqliteStore({ file });
    stores.push(store);
    return store;
  };

  it('applies every migration once; a second run applies none', async () => {
    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }),
    });
    try {
      expect(Object.keys(MIGRATIONS).length).toBeGreaterThan(0);
      expect(await migrateToLatest(db)).toEqual(Object.keys(MIGRATIONS));
      expect(await migrateToLatest(db)).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it('migrates a new file, and reopening it changes nothing', async () => {
    const file = newDbPath();
    const store = await open(file);
    await store.markLessonRead('local', 'intro', 1);
    await store.close();
    const rows = await migrationRows(file);
    expect(rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS));
    expect(await tableNames(file)).toEqual(expect.arrayContaining(APP_TABLES));

    const again = await open(file);
    await again.close();
    expect(await migrationRows(file)).toEqual(rows);
    expect(await tableNames(file)).toEqual(expect.arrayContaining(APP_TABLES));
  });

  it('migrations go down to nothing and up again', async () => {
    const file = newDbPath();
    await (await open(file)).close();
    const raw = new BetterSqlite3(file);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    try {
      const down = await createMigrator(db).migrateTo(NO_MIGRATIONS);
      expect(down.error).toBeUndefined();
      const left = (await db.introspection.getTables()).map((t) => t.name);
      expect(left.filter((t) => APP_TABLES.includes(t))).toEqual([]);
      expect(await migrateToLatest(db)).toEqual(Object.keys(MIGRATIONS));
    } finally {
      await db.destroy();
    }
    const store = await open(file);
    await store.saveFiles('local', 'ex', { 'a.py': 'a' }, 1);
    expect((await store.getSavedFiles('local', 'ex'))?.files).toEqual({ 'a.py': 'a' });
  });

  it('a failed migration leaves no half-made schema', async () => {
    const file = newDbPath();
    await (await open(file)).close();
    // A foreign database that already has a "jobs" table: 0001 creates three tables, then fails.
    rmSync(file);
    const raw = new BetterSqlite3(file);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    await db.schema.createTable('jobs').addColumn('x', 'text').execute();
    await db.destroy();

    const error = await openSqliteStore({ file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as StoreOpenError).file).toBe(file);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/0001-initial/);
    const tables = await tableNames(file);
    expect(tables).toContain('jobs');
    expect(tables).not.toContain('lesson_progress');
    expect(tables).not.toContain('saved_files');
  });

  it('names the file when it is not an SQLite database, and leaves it untouched', async () => {
    const file = newDbPath();
    await (await open(file)).close();
    rmSync(file);
    for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true });
    const junk = 'this is a text file, not a database\n'.repeat(200);
    writeFileSync(file, junk);

    const error = await openSqliteStore({ file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as StoreOpenError).file).toBe(file);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/not a database/);
    expect(readFileSync(file, 'utf8')).toBe(junk);
  });

  it('names the file when a newer perflab migrated it', async () => {
    const file = newDbPath();
    await (await open(file)).close();
    const raw = new BetterSqlite3(file);
    const db = new Kysely<MigrationTables>({ dialect: new SqliteDialect({ database: raw }) });
    await db
      .insertInto('kysely_migration')
      .values({ name: '9999-from-the-future', timestamp: new Date().toISOString() })
      .execute();
    await db.destroy();

    const error = await openSqliteStore({ file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain('9999-from-the-future');
  });

  it('names the file when its folder cannot be created', async () => {
    const blocker = join(root, `blocker-${++fileCount}`);
    writeFileSync(blocker, 'a file where a folder should be');
    const file = join(blocker, 'perflab.db');
    const error = await openSqliteStore({ file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toContain(file);
  });

  it('creates parent folders and uses WAL', async () => {
    const file = newDbPath();
    expect(existsSync(join(file, '..'))).toBe(false);
    await open(file);
    expect(existsSync(file)).toBe(true);
    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('two stores on one file see each other’s writes', async () => {
    const file = newDbPath();
    const a = await open(file);
    const b = await open(file);
    await a.saveFiles('local', 'ex', { 'main.py': 'from a' }, 1);
    expect((await b.getSavedFiles('local', 'ex'))?.files).toEqual({ 'main.py': 'from a' });
    await b.advanceExercise('local', 'ex', 'solved', 2);
    expect((await a.getProgress('local')).exercises['ex']?.status).toBe('solved');
  });

  it('the progress cache sees a write another connection commits (a CLI command beside the server)', async () => {
    const file = newDbPath();
    const server = withProgressCache(await open(file), { externalCheckIntervalMs: 300 });
    const terminal = await open(file);
    expect((await server.getProgress('local')).exercises).toEqual({});
    await terminal.advanceExercise('local', 'ex', 'solved', 5);
    // Within the check interval the cached copy stands (the check is not made on every read)…
    expect((await server.getProgress('local')).exercises).toEqual({});
    await new Promise((resolve) => setTimeout(resolve, 350));
    // …after it, the other connection's commit shows.
    expect((await server.getProgress('local')).exercises['ex']).toMatchObject({
      status: 'solved',
      solvedAt: 5,
    });
    // Its own writes still drop the cached copy, without another connection's help.
    await server.markLessonRead('local', 'intro', 6);
    expect((await server.getProgress('local')).lessons).toEqual({ intro: { readAt: 6 } });
  });

  it('waits for another process’s write instead of failing with SQLITE_BUSY', async () => {
    const file = newDbPath();
    const store = await open(file);
    const holdMs = 400;
    // Another process takes the write lock, says so, holds it, then commits.
    const script = `
      const db = require('better-sqlite3')(process.argv[1]);
      db.transaction(() => {
        require('node:fs').writeSync(1, 'locked\\n');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
      }).immediate();
      db.close();
    `;
    const child = spawn(process.execPath, ['-e', script, file], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
      child.on('exit', () => reject(new Error(`lock holder exited early: ${stderr}`)));
    });

    const startedMs = performance.now();
    await store.markLessonRead('local', 'intro', 1);
    const waitedMs = performance.now() - startedMs;
    expect(await exited).toBe(0);
    expect(waitedMs).toBeGreaterThan(holdMs / 4);
    expect((await store.getProgress('local')).lessons).toEqual({ intro: { readAt: 1 } });
  });
});
