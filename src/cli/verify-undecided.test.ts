/**
 * `perflab verify` on a machine too busy to show CPU scaling (issue 9, item 4b): the correct
 * solution is reported undecided, exit status 4, never failed (1), and the exercise is not
 * recorded as solved. The busy machine is forced with the engine's host-side test knob
 * PERFLAB_TEST_SCALING_CAPACITY (read by the perflab process, out of learner code's reach);
 * PERFLAB_TEST_VERIFY_WAITS_MS shortens the waits between measurements. Real sandbox, real
 * grader, real CLI bundle.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { learnerProgress, ROOT, scratchDir, spawnPerflab } from './cli.test-support.js';
import { renderVerifyReport } from './render-verify.js';

const dataDir = scratchDir('perflab-data');
const work = scratchDir('perflab-work');

/** Progress goes to the data dir given through the environment, as for `perflab serve`. */
const perflab = (cwd: string, env: Record<string, string>, ...args: string[]) =>
  spawnPerflab(args, { cwd, env: { PERFLAB_DATA_DIR: dataDir, ...env }, timeoutMs: 300_000 });

describe('perflab verify on a busy machine', () => {
  it('reports the correct solution undecided with exit status 4, and does not mark it solved', async () => {
    const dir = join(work, 'threads');
    expect(perflab(work, {}, 'start', 'threads-for-cpu', 'threads').code).toBe(0);
    expect(existsSync(join(dir, 'previews.py'))).toBe(true);
    copyFileSync(
      join(ROOT, 'course', 'exercises', 'threads-for-cpu', 'solution', 'previews.py'),
      join(dir, 'previews.py'),
    );
    // One wait of 0 s: two measurements, both "too busy" (each takes 10–30 s on a loaded machine).
    const busy = { PERFLAB_TEST_SCALING_CAPACITY: '1.1', PERFLAB_TEST_VERIFY_WAITS_MS: '0' };

    const result = perflab(dir, busy, 'verify', '--json');
    expect(result.code).toBe(4);
    const report = JSON.parse(result.stdout) as {
      schema: string;
      status: string;
      passed: boolean;
      checks: { id: string; status: string; passed: boolean; sentence: string }[];
    };
    expect(report).toMatchObject({ schema: 'perflab.verify/2', status: 'undecided', passed: false });
    const scaling = report.checks.find((c) => c.id === 'uses-every-cpu');
    expect(scaling).toMatchObject({ status: 'undecided', passed: false });
    expect(scaling?.sentence).toContain('could not be decided on this machine now');
    expect(report.checks.find((c) => c.id === 'same-previews')).toMatchObject({ status: 'passed' });
    // It waited and said why, on stderr, before giving up.
    expect(result.stderr).toMatch(
      /waiting 0 s before measuring uses-every-cpu again \(attempt 2 of 2\): the machine is too busy/,
    );

    const progress = await learnerProgress(dataDir);
    expect(progress.exercises['threads-for-cpu']).toMatchObject({ status: 'attempted', solvedAt: null });
  }, 400_000);
});

describe('the terminal rendering of an undecided check', () => {
  it('is neither a tick nor a cross, says why and what to do', () => {
    const text = renderVerifyReport({
      schema: 'perflab.verify/2',
      exercise: 'threads-for-cpu',
      graded: 'solution',
      passed: false,
      status: 'undecided',
      sandbox: 'bubblewrap',
      isolated: true,
      wallMs: 31_000,
      checks: [
        {
          id: 'same',
          kind: 'correctness',
          title: 'Same',
          passed: true,
          status: 'passed',
          sentence: 'ok',
          evidence: {},
        },
        {
          id: 'uses-every-cpu',
          kind: 'cpu-scaling',
          title: 'Scales',
          passed: false,
          status: 'undecided',
          sentence: 'could not be decided on this machine now: it was too busy to show CPU scaling',
          evidence: { attempts: 3, waitedMs: 20_000 },
        },
      ],
    });
    expect(text).toMatch(/^\? undecided: Scales \(cpu-scaling\) — could not be decided/m);
    expect(text).toContain('measured 3 times, waiting 20.0 s in between');
    expect(text).toContain('1 of 2 checks pass; 1 could not be decided on this machine now (none failed)');
    expect(text).not.toContain('✗');
  });
});
