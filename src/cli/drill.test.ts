/**
 * `perflab drill` driven as a script drives it: the built command, commands piped one per line
 * on stdin, a temporary data dir, the real course and the real SQLite store. What it graded
 * is read back from the store and through the same drill service the browser's API calls, so
 * "not due any more" means not due for `perflab serve` either.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCourse, type Course } from '../course/load.js';
import { createDrillService } from '../drills/service.js';
import type { DrillService } from '../drills/types.js';
import { LOCAL_LEARNER_ID, type Store } from '../store/index.js';
import {
  BIN,
  ROOT,
  scratchDir,
  spawnPerflab,
  withDataDirStore,
  type PerflabRun,
} from './cli.test-support.js';
import { parseKey, parseLine } from './drill/input.js';

const scratch = scratchDir('perflab-drill');
let dirs = 0;
/** A data dir of its own per test: no test sees another's grades. */
const freshDataDir = () => mkdtempSync(join(scratch, `data-${++dirs}-`));

/** For the tests that stream stdin and stdout while the command runs. */
const env = (dataDir: string) => ({
  ...process.env,
  NO_COLOR: '1',
  PERFLAB_HOME: scratch,
  PERFLAB_DATA_DIR: dataDir,
});

/** `perflab drill ARGS` with `lines` as its whole stdin (then end of input). */
const drill = (dataDir: string, args: string[], lines: string[] = []): PerflabRun =>
  spawnPerflab(['drill', ...args], {
    env: { PERFLAB_DATA_DIR: dataDir },
    input: lines.map((line) => `${line}\n`).join(''),
    timeoutMs: 60_000,
  });

let course: Course | undefined;
/** The drill service over a data dir's store, as `perflab serve` builds it. */
async function withService<T>(
  dataDir: string,
  use: (service: DrillService, store: Store) => Promise<T>,
): Promise<T> {
  course ??= await loadCourse(join(ROOT, 'course'));
  const loaded = course;
  return withDataDirStore(dataDir, (store) => use(createDrillService({ store, course: loaded }), store));
}

describe('perflab drill: review', () => {
  it('grades the first question; it is then neither new nor due, for the browser too', async () => {
    const dataDir = freshDataDir();
    const run = drill(dataDir, ['--module', '04-tests-and-logs'], ['reveal', '3', 'q']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Answer$/m);
    expect(run.stdout).toMatch(/3 good · 10 min/);
    expect(run.stdout).toContain('✓ good');
    expect(run.stdout).toMatch(/Reviewed 1 · 0 due now/);

    await withService(dataDir, async (service, store) => {
      const cards = await store.getDrillCards(LOCAL_LEARNER_ID);
      expect(cards).toHaveLength(1);
      const graded = cards[0]!.drillId;
      const [log] = await store.listDrillReviews(LOCAL_LEARNER_ID, { limit: 10 });
      expect(log).toMatchObject({ drillId: graded, source: 'review', undoneAt: null });
      expect(log!.log.grade).toBe(3);
      const nowMs = Date.now();
      const list = await service.list(LOCAL_LEARNER_ID, { utcOffsetMinutes: 0 }, nowMs);
      expect(list.drills.find((d) => d.id === graded)?.status).toBe('learning');
      expect(list.counts.due).toBe(0);
      const due = await service.reviewQueue(
        LOCAL_LEARNER_ID,
        { newLimit: 0, limit: 200, utcOffsetMinutes: 0 },
        nowMs,
      );
      expect(due.drills.map((d) => d.id)).not.toContain(graded);
    });
  });

  it('u takes the last grade back: the card is gone and its log entry marked undone', async () => {
    const dataDir = freshDataDir();
    const run = drill(dataDir, ['--module', '02'], ['reveal', '4', 'u', 'q']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('↶ took back the last grade of');
    expect(run.stdout).toMatch(/Reviewed 0 ·/);
    await withService(dataDir, async (service, store) => {
      expect(await store.getDrillCards(LOCAL_LEARNER_ID)).toEqual([]);
      const [log] = await store.listDrillReviews(LOCAL_LEARNER_ID, { limit: 10 });
      expect(log?.undoneAt).not.toBeNull();
      expect((await service.list(LOCAL_LEARNER_ID, { utcOffsetMinutes: 0 }, Date.now())).counts.new).toBe(
        course!.drills.length,
      );
    });
  });

  it('keeps a typed answer, shows the full answer on f, ends at end of input, and says what it did not understand', async () => {
    const dataDir = freshDataDir();
    const run = drill(
      dataDir,
      ['--topic', 'pytest'],
      ['hello', 'answer a function-scoped fixture', 'f', 'good'],
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('not now: "hello"');
    expect(run.stdout).toMatch(/^Full answer$/m);
    expect(run.stdout).toContain('perflab show ');
    expect(run.stdout).toMatch(/Reviewed 1 ·/);
    await withDataDirStore(dataDir, async (store) => {
      const [log] = await store.listDrillReviews(LOCAL_LEARNER_ID, { limit: 1 });
      expect(log?.typedAnswer).toBe('a function-scoped fixture');
    });
  });

  it('Ctrl-C (SIGINT) ends cleanly: the summary, exit 130, no stack trace, the grade before it kept', async () => {
    const dataDir = freshDataDir();
    const child = spawn(process.execPath, [BIN, 'drill', '--module', '03'], { env: env(dataDir) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.write('reveal\n2\n');
    await expect.poll(() => stdout, { timeout: 20_000, interval: 100 }).toMatch(/^2\/\d+ /m);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stdout).toMatch(/Reviewed 1 ·/);
    expect(stderr).not.toMatch(/\n\s+at /);
    await withDataDirStore(dataDir, async (store) =>
      expect(await store.getDrillCards(LOCAL_LEARNER_ID)).toHaveLength(1),
    );
  }, 30_000);

  it('--due with nothing due says so and changes nothing', async () => {
    const dataDir = freshDataDir();
    const run = drill(dataDir, ['--due'], ['3']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Nothing is due now.');
    await withDataDirStore(dataDir, async (store) =>
      expect(await store.getDrillCards(LOCAL_LEARNER_ID)).toEqual([]),
    );
  });
});

describe('perflab drill: quick-fire and mock', () => {
  it('runs a quick-fire round to its summary with the weakest topics and the lessons to reread', async () => {
    const dataDir = freshDataDir();
    const run = drill(dataDir, ['--quick', '3', '--topic', 'pytest'], ['r', '1', 'r', '1', 'r', '4']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Quick-fire: 3 questions, 60 s each/);
    expect(run.stdout).toMatch(/Score \d+% · 3 answered · 0 timed out/);
    // Graded again, again, easy: the round's topic is among the weakest (the draw is random).
    expect(run.stdout).toMatch(/Weakest topics\n(?:\s+\d+%\s+.+\n)*\s+\d+%\s+pytest: /);
    expect(run.stdout).toMatch(/Lessons to reread\n.*perflab show [a-z0-9-]+/);
    await withDataDirStore(dataDir, async (store) => {
      const [session] = await store.listDrillSessions(LOCAL_LEARNER_ID, { kind: 'quick-fire', limit: 5 });
      expect(session?.finishedAt).not.toBeNull();
      expect(run.stdout).toContain(`Session ${session!.id}`);
      const reviews = await store.listDrillReviews(LOCAL_LEARNER_ID, { sessionId: session!.id, limit: 10 });
      expect(reviews.map((r) => [r.source, r.log.grade])).toEqual([
        ['quick-fire', 4],
        ['quick-fire', 1],
        ['quick-fire', 1],
      ]);
    });
  });

  it('sits a mock interview to its report: rubric scores per part, the summary and the session id', async () => {
    const dataDir = freshDataDir();
    // Each part: done, then every key point 2 and communication 2 (extra numbers are ignored).
    const run = drill(dataDir, ['--mock'], Array.from({ length: 8 }, () => ['d', '2 2 2 2 2 2 2']).flat());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Mock interview: \d parts/);
    expect(run.stdout).toMatch(/^Key points/m);
    expect(run.stdout).toMatch(/Mock interview report/);
    expect(run.stdout).toMatch(/Score 100% · \d answered · 0 timed out/);
    await withDataDirStore(dataDir, async (store) => {
      const [session] = await store.listDrillSessions(LOCAL_LEARNER_ID, { kind: 'mock', limit: 5 });
      expect(session?.finishedAt).not.toBeNull();
      expect(session?.score).toBe(1);
      expect(run.stdout).toContain(`Session ${session!.id}`);
      const reviews = await store.listDrillReviews(LOCAL_LEARNER_ID, { sessionId: session!.id, limit: 20 });
      expect(reviews.length).toBeGreaterThanOrEqual(3);
      expect(reviews.every((r) => r.source === 'mock' && r.log.grade === 4)).toBe(true);
    });
  });

  it('reveals a quick-fire answer when the time is up, then takes the grade', async () => {
    const dataDir = freshDataDir();
    const child = spawn(
      process.execPath,
      [BIN, 'drill', '--quick', '1', '--seconds', '10', '--topic', 'pytest'],
      {
        env: env(dataDir),
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await expect.poll(() => stdout, { timeout: 20_000, interval: 200 }).toContain("Time's up.");
    expect(stdout).toMatch(/Time's up\.\nAnswer\n/);
    child.stdin.end('2\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/1 timed out/);
  }, 30_000);
});

describe('perflab drill: listing and usage errors', () => {
  it('--list prints the counts by module without asking anything; --json as a document', () => {
    const dataDir = freshDataDir();
    const text = drill(dataDir, ['--list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^module\s+questions\s+new\s+learning\s+due\s+known\s+due today$/m);
    expect(text.stdout).toMatch(/^04-tests-and-logs\s+\d+\s+\d+\s+0\s+0\s+0\s+0$/m);
    const json = drill(dataDir, ['--list', '--json', '--module', '01']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { schema: string; counts: { total: number; new: number } };
    expect(doc.schema).toBe('perflab.drill-counts/1');
    expect(doc.counts.total).toBeGreaterThan(0);
    expect(doc.counts.new).toBe(doc.counts.total);
  });

  it.each([
    [['--quick', '0'], '--quick takes a whole number from 1 to 100'],
    [['--quick', 'ten'], '--quick takes a whole number'],
    [['--quick', '5', '--seconds', '5'], '--seconds takes a whole number from 10 to 600'],
    [['--seconds', '30'], 'use it with --quick'],
    [['--module', 'no-such-module'], 'no module "no-such-module"'],
    [['--topic', 'no-such-topic'], 'no topic "no-such-topic"'],
    [['--module', '0'], 'matches several'],
    [['--quick', '5', '--mock'], 'do not go together'],
    [['--due', '--mock'], '--due is for review'],
    [['--mock', '--topic', 'pytest'], 'use --module, not --topic'],
    [['--json'], '--json goes with --list'],
  ])('perflab drill %j exits 2: %s', (args, message) => {
    const dataDir = freshDataDir();
    const run = drill(dataDir, args, ['3', 'q']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('drill commands from lines and keys', () => {
  it('reads the same commands from a line and from a key', () => {
    expect(parseLine('')).toEqual({ type: 'reveal' });
    expect(parseKey(' ', { name: 'space' })).toEqual({ type: 'reveal' });
    expect(parseLine(' Good ')).toEqual({ type: 'numbers', values: [3] });
    expect(parseKey('3', { name: '3' })).toEqual({ type: 'numbers', values: [3] });
    expect(parseLine('2 1,0')).toEqual({ type: 'numbers', values: [2, 1, 0] });
    expect(parseLine('answer Use a Lock')).toEqual({ type: 'answer', text: 'Use a Lock' });
    expect(parseKey('a', { name: 'a' })).toEqual({ type: 'answer', text: undefined });
    expect(parseLine('u')).toEqual({ type: 'undo' });
    expect(parseKey('\u0003', { name: 'c', ctrl: true })).toEqual({ type: 'interrupt' });
    expect(parseLine('what')).toEqual({ type: 'unknown', text: 'what' });
  });
});
