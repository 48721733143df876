/**
 * The terminal workflow as a learner uses it: start an exercise, ask for a hint, verify a
 * fix inside the working folder, and see progress in `perflab list`. Progress goes to the
 * store the web app reads (the data dir under PERFLAB_HOME), not to a file of its own.
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_LEARNER_ID } from '../store/index.js';
import { learnerProgress, ROOT, scratchDir, spawnPerflab, withDataDirStore } from './cli.test-support.js';

const home = scratchDir('perflab-home');
const work = scratchDir('perflab-work');
/** The default data dir: PERFLAB_HOME/data (PERFLAB_DATA_DIR unset). */
const dataDir = join(home, 'data');

const perflab = (cwd: string, ...args: string[]) =>
  spawnPerflab(args, { cwd, env: { PERFLAB_HOME: home, PERFLAB_DATA_DIR: '' }, timeoutMs: 300_000 });

describe('terminal workflow', () => {
  const exerciseDir = join(work, 'racy');

  it('starts an exercise in a folder of its own', async () => {
    const result = perflab(work, 'start', 'racy-counter', 'racy');
    expect(result.code).toBe(0);
    expect(existsSync(join(exerciseDir, 'tally.py'))).toBe(true);
    expect(existsSync(join(exerciseDir, 'EXERCISE.md'))).toBe(true);
    expect(existsSync(join(exerciseDir, '.perflab-exercise.json'))).toBe(true);
    expect(perflab(work, 'start', 'racy-counter', 'racy').stderr).toContain('not empty');
    expect((await learnerProgress(dataDir)).exercises['racy-counter']?.status).toBe('started');
  });

  it('gives hints one at a time, gentlest first', () => {
    const first = perflab(exerciseDir, 'hint');
    const second = perflab(exerciseDir, 'hint');
    expect(first.stdout).toMatch(/^Hint 1 of \d/);
    expect(second.stdout).toMatch(/^Hint 2 of \d/);
  });

  it('asks before spoiling the explanation', async () => {
    const refused = perflab(exerciseDir, 'explain');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    expect((await learnerProgress(dataDir)).exercises['racy-counter']?.explanationShown).toBe(false);
    expect(perflab(exerciseDir, 'explain', '--yes').code).toBe(0);
    expect((await learnerProgress(dataDir)).exercises['racy-counter']?.explanationShown).toBe(true);
  });

  it('verifies the folder it is run in, and records the solve, the code and the history in the store', async () => {
    const failing = perflab(exerciseDir, 'verify');
    expect(failing.code).toBe(1);
    expect((await learnerProgress(dataDir)).exercises['racy-counter']?.status).toBe('attempted');
    const solution = join(ROOT, 'course', 'exercises', 'racy-counter', 'solution', 'tally.py');
    copyFileSync(solution, join(exerciseDir, 'tally.py'));
    const passing = perflab(exerciseDir, 'verify');
    expect(passing.stdout).toContain('All 1 checks pass');
    expect(passing.code).toBe(0);

    const progress = (await learnerProgress(dataDir)).exercises['racy-counter'];
    expect(progress).toMatchObject({ status: 'solved', hintsShown: 2 });
    expect(progress?.solvedAt).not.toBeNull();
    await withDataDirStore(dataDir, async (store) => {
      const saved = await store.getSavedFiles(LOCAL_LEARNER_ID, 'racy-counter');
      expect(saved?.files['tally.py']).toBe(readFileSync(solution, 'utf8'));
      const history = await store.listJobs({
        learnerId: LOCAL_LEARNER_ID,
        target: 'exercise:racy-counter',
        limit: 10,
      });
      expect(history.map((job) => [job.kind, job.state, job.passed])).toEqual([
        ['verify', 'finished', true],
        ['verify', 'finished', false],
      ]);
    });
    expect(perflab(work, 'list').stdout).toMatch(/✓ exercise\s+racy-counter/);
  });

  it('starts an exercise again from the code saved in the store', () => {
    expect(perflab(work, 'start', 'racy-counter', 'again').stdout).toContain('copied your saved code');
    expect(readFileSync(join(work, 'again', 'tally.py'), 'utf8')).toBe(
      readFileSync(join(exerciseDir, 'tally.py'), 'utf8'),
    );
  });

  it('says what to do outside an exercise folder', () => {
    const result = perflab(work, 'hint');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('perflab start');
  });
});
