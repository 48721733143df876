/**
 * Test data for the view tests: a word-frequency program whose word_counts calls list.count
 * once per distinct word (quadratic), profiled, run and timed. Derived data (call tree, hot
 * functions, timeit report) comes from the same core functions the server uses, so the numbers
 * agree with each other. Imported only by *.test.ts files (never by the app bundle).
 */
import type { ProfileResultView, RunResultView } from '../../../src/core/api.js';
import type {
  AllocationSite,
  CallEdge,
  CodeOrigin,
  FunctionLineTimings,
  HarnessResultOf,
  ProfiledFunction,
} from '../../../src/core/documents.js';
import { buildCallTree, hotUserFunctions } from '../../../src/core/profile-model.js';
import { seededRandom } from '../../../src/core/stats.js';
import { buildTimeitReport, type TimeitReport } from '../../../src/core/timeit-report.js';

const PROGRAM = 'wordfreq.py';
const RE = '/usr/lib/python3.12/re/__init__.py';
const CODECS = '/usr/lib/python3.12/codecs.py';
const TABULATE = '/home/learner/.venv/lib/python3.12/site-packages/tabulate/__init__.py';

type Row = [
  id: number,
  name: string,
  file: string,
  line: number,
  origin: CodeOrigin,
  ncalls: number,
  tottimeMs: number,
  cumtimeMs: number,
  primitiveCalls?: number,
];

const FUNCTION_ROWS: Row[] = [
  [1, '<module>', PROGRAM, 1, 'user', 1, 0.6, 1242.5],
  [2, 'main', PROGRAM, 52, 'user', 1, 0.1, 1241.9],
  [3, 'read_words', PROGRAM, 8, 'user', 1, 6.2, 119.4],
  [4, 'normalise', PROGRAM, 16, 'user', 48213, 31.5, 99.8],
  [5, 'word_counts', PROGRAM, 24, 'user', 1, 61.8, 1067.9],
  [6, 'top_words', PROGRAM, 34, 'user', 1, 1.1, 40.6],
  [7, '<lambda>', PROGRAM, 36, 'user', 5207, 30.9, 30.9],
  [8, 'print_report', PROGRAM, 44, 'user', 1, 0.4, 13.9],
  [9, '<built-in method io.open>', '~', 0, 'builtin', 1, 0.3, 0.3],
  [10, "<method 'read' of '_io.TextIOWrapper' objects>", '~', 0, 'builtin', 1, 0.5, 2.4],
  [11, 'decode', CODECS, 319, 'stdlib', 1, 0.3, 1.9],
  [12, '<built-in method _codecs.utf_8_decode>', '~', 0, 'builtin', 1, 1.6, 1.6],
  [13, "<method 'split' of 'str' objects>", '~', 0, 'builtin', 1, 10.7, 10.7],
  [14, "<method 'strip' of 'str' objects>", '~', 0, 'builtin', 48213, 13.2, 13.2],
  [15, "<method 'lower' of 'str' objects>", '~', 0, 'builtin', 48213, 16.4, 16.4],
  [16, 'sub', RE, 186, 'stdlib', 48213, 12.1, 38.7],
  [17, '_compile', RE, 280, 'stdlib', 48213, 9.4, 9.4],
  [18, "<method 'sub' of 're.Pattern' objects>", '~', 0, 'builtin', 48213, 17.2, 17.2],
  [19, "<method 'count' of 'list' objects>", '~', 0, 'builtin', 5207, 1006.1, 1006.1],
  [20, '<built-in method builtins.sorted>', '~', 0, 'builtin', 1, 8.6, 39.5],
  [21, 'tabulate', TABULATE, 1590, 'site-packages', 1, 4.1, 11.8],
  [22, '_format', TABULATE, 1150, 'site-packages', 240, 7.7, 7.7, 200],
  [23, '<built-in method builtins.print>', '~', 0, 'builtin', 1, 1.7, 1.7],
];

const functions: ProfiledFunction[] = FUNCTION_ROWS.map(
  ([id, name, file, line, origin, ncalls, tottimeMs, cumtimeMs, primitiveCalls]) => ({
    id,
    name,
    file,
    line,
    origin,
    ncalls,
    primitiveCalls: primitiveCalls ?? ncalls,
    tottimeMs,
    cumtimeMs,
  }),
);

/** caller → callees; every callee here has one caller, so an edge carries the callee's totals. */
const CALLS: [caller: number, callees: number[]][] = [
  [1, [2]],
  [2, [3, 5, 6, 8]],
  [3, [9, 10, 13, 4]],
  [10, [11]],
  [11, [12]],
  [4, [14, 15, 16]],
  [16, [17, 18]],
  [5, [19]],
  [6, [20]],
  [20, [7]],
  [8, [21, 23]],
  [21, [22]],
];

const byId = new Map(functions.map((f) => [f.id, f]));
const edges: CallEdge[] = CALLS.flatMap(([callerId, callees]) =>
  callees.map((calleeId) => {
    const callee = byId.get(calleeId) as ProfiledFunction;
    return {
      callerId,
      calleeId,
      ncalls: callee.primitiveCalls,
      primitiveCalls: callee.primitiveCalls,
      tottimeMs: callee.tottimeMs,
      cumtimeMs: callee.cumtimeMs,
    };
  }),
);
// _format formats nested cells by calling itself.
edges.push({ callerId: 22, calleeId: 22, ncalls: 40, primitiveCalls: 0, tottimeMs: 1.1, cumtimeMs: 1.1 });

function common<M extends string>(mode: M) {
  return {
    schema: 'perflab.harness/1' as const,
    mode,
    python: { version: '3.12.3', implementation: 'CPython', executable: '/opt/perflab/.venv/bin/python' },
    cpusAvailable: 2,
    exitCode: 0,
    exception: null,
    setupError: null,
    selfMaxRssKb: 41_232,
    childrenMaxRssKb: 0,
    cpuUserMs: 1_268,
    cpuSystemMs: 41,
    harnessWallMs: 1_318,
  };
}

const profileDocument: ProfileResultView['profile'] = {
  ...common('profile'),
  functions,
  edges,
  totalMs: 1242.5,
};

/** One function's line timings; rows are [hits, timeMs, source], numbered from its `def` line. */
function timedLines(
  name: string,
  line: number,
  totalMs: number,
  rows: [hits: number, timeMs: number, source: string][],
): FunctionLineTimings {
  return {
    name,
    file: PROGRAM,
    line,
    totalMs,
    lines: rows.map(([hits, timeMs, source], i) => ({ line: line + i, hits, timeMs, source })),
  };
}

const lineTimings: HarnessResultOf<'lines'> = {
  ...common('lines'),
  functions: [
    timedLines('word_counts', 24, 1075.8, [
      [0, 0, 'def word_counts(words):'],
      [1, 0.002, '    counts = {}'],
      [5208, 4.3, '    for word in set(words):'],
      [5207, 1071.5, '        counts[word] = words.count(word)'],
      [1, 0.001, '    return counts'],
    ]),
    timedLines('normalise', 16, 124.2, [
      [0, 0, 'def normalise(word):'],
      [0, 0, '    """Lower-case a word and drop its punctuation."""'],
      [48213, 52.3, '    word = word.strip().lower()'],
      [48213, 71.9, '    return re.sub(r"[^\\w\']", "", word)'],
    ]),
  ],
};

const site = (
  file: string,
  line: number,
  origin: CodeOrigin,
  sizeBytes: number,
  count: number,
  source: string,
): AllocationSite => ({ file, line, origin, sizeBytes, count, source });

const memoryDocument: HarnessResultOf<'memory'> = {
  ...common('memory'),
  peakBytes: 9_874_321,
  peakSitesTracedBytes: 9_611_204,
  finalBytes: 1_203_776,
  peakSites: [
    site(PROGRAM, 10, 'user', 3_312_480, 3, '        text = f.read()'),
    site(PROGRAM, 11, 'user', 2_893_144, 48_214, '    return [normalise(w) for w in text.split()]'),
    site(PROGRAM, 19, 'user', 1_402_112, 9_812, '    return re.sub(r"[^\\w\']", "", word)'),
    site(
      CODECS,
      322,
      'stdlib',
      1_104_000,
      1,
      '        (result, consumed) = self._buffer_decode(data, self.errors, final)',
    ),
    site(PROGRAM, 26, 'user', 524_504, 2, '    for word in set(words):'),
    site(PROGRAM, 27, 'user', 295_008, 5_210, '        counts[word] = words.count(word)'),
    site(TABULATE, 1642, 'site-packages', 6_912, 34, '    list_of_lists = list(map(list, tabular_data))'),
  ],
  finalSites: [
    site(PROGRAM, 27, 'user', 295_008, 5_210, '        counts[word] = words.count(word)'),
    site(PROGRAM, 19, 'user', 301_104, 5_207, '    return re.sub(r"[^\\w\']", "", word)'),
  ],
  types: [
    { type: 'str', count: 48_214, sizeBytes: 2_893_144 },
    { type: 'set', count: 1, sizeBytes: 524_504 },
    { type: 'list', count: 9, sizeBytes: 386_400 },
    { type: 'dict', count: 12, sizeBytes: 301_104 },
    { type: 'int', count: 5_207, sizeBytes: 145_796 },
  ],
};

const finishedRun: RunResultView = {
  status: 'ok',
  message: 'the program finished',
  exitCode: 0,
  signal: null,
  limitHit: null,
  wallMs: 1_318,
  cpuMs: 1_309,
  peakMemoryKb: 41_232,
  queueWaitMs: 0,
  cpusAvailable: 2,
  sandbox: 'bubblewrap',
  isolated: true,
  exception: null,
  hang: null,
};

export const profileResultFixture: ProfileResultView = {
  run: finishedRun,
  profile: profileDocument,
  lines: lineTimings,
  memory: memoryDocument,
  hot: hotUserFunctions(functions, edges, 3).map((h) => ({ functionId: h.fn.id, ownLinesMs: h.ownLinesMs })),
  callTree: buildCallTree(functions, edges),
};

// ---------------------------------------------------------------- runs

export const runFixtures: Record<'finished' | 'failed' | 'hung', RunResultView> = {
  finished: finishedRun,
  failed: {
    ...finishedRun,
    status: 'program-failed',
    message: "the program raised KeyError: 'the' (wordfreq.py:40)",
    exitCode: 1,
    wallMs: 212,
    cpuMs: 198,
    peakMemoryKb: 18_920,
    exception: {
      type: 'KeyError',
      message: "'the'",
      file: PROGRAM,
      line: 40,
      traceback: [
        'Traceback (most recent call last):',
        '  File "wordfreq.py", line 61, in <module>',
        '    main()',
        '  File "wordfreq.py", line 55, in main',
        '    ranked = top_words(counts)',
        '  File "wordfreq.py", line 40, in top_words',
        "    best = counts['the']",
        "KeyError: 'the'",
      ].join('\n'),
    },
  },
  hung: {
    ...finishedRun,
    status: 'limit',
    message: 'timeout: the program was still running after 5 s of wall time and was stopped',
    exitCode: null,
    signal: 'SIGKILL',
    limitHit: 'timeout',
    wallMs: 5_012,
    cpuMs: 37,
    peakMemoryKb: 20_480,
    queueWaitMs: 840,
    sandbox: 'none',
    isolated: false,
    hang: {
      lines: [
        'process 1 (python wordfreq.py --interactive): main thread waiting in Thread.join for another thread at wordfreq.py:70 in main `reader.join()`',
        'process 1 (python wordfreq.py --interactive): thread "reader" blocked reading stdin, which never delivers data at wordfreq.py:63 in read_queries `line = input()`',
      ],
    },
  },
};

// ---------------------------------------------------------------- timeit

/** Seven samples around a median with a few percent of noise and one slow outlier, like a real machine. */
function samplesAround(medianS: number, seed: number): number[] {
  const random = seededRandom(seed);
  const samples = Array.from({ length: 7 }, () => medianS * (0.97 + random() * 0.06));
  samples[3] = medianS * 1.18;
  return samples;
}

export const timeitReportFixture: TimeitReport = buildTimeitReport([
  { expr: 'Counter(words)', loopsPerSample: 100, samplesS: samplesAround(2.31e-3, 1) },
  { expr: 'count_with_dict_get(words)', loopsPerSample: 50, samplesS: samplesAround(3.92e-3, 2) },
  { expr: 'count_with_defaultdict(words)', loopsPerSample: 50, samplesS: samplesAround(3.15e-3, 3) },
  { expr: '{w: words.count(w) for w in set(words)}', loopsPerSample: 1, samplesS: samplesAround(1.07, 4) },
]);
