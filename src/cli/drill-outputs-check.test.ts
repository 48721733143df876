/**
 * `perflab check` on code-reading drills, in-process on the fixture course with the bubblewrap
 * sandbox: a false claim fails the check, a drill without key_points fails it, a stale
 * recording fails it until --record-drill-outputs rewrites it.
 */
import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { recordedDrillOutputSchema } from '../core/drill-expect.js';
import { checkCommand } from './commands/check.js';
import type { DrillOutputRow } from './drill-outputs-check.js';

const FIXTURE = join(import.meta.dirname, '..', 'course', 'fixtures', 'drill-course');

interface CheckJson {
  ok: boolean;
  problems: string[];
  drillOutputs: DrillOutputRow[];
}

/** Runs `perflab check COURSE --only ONLY --json --sandbox bwrap [--record-drill-outputs]`. */
async function check(
  course: string,
  only: string,
  record = false,
): Promise<{ exit: number; json: CheckJson }> {
  let stdout = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  try {
    const exit = await checkCommand(course, {
      only,
      json: true,
      sandbox: 'bwrap',
      recordDrillOutputs: record,
    });
    return { exit, json: JSON.parse(stdout) as CheckJson };
  } finally {
    write.mockRestore();
  }
}

describe('perflab check on code-reading drills', { timeout: 60_000 }, () => {
  it('fails when a claim does not hold on the fresh run, saying what the run showed', async () => {
    const { exit, json } = await check(FIXTURE, 'squares-wrong-count');
    expect(exit).toBe(1);
    expect(json.ok).toBe(false);
    expect(json.drillOutputs).toHaveLength(1);
    expect(json.drillOutputs[0]).toMatchObject({
      drill: 'squares-wrong-count',
      ok: false,
      claimsOk: 0,
      claimsTotal: 1,
    });
    expect(json.drillOutputs[0]?.problems).toContainEqual(
      expect.stringMatching(
        /drills\/basics\.yaml:18: drill "squares-wrong-count": expect\[0\] \(calls\) does not hold: square's ncalls is 2,000 \(1,999 expected\)$/,
      ),
    );
  });

  it('fails when a flag asks for a view the run could not produce', async () => {
    const { exit, json } = await check(FIXTURE, 'flat-lines');
    expect(exit).toBe(1);
    expect(json.drillOutputs[0]).toMatchObject({ drill: 'flat-lines', ok: false, claimsOk: 1 });
    expect(json.drillOutputs[0]?.problems).toContainEqual(
      expect.stringMatching(
        /drill "flat-lines": the --lines run of `perflab profile flat\.py --lines` produced no lines view$/,
      ),
    );
  });

  it('passes a drill whose claims hold and whose recording is current', async () => {
    const { exit, json } = await check(FIXTURE, 'squares-calls');
    expect(json.drillOutputs).toEqual([
      expect.objectContaining({ drill: 'squares-calls', ok: true, recorded: 'current', claimsOk: 2 }),
    ]);
    expect(json.problems).toEqual([]);
    expect(exit).toBe(0);
  });

  it('reports a drill whose claims need more CPUs than runs get here as undecided (exit 4), not failed', async () => {
    const { exit, json } = await check(FIXTURE, 'squares-many-cpus');
    expect(json.drillOutputs[0]).toMatchObject({ drill: 'squares-many-cpus', ok: true, recorded: 'current' });
    expect(json.drillOutputs[0]?.undecided).toMatch(/^its claims need 64 CPUs and runs here get \d+$/);
    expect(exit).toBe(4);
  });

  it('fails on a drill without key_points, naming the drill and its line', async () => {
    const { exit, json } = await check(FIXTURE, 'no-rubric');
    expect(exit).toBe(1);
    expect(json.problems).toEqual([
      `${join(FIXTURE, 'drills', 'basics.yaml')}:32: drill "no-rubric" has no key_points: list the 3–6 points a strong answer names (the rubric a mock interview scores)`,
    ]);
  });

  describe('a program changed since its output was recorded', () => {
    let copy = '';
    afterAll(() => rm(copy, { recursive: true, force: true }));

    it('fails until --record-drill-outputs records it again', async () => {
      copy = await mkdtemp(join(tmpdir(), 'perflab-drill-check-'));
      await cp(FIXTURE, copy, { recursive: true });
      await appendFile(join(copy, 'drills', 'programs', 'squares.py'), '# a comment changes the hash\n');

      const stale = await check(copy, 'squares-calls');
      expect(stale.exit).toBe(1);
      expect(stale.json.drillOutputs[0]).toMatchObject({ recorded: 'stale', claimsOk: 2 });

      const recorded = await check(copy, 'squares-calls', true);
      expect(recorded.json.drillOutputs[0]).toMatchObject({ recorded: 'written', ok: true });
      const document = recordedDrillOutputSchema.parse(
        JSON.parse(await readFile(join(copy, 'drills', 'outputs', 'squares-calls.json'), 'utf8')),
      );
      expect(document.program.source).toContain('# a comment changes the hash');
      expect(document.result).toMatchObject({
        kind: 'profile',
        run: { status: 'ok', sandbox: 'bubblewrap', isolated: true },
      });

      const again = await check(copy, 'squares-calls');
      expect(again.json.drillOutputs[0]).toMatchObject({ recorded: 'current', ok: true });
      expect(again.exit).toBe(0);
    });

    it('does not record a run whose claims fail', async () => {
      const { json } = await check(copy, 'squares-wrong-count', true);
      expect(json.drillOutputs[0]).toMatchObject({ ok: false, recorded: 'not checked' });
      await expect(readFile(join(copy, 'drills', 'outputs', 'squares-wrong-count.json'))).rejects.toThrow(
        /ENOENT/,
      );
    });
  });
});
