/**
 * Each harness mode end to end: real Python, the real sandbox (bubblewrap where it works),
 * the real queue, on small programs whose answers are known.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { displayName } from '../core/names.js';
import { hotUserFunctions } from '../core/profile-model.js';
import { buildTimeitReport } from '../core/timeit-report.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { availableSandboxes, mainPyJob } from '../test-support/sandboxes.js';
import { Runner } from './runner.js';

const sandbox = (availableSandboxes()[0] as { make: () => import('../sandbox/types.js').Sandbox }).make();
const queue = createMemoryQueue({ concurrency: 2 });
const runner = new Runner(sandbox, queue);
afterAll(() => queue.close());

const WORDS = `
def word_counts(text):
    words = text.split()
    counts = {}
    for word in set(words):
        counts[word] = words.count(word)
    return counts

def make_text():
    return " ".join(f"w{i % 400}" for i in range(4000))

if __name__ == "__main__":
    print(len(word_counts(make_text())))
`;

describe('runner: harness modes', () => {
  it('run: reports the exit status, measurements and a sentence', async () => {
    const report = await runner.run(mainPyJob('run', 'print("hi")\n'));
    expect(report.status).toBe('ok');
    expect(report.exitCode).toBe(0);
    expect(report.document?.python.implementation).toBe('CPython');
    expect(report.outcome.wallMs).toBeGreaterThan(0);
    expect(report.peakMemoryKb).toBeGreaterThan(1000);
  });

  it('run: names a syntax error with its file and line', async () => {
    const report = await runner.run(mainPyJob('run', 'x = 1\ndef broken(:\n    pass\n'));
    expect(report.status).toBe('program-failed');
    expect(report.document?.exception?.type).toBe('SyntaxError');
    expect(report.document?.exception?.line).toBe(2);
    expect(report.message).toContain('main.py:2');
  });

  it('profile: finds the hottest function and its exact call count', async () => {
    const report = await runner.run(mainPyJob('profile', WORDS));
    expect(report.status).toBe('ok');
    const doc = report.document;
    if (!doc) throw new Error(report.documentError ?? 'no document');
    const count = doc.functions.find((f) => displayName(f) === 'list.count');
    expect(count?.ncalls).toBe(400);
    const wordCounts = doc.functions.find((f) => f.name === 'word_counts');
    expect(wordCounts).toMatchObject({ origin: 'user', file: 'main.py', line: 2, ncalls: 1 });
    expect(
      doc.edges.some((e) => e.callerId === wordCounts?.id && e.calleeId === count?.id && e.ncalls === 400),
    ).toBe(true);
    expect(doc.functions.some((f) => f.file.includes('perflab_harness') || f.file.includes('runpy'))).toBe(
      false,
    );
    expect(hotUserFunctions(doc.functions, doc.edges, 1)[0]?.fn.name).toBe('word_counts');
    expect(Buffer.from(doc.pstatsBase64, 'base64').length).toBeGreaterThan(100);
  });

  it('lines: times each line of a function without changing the code', async () => {
    const report = await runner.run(
      mainPyJob('lines', WORDS, {
        modeOptions: { lines: { targets: [{ file: 'main.py', line: 2, name: 'word_counts' }] } },
      }),
    );
    const fn = report.document?.functions[0];
    expect(fn?.name).toBe('word_counts');
    const countLine = fn?.lines.find((l) => l.source.includes('words.count(word)'));
    expect(countLine?.hits).toBe(400);
    expect(countLine?.line).toBe(6);
    const hottest = fn?.lines.reduce((a, b) => (b.timeMs > a.timeMs ? b : a));
    expect(hottest?.line).toBe(6);
  });

  it('memory: finds the line that allocates the most', async () => {
    const source =
      'def build():\n    return [str(i) * 10 for i in range(200000)]\n\nkeep = build()\nsmall = [1, 2, 3]\n';
    const report = await runner.run(
      mainPyJob('memory', source, {
        modeOptions: { memory: { topSites: 5, topTypes: 5 } },
      }),
    );
    const doc = report.document;
    expect(doc?.peakBytes).toBeGreaterThan(10_000_000);
    expect(doc?.peakSites[0]).toMatchObject({ file: 'main.py', line: 2, origin: 'user' });
    expect(doc?.types.find((t) => t.type === 'str')?.count).toBeGreaterThanOrEqual(200000);
  });

  it('timeit: measures a clearly slower candidate as slower, with an interval', async () => {
    const source =
      'DATA = list(range(2000))\ndef slow():\n    return [x for x in DATA if DATA.count(x)]\ndef fast():\n    return list(DATA)\n';
    const report = await runner.run(
      mainPyJob('timeit', source, {
        modeOptions: {
          timeit: { candidates: ['slow', 'fast()'], rounds: 3, minBatchS: 0.05, gcEnabled: false },
        },
        limits: { wallS: 60 },
      }),
    );
    expect(report.status).toBe('ok');
    const comparison = buildTimeitReport(report.document?.candidates ?? []);
    expect(comparison.fastest).toBe('fast()');
    expect(comparison.candidates[0]?.relativeToFastest.low).toBeGreaterThan(10);
    expect(report.document?.candidates[0]?.samplesS).toHaveLength(3);
  });

  it('timeit: says which candidate is broken', async () => {
    const report = await runner.run(
      mainPyJob('timeit', 'def ok():\n    pass\n', {
        modeOptions: {
          timeit: { candidates: ['ok', 'missing_function()'], rounds: 1, minBatchS: 0.01, gcEnabled: false },
        },
      }),
    );
    expect(report.status).toBe('setup-error');
    expect(report.message).toContain('missing_function');
  });

  it('repeat: a racy counter shows more than one outcome', async () => {
    const source = `
import sys, threading
sys.setswitchinterval(1e-6)
counter = 0
def plus_one(value):
    return value + 1
def work():
    global counter
    for _ in range(20000):
        # The call lets the interpreter switch threads between the read and the write.
        counter = plus_one(counter)
threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print(counter)
`;
    const report = await runner.run(
      mainPyJob('repeat', source, {
        modeOptions: { repeat: { times: 20, timeoutS: 10 } },
        limits: { wallS: 120 },
      }),
    );
    const outcomes = report.document?.outcomes ?? [];
    expect(outcomes.reduce((sum, o) => sum + o.count, 0)).toBe(20);
    expect(outcomes.length).toBeGreaterThan(1);
    expect(outcomes.some((o) => Number(o.stdout) < 80000)).toBe(true);
  });

  it('diagnoses a parent hung on a child that waits for stdin', async () => {
    const source = `
import subprocess, sys
child = subprocess.Popen([sys.executable, "child.py"], stdout=subprocess.PIPE)
out, _ = child.communicate()
`;
    const report = await runner.run(
      mainPyJob('run', source, {
        files: [{ path: 'child.py', content: 'name = input()\nprint(name)\n' }],
        stdin: { mode: 'terminal' },
        limits: { wallS: 2 },
      }),
    );
    expect(report.limitHit).toBe('timeout');
    const lines = report.hang?.lines.join('\n') ?? '';
    expect(lines).toMatch(/main thread waiting in subprocess.communicate.*main\.py:4/);
    expect(lines).toMatch(/child\.py.*blocked reading stdin.*child\.py:1/);
  });
});
