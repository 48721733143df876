/**
 * The terminal workflow as a learner uses it: start an exercise, ask for a hint, verify a
 * fix inside the working folder, and see progress in `perflab list`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'perflab.js');
const home = mkdtempSync(join(tmpdir(), 'perflab-home-'));
const work = mkdtempSync(join(tmpdir(), 'perflab-work-'));
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

function perflab(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, NO_COLOR: '1', PERFLAB_HOME: home },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('terminal workflow', () => {
  const exerciseDir = join(work, 'racy');

  it('starts an exercise in a folder of its own', () => {
    const result = perflab(work, 'start', 'racy-counter', 'racy');
    expect(result.code).toBe(0);
    expect(existsSync(join(exerciseDir, 'tally.py'))).toBe(true);
    expect(existsSync(join(exerciseDir, 'EXERCISE.md'))).toBe(true);
    expect(perflab(work, 'start', 'racy-counter', 'racy').stderr).toContain('not empty');
  });

  it('gives hints one at a time, gentlest first', () => {
    const first = perflab(exerciseDir, 'hint');
    const second = perflab(exerciseDir, 'hint');
    expect(first.stdout).toMatch(/^Hint 1 of \d/);
    expect(second.stdout).toMatch(/^Hint 2 of \d/);
  });

  it('asks before spoiling the explanation', () => {
    const refused = perflab(exerciseDir, 'explain');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    expect(perflab(exerciseDir, 'explain', '--yes').code).toBe(0);
  });

  it('verifies the folder it is run in, and records the exercise as solved', () => {
    const failing = perflab(exerciseDir, 'verify');
    expect(failing.code).toBe(1);
    copyFileSync(
      join(ROOT, 'course', 'exercises', 'racy-counter', 'solution', 'tally.py'),
      join(exerciseDir, 'tally.py'),
    );
    const passing = perflab(exerciseDir, 'verify');
    expect(passing.stdout).toContain('All 1 checks pass');
    expect(passing.code).toBe(0);
    const progress = JSON.parse(readFileSync(join(home, 'progress.json'), 'utf8')) as {
      exercises: Record<string, { solvedAt: string | null; attempts: number; hintsShown: number }>;
    };
    expect(progress.exercises['racy-counter']).toMatchObject({ attempts: 2, hintsShown: 2 });
    expect(progress.exercises['racy-counter']?.solvedAt).not.toBeNull();
    expect(perflab(work, 'list').stdout).toMatch(/✓ exercise\s+racy-counter/);
  });

  it('says what to do outside an exercise folder', () => {
    const result = perflab(work, 'hint');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('perflab start');
  });
});
