/** The claims of code-reading drills, decided on hand-made profile and timeit results. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ProfileResultView } from './api.js';
import type { ProfiledFunction } from './documents.js';
import {
  decideClaim,
  drillClaimSchema,
  drillCommand,
  drillOutputSpecSchema,
  type DrillClaim,
} from './drill-expect.js';
import { buildTimeitReport } from './timeit-report.js';

function fn(
  id: number,
  name: string,
  tottimeMs: number,
  cumtimeMs: number,
  ncalls = 1,
  primitiveCalls = ncalls,
): ProfiledFunction {
  const builtin = name.startsWith('<method') || name.startsWith('<built-in');
  return {
    id,
    name,
    file: builtin ? '~' : 'ranks.py',
    line: builtin ? 0 : id * 5,
    origin: builtin ? 'builtin' : 'user',
    ncalls,
    primitiveCalls,
    tottimeMs,
    cumtimeMs,
  };
}

// ranks.py: main → leaderboard_ranks → list.index (4 000 calls); a recursive `ways` beside it.
const functions = [
  fn(1, 'main', 0.1, 100),
  fn(2, 'leaderboard_ranks', 5, 90, 1),
  fn(3, "<method 'index' of 'list' objects>", 85, 85, 4000),
  fn(4, 'ways', 8, 8, 3193, 1),
];
const edge = (callerId: number, calleeId: number, ncalls: number) => ({
  callerId,
  calleeId,
  ncalls,
  primitiveCalls: ncalls,
  tottimeMs: 0,
  cumtimeMs: 0,
});
const profile = {
  kind: 'profile' as const,
  profile: {
    functions,
    edges: [edge(1, 2, 1), edge(2, 3, 4000)],
    totalMs: 100,
  } as unknown as ProfileResultView['profile'],
  lines: {
    functions: [
      {
        name: 'unique_emails',
        file: 'dedupe.py',
        line: 16,
        totalMs: 200,
        lines: [
          { line: 20, hits: 5000, timeMs: 5, source: '        email = row["email"].strip().lower()' },
          { line: 21, hits: 5000, timeMs: 190, source: '        if email not in seen:' },
        ],
      },
    ],
  } as unknown as ProfileResultView['lines'],
  memory: {
    peakBytes: 4_400 * 1024,
    peakSites: [
      {
        file: 'render_cache.py',
        line: 7,
        origin: 'user',
        sizeBytes: 600_000,
        count: 10_000,
        source: 'key = (user_id, locale)',
      },
      {
        file: 'render_cache.py',
        line: 10,
        origin: 'user',
        sizeBytes: 3_000_000,
        count: 10_000,
        source: 'page = f"<html>" + " " * 200',
      },
    ],
    finalSites: [],
  } as unknown as ProfileResultView['memory'],
};
const timeit = {
  kind: 'timeit' as const,
  report: buildTimeitReport([
    { expr: 'readings.sort()', loopsPerSample: 200, samplesS: [0.0011, 0.0012, 0.0012] },
    { expr: 'sorted(readings)', loopsPerSample: 10, samplesS: [0.021, 0.024, 0.028] },
  ]),
};

const claim = (value: unknown): DrillClaim => drillClaimSchema.parse(value);

describe('drill claims', () => {
  const results = { P: profile, T: timeit };
  // [P(rofile) or T(imeit) result, the claim as a drill writes it (YAML), holds?, part of the sentence]
  it.each([
    ['P', '{claim: hottest, function: list.index}', true, 'list.index has the most own time'],
    ['P', '{claim: hottest, function: ways}', false, 'ways should have the most own time, but list.index'],
    ['P', '{claim: hottest, function: nowhere}', false, 'the profile has no function nowhere'],
    ['P', '{claim: share, function: list.index, time: own, atLeast: 0.8}', true, 'is 85 % of the run'],
    ['P', '{claim: share, function: ways, time: cumulative, atLeast: 0.5}', false, 'is 8 % of the run (at'],
    ['P', '{claim: ratio, function: list.index, over: ways, atLeast: 10}', true, "is 10.6× ways's"],
    ['P', '{claim: ratio, function: list.index, over: ways, atLeast: 11}', false, 'at least 11× expected'],
    ['P', '{claim: calls, function: ways, ncalls: 3193, primitive: 1}', true, "ways's ncalls is 3,193/1"],
    ['P', '{claim: calls, function: ways, ncalls: 3193, primitive: 4}', false, '3,193/1 (3,193/4 expected)'],
    ['P', '{claim: calls, function: list.index, ncalls: 4000, from: leaderboard_ranks}', true, '4,000 times'],
    ['P', '{claim: calls, function: list.index, ncalls: 4000, from: main}', false, '0 times (4,000'],
    ['P', '{claim: hottest-line, function: unique_emails, contains: not in}', true, 'line 21: if email'],
    ['P', '{claim: hottest-line, function: unique_emails, contains: strip}', false, 'but it is line 21'],
    ['P', '{claim: hottest-line, function: ways, contains: return}', false, 'no line timings for ways'],
    ['P', "{claim: top-allocation, contains: 'page = f', at: peak}", true, 'is render_cache.py:10'],
    ['P', "{claim: top-allocation, contains: 'page = f'}", false, 'no allocation site was alive at the exit'],
    ['P', '{claim: peak-memory, aboveKb: 2500}', true, 'peak is 4,400 KiB (above 2,500 KiB expected)'],
    ['P', '{claim: peak-memory, aboveKb: 1000, belowKb: 4000}', false, 'and below 4,000 KiB expected'],
    ['P', '{claim: faster, candidate: a, than: b, by: 2}', false, 'needs a timeit result'],
    ['T', '{claim: faster, candidate: readings.sort(), than: sorted(readings), by: 10}', true, '20× faster'],
    ['T', '{claim: faster, candidate: readings.sort(), than: sorted(readings), by: 30}', false, 'least 30×'],
    ['T', '{claim: faster, candidate: sorted(readings), than: readings.sort(), by: 1}', false, '0.05×'],
    ['T', '{claim: faster, candidate: x, than: sorted(readings), by: 1}', false, 'the timings lack x'],
    ['T', '{claim: per-loop, candidate: readings.sort(), belowUs: 25}', false, 'is 1,200 µs (below 25 µs'],
    ['T', '{claim: per-loop, candidate: readings.sort(), aboveUs: 1000, belowUs: 2000}', true, '1,200 µs'],
    ['T', '{claim: calls, function: ways, ncalls: 1}', false, 'needs a profile'],
  ] as const)('on %s: %s → %s', (result, yaml, ok, sentence) => {
    const verdict = decideClaim(claim(parse(yaml)), results[result]);
    expect(verdict.ok).toBe(ok);
    expect(verdict.sentence).toContain(sentence);
  });

  it('fails every claim, in words, on a run without a profile', () => {
    expect(
      decideClaim(claim({ claim: 'hottest', function: 'main' }), {
        kind: 'profile',
        profile: null,
        lines: null,
        memory: null,
      }),
    ).toEqual({
      ok: false,
      sentence: 'the run produced no profile',
    });
  });
});

describe("a drill's output: field", () => {
  const spec = (value: object) =>
    drillOutputSpecSchema.safeParse({ program: 'programs/ranks.py', command: 'profile', ...value });
  const messages = (value: object) => {
    const parsed = spec(value);
    return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
  };

  it('accepts claims its command and flags can decide, and derives the command line', () => {
    const parsed = drillOutputSpecSchema.parse({
      program: 'programs/sorting.py',
      command: 'timeit',
      names: ['readings.sort()', 'sorted(readings)'],
      expect: [{ claim: 'faster', candidate: 'readings.sort()', than: 'sorted(readings)', by: 8 }],
    });
    expect(drillCommand(parsed)).toBe("perflab timeit sorting.py 'readings.sort()' 'sorted(readings)'");
    expect(
      drillCommand(
        drillOutputSpecSchema.parse({
          program: 'programs/dedupe.py',
          command: 'profile',
          flags: ['--lines'],
          expect: [{ claim: 'hottest', function: 'f' }],
        }),
      ),
    ).toBe('perflab profile dedupe.py --lines');
  });

  it.each([
    [
      { expect: [{ claim: 'hottest-line', function: 'f', contains: 'x in y' }] },
      'claim "hottest-line" needs flags: [--lines]',
    ],
    [{ expect: [{ claim: 'peak-memory', belowKb: 10 }] }, 'claim "peak-memory" needs flags: [--memory]'],
    [
      { expect: [{ claim: 'faster', candidate: 'a', than: 'b', by: 2 }] },
      'claim "faster" needs command: timeit',
    ],
    [
      { command: 'timeit', expect: [{ claim: 'per-loop', candidate: 'a', belowUs: 1 }] },
      'timeit needs names: the candidates to compare (at least two)',
    ],
    [
      { command: 'timeit', names: ['a', 'b'], expect: [{ claim: 'per-loop', candidate: 'c', belowUs: 1 }] },
      'claim "per-loop": "c" is not one of names',
    ],
    [{ expect: [{ claim: 'peak-memory' }] }, 'give aboveKb, belowKb or both'],
    [
      { program: 'ranks.py', expect: [{ claim: 'hottest', function: 'f' }] },
      'must be programs/NAME.py (lowercase, digits, _)',
    ],
    [{ expect: [] }, 'Too small: expected array to have >=1 items'],
  ])('refuses %j: %s', (value, message) => {
    expect(messages(value)).toContain(message);
  });
});
