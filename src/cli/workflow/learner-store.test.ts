/**
 * The terminal's store: the old progress file is imported once, and every learner command
 * finds the data dir the same way `perflab serve` does (--data-dir, PERFLAB_DATA_DIR,
 * PERFLAB_HOME/data). Real SQLite files; the last test runs the built command.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOCAL_LEARNER_ID } from '../../store/index.js';
import { learnerProgress, scratchDir, spawnPerflab, withDataDirStore } from '../cli.test-support.js';
import { defaultDataDir } from './data-dir.js';
import { withLearnerStore } from './learner-store.js';

const scratch = scratchDir('perflab-learner-store');
let case_ = 0;
/** A fresh PERFLAB_HOME per test, with its default data dir. */
function freshHome(): { home: string; dataDir: string } {
  const home = join(scratch, `home-${++case_}`);
  mkdirSync(home, { recursive: true });
  vi.stubEnv('PERFLAB_HOME', home);
  vi.stubEnv('PERFLAB_DATA_DIR', '');
  return { home, dataDir: join(home, 'data') };
}
afterEach(() => {
  vi.unstubAllEnvs();
});

const LEGACY = {
  schema: 'perflab.progress/1',
  exercises: {
    'racy-counter': {
      startedAt: '2026-01-02T10:00:00.000Z',
      dir: '/somewhere/racy',
      hintsShown: 2,
      explanationShown: true,
      solvedAt: '2026-01-02T11:00:00.000Z',
      attempts: 3,
    },
    'word-frequency': {
      startedAt: '2026-01-03T10:00:00.000Z',
      dir: '/somewhere/words',
      hintsShown: 0,
      explanationShown: false,
      solvedAt: null,
      attempts: 1,
    },
  },
  lessons: { 'what-is-a-profile': { openedAt: '2026-01-01T09:00:00.000Z' } },
};

describe('the old progress file', () => {
  it('is imported into the store once, then renamed to progress.json.imported', async () => {
    const { home, dataDir } = freshHome();
    const file = join(home, 'progress.json');
    writeFileSync(file, JSON.stringify(LEGACY));
    await withLearnerStore({}, async () => undefined);
    expect(existsSync(file)).toBe(false);
    expect(JSON.parse(readFileSync(`${file}.imported`, 'utf8'))).toEqual(LEGACY);

    const progress = await learnerProgress(dataDir);
    expect(progress.exercises['racy-counter']).toEqual({
      status: 'solved',
      hintsShown: 2,
      explanationShown: true,
      solvedAt: Date.parse('2026-01-02T11:00:00.000Z'),
    });
    expect(progress.exercises['word-frequency']).toMatchObject({ status: 'attempted', solvedAt: null });
    expect(progress.lessons['what-is-a-profile']).toEqual({ readAt: Date.parse('2026-01-01T09:00:00.000Z') });

    // Progress made afterwards is not undone by a second opening (nothing left to import).
    await withLearnerStore({}, (store, learnerId) => store.setHintsShown(learnerId, 'word-frequency', 3));
    expect((await learnerProgress(dataDir)).exercises['word-frequency']?.hintsShown).toBe(3);
  });

  it('is kept aside when damaged, and progress starts from the store', async () => {
    const { home } = freshHome();
    writeFileSync(join(home, 'progress.json'), '{"schema": "perflab.progress/1", "exer');
    const progress = await withLearnerStore({}, (store, learnerId) => store.getProgress(learnerId));
    expect(progress).toEqual({ lessons: {}, exercises: {} });
    expect(readdirSync(home).filter((name) => name.startsWith('progress.json'))).toEqual([
      expect.stringMatching(/^progress\.json\.damaged-\d+$/),
    ]);
  });
});

describe('the data dir', () => {
  it('is PERFLAB_DATA_DIR when set, else PERFLAB_HOME/data', () => {
    expect(defaultDataDir({ PERFLAB_HOME: '/h' })).toBe('/h/data');
    expect(defaultDataDir({ PERFLAB_HOME: '/h', PERFLAB_DATA_DIR: '/d' })).toBe('/d');
    expect(defaultDataDir({})).toMatch(/\.perflab\/data$/);
  });

  it('is the same for the learner commands as for serve: --data-dir, then PERFLAB_DATA_DIR', async () => {
    const { home } = freshHome();
    const given = join(scratch, 'given');
    await withDataDirStore(given, (store) =>
      store.advanceExercise(LOCAL_LEARNER_ID, 'racy-counter', 'solved', Date.now()),
    );
    const solvedIn = (args: string[], env: NodeJS.ProcessEnv) => {
      const result = spawnPerflab(['list', '--json', ...args], { env: { PERFLAB_HOME: home, ...env } });
      expect(result.code, result.stderr).toBe(0);
      const list = JSON.parse(result.stdout) as {
        modules: { exercises: { id: string; solved: boolean }[] }[];
      };
      return list.modules.flatMap((m) => m.exercises).find((e) => e.id === 'racy-counter')?.solved;
    };
    expect(solvedIn(['--data-dir', given], { PERFLAB_DATA_DIR: '' })).toBe(true);
    expect(solvedIn([], { PERFLAB_DATA_DIR: given })).toBe(true);
    expect(solvedIn([], { PERFLAB_DATA_DIR: '' })).toBe(false);
    expect(existsSync(join(home, 'data', 'perflab.sqlite'))).toBe(true);
    const help = spawnPerflab(['serve', '--help']).stdout + spawnPerflab(['start', '--help']).stdout;
    expect(help.match(/PERFLAB_HOME\/data/g)).toHaveLength(2);
  });
});
