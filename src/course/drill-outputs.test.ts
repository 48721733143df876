/** Recorded output of code-reading drills as the course loader reads it: current, missing, invalid, stale. */
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCourse } from './load.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'drill-course');
const drillProblems = (problems: string[]) => problems.filter((p) => p.includes('/drills/'));

let copies: string[] = [];
afterEach(async () => {
  await Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true })));
  copies = [];
});

/** A scratch copy of the fixture course, changed by `change` before it is loaded. */
async function loadChanged(change: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'perflab-drill-course-'));
  copies.push(dir);
  await cp(FIXTURE, dir, { recursive: true });
  await change(dir);
  return loadCourse(dir);
}

describe('recorded drill output in the course loader', () => {
  it('serves a current recording as the drill output, without its bookkeeping fields', async () => {
    const course = await loadCourse(FIXTURE);
    const drill = course.drills.find((d) => d.id === 'squares-calls');
    expect(drill?.recordedOutput).toMatchObject({
      tool: 'profile',
      program: { name: 'squares.py' },
      command: 'perflab profile squares.py',
      result: { kind: 'profile' },
    });
    expect(drill?.recordedOutput).not.toHaveProperty('programSha256');
    expect(drill?.recordedOutput?.program.source).toBe(await readFile(join(FIXTURE, 'drills', 'programs', 'squares.py'), 'utf8'));
    // The other fixture drills were never recorded (their runs fail): that, and only that, is a problem.
    const missing = (line: number, id: string) =>
      `${join(FIXTURE, 'drills', 'basics.yaml')}:${line}: drill "${id}" has no recorded output (outputs/${id}.json); run \`perflab check --record-drill-outputs\` to record it`;
    expect(drillProblems(course.problems)).toEqual([missing(18, 'squares-wrong-count'), missing(40, 'flat-lines')]);
    expect(course.drills.find((d) => d.id === 'squares-wrong-count')?.recordedOutput).toBeNull();
  });

  it('reports a recording older than its program as stale, at the line of the drill', async () => {
    const course = await loadChanged((dir) => appendFile(join(dir, 'drills', 'programs', 'squares.py'), '# changed\n'));
    expect(drillProblems(course.problems)).toContainEqual(
      expect.stringMatching(/drills\/basics\.yaml:3: outputs\/squares-calls\.json is stale: programs\/squares\.py changed since it was recorded; run `perflab check --record-drill-outputs`/),
    );
    expect(course.drills.find((d) => d.id === 'squares-calls')?.recordedOutput).toBeNull();
  });

  it('reports a recording made with other flags as stale', async () => {
    const course = await loadChanged(async (dir) => {
      const yaml = join(dir, 'drills', 'basics.yaml');
      await writeFile(yaml, (await readFile(yaml, 'utf8')).replace('    command: profile\n', '    command: profile\n    flags: [--lines]\n'));
    });
    expect(drillProblems(course.problems)).toContainEqual(
      expect.stringContaining('is stale: recorded with `perflab profile squares.py`, the drill now asks for `perflab profile squares.py --lines`'),
    );
  });

  it.each([
    ['deleted', (path: string) => rm(path), /basics\.yaml:3: drill "squares-calls" has no recorded output/],
    ['not JSON', (path: string) => writeFile(path, '{ half'), /basics\.yaml:3: outputs\/squares-calls\.json is not JSON/],
    [
      'off-schema',
      async (path: string) => writeFile(path, JSON.stringify({ ...JSON.parse(await readFile(path, 'utf8')), programSha256: 'abc' })),
      /basics\.yaml:3: outputs\/squares-calls\.json is not a valid drill output: programSha256: /,
    ],
  ])('reports a recording that is %s', async (_what, spoil, problem) => {
    const course = await loadChanged((dir) => spoil(join(dir, 'drills', 'outputs', 'squares-calls.json')));
    expect(drillProblems(course.problems)).toContainEqual(expect.stringMatching(problem));
  });

  it('reports an output: field whose program does not exist', async () => {
    const course = await loadChanged((dir) => rm(join(dir, 'drills', 'programs', 'squares.py')));
    expect(drillProblems(course.problems)).toContainEqual(expect.stringMatching(/basics\.yaml:3: drill "squares-calls": output\.program programs\/squares\.py does not exist/));
  });
});
