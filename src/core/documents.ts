/**
 * The versioned JSON documents that cross between the TypeScript host and the Python
 * harness (docs/harness-protocol.md). These zod schemas are the contract's single source:
 * every document from Python is parsed through them before use, and the JSON Schemas the
 * harness validates its inputs against (python/perflab_harness/schemas/) are generated from
 * them (src/pyenv/harness-schemas.ts). A constraint the harness relies on belongs here.
 */
import { z } from 'zod';

export const HARNESS_MODES = [
  'run',
  'profile',
  'lines',
  'memory',
  'timeit',
  'repeat',
  'grade',
  'timeline',
  'memray',
] as const;
export type HarnessMode = (typeof HARNESS_MODES)[number];

export const lineTargetSchema = z.object({
  file: z.string().min(1),
  line: z.number().int().nonnegative(),
  name: z.string().min(1),
});
export type LineTarget = z.infer<typeof lineTargetSchema>;

const naturalNumber = z.number().int().nonnegative();
/** An rlimit's soft and hard value; null leaves the limit as inherited. */
const rlimitValue = naturalNumber.nullable();

export const jobDocumentSchema = z.object({
  schema: z.literal('perflab.job/1'),
  mode: z.enum(HARNESS_MODES),
  entry: z.string(),
  argv: z.array(z.string()),
  rlimits: z.object({
    nproc: rlimitValue,
    fileSizeBytes: rlimitValue,
    openFiles: rlimitValue,
    cpuSeconds: rlimitValue,
    addressSpaceBytes: rlimitValue,
  }),
  dropPrivileges: z.object({ uid: naturalNumber, gid: naturalNumber }).nullable(),
  lines: z.object({ targets: z.array(lineTargetSchema) }).optional(),
  memory: z.object({ topSites: naturalNumber, topTypes: naturalNumber }).optional(),
  timeit: z
    .object({
      candidates: z.array(z.string()).min(1),
      rounds: z.number().int().min(1),
      minBatchS: z.number().positive(),
      gcEnabled: z.boolean(),
    })
    .optional(),
  repeat: z.object({ times: z.number().int().min(1), timeoutS: z.number().positive() }).optional(),
  /**
   * The learner process stops itself (SIGSTOP) after its setup and before any learner code,
   * so the host can attach a sampler (py-spy) from outside the sandbox and then continue it
   * (SIGCONT). Any mode; see docs/harness-protocol.md, "Sampling".
   */
  sampleGate: z.boolean().optional(),
  /** VizTracer around the program: at most `maxEvents` trace events are kept (the earliest). */
  timeline: z
    .object({ maxEvents: z.number().int().min(1000).max(2_000_000), logAsync: z.boolean() })
    .optional(),
  /**
   * memray around the program. `maxLeaks` leak stacks and a peak tree of at most `maxNodes`
   * nodes are reported; the capture file is sent only when it is at most `maxCaptureBytes`.
   */
  memray: z
    .object({
      nativeTraces: z.boolean(),
      maxLeaks: z.number().int().min(0).max(1000),
      maxNodes: z.number().int().min(10).max(20_000),
      maxCaptureBytes: z
        .number()
        .int()
        .min(0)
        .max(64 * 1024 * 1024),
    })
    .optional(),
  // The seed travels in the hidden document (learner code can read the job file); grade.seed
  // is read only when the hidden document has none.
  // requestTimeoutS: how long the grader waits for one worker reply (default 30 s); the
  // harness's own tests shorten it.
  grade: z
    .object({
      seed: z.number().int().optional(),
      checks: z.array(z.lazy(() => gradeCheckSchema)),
      requestTimeoutS: z.number().positive().optional(),
    })
    .optional(),
});
export type JobDocument = z.infer<typeof jobDocumentSchema>;

/** File path → source text. */
const sourceTreeSchema = z.record(z.string(), z.string());

/**
 * The grader's hidden material, on a pipe only the grader reads (docs/harness-protocol.md,
 * "Grading mode"): the reference and starter trees, the hidden test files, and the seed of
 * the hidden inputs (learner code can read the job file; with the seed and the course's
 * public input functions it could compute every hidden input).
 */
export const hiddenDocumentSchema = z.object({
  schema: z.literal('perflab.hidden/1'),
  seed: z.number().int().nullable().optional(),
  trees: z.partialRecord(z.enum(['reference', 'starter']), sourceTreeSchema).optional(),
  tests: sourceTreeSchema.optional(),
});
export type HiddenDocument = z.infer<typeof hiddenDocumentSchema>;

const callField = z.string().regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/, 'must be module.function');
const positiveCount = z.number().int().min(1);

/** The fields every check has: which check, and the learner function it calls. */
function checkOf<K extends string>(kind: K) {
  return { id: z.string().min(1), kind: z.literal(kind), call: callField };
}

/** A hidden test file's function that makes the check's inputs (docs/authoring.md). */
const inputFields = {
  inputFile: z.string().min(1),
  inputFunction: z.string().regex(/^[A-Za-z_]\w*$/, 'must be a function name'),
};

/** One function-level check as the grader runs it (docs/harness-protocol.md, "Grading mode"). */
export const gradeCheckSchema = z.discriminatedUnion('kind', [
  z.object({
    ...checkOf('correctness'),
    casesFile: z.string().min(1),
    compare: z.enum(['equal', 'sorted', 'approx']),
  }),
  z.object({
    ...checkOf('speed'),
    ...inputFields,
    baseline: z.enum(['starter', 'reference']),
    rounds: positiveCount,
  }),
  z.object({
    ...checkOf('growth'),
    ...inputFields,
    sizes: z.array(positiveCount).min(1),
    repeats: positiveCount,
    withReference: z.boolean(),
  }),
  z.object({ ...checkOf('memory-per-instance'), count: positiveCount, noDict: z.boolean() }),
  z.object({ ...checkOf('overlap'), ...inputFields, latencyMs: z.number().positive() }),
  z.object({ ...checkOf('cpu-scaling'), ...inputFields, serialCall: callField, rounds: positiveCount }),
]);
export type GradeCheck = z.infer<typeof gradeCheckSchema>;

const nullableError = z.string().nullable().optional();
const timedPoint = z.object({ n: z.number(), timeS: z.number() });

/** One case of a correctness check, as the grader reports it. */
export const correctnessCaseSchema = z.object({
  index: z.number().int(),
  passed: z.boolean(),
  argsSummary: z.string(),
  expectedRepr: z.string().nullable().optional(),
  actualRepr: z.string().nullable().optional(),
  error: nullableError,
});
export type CorrectnessCase = z.infer<typeof correctnessCaseSchema>;

/** The fields every measurement has; error is the sentence of a check that failed to measure. */
function measurementOf<K extends string>(kind: K) {
  return { id: z.string(), kind: z.literal(kind), error: nullableError };
}

export const measurementSchema = z.discriminatedUnion('kind', [
  z.object({ ...measurementOf('correctness'), cases: z.array(correctnessCaseSchema) }),
  z.object({
    ...measurementOf('speed'),
    baselineS: z.array(z.number()),
    candidateS: z.array(z.number()),
    loopsPerSample: z.number().int(),
    wrongResult: z
      .object({ argsSummary: z.string(), expectedRepr: z.string(), actualRepr: z.string() })
      .nullable()
      .optional(),
  }),
  z.object({
    ...measurementOf('growth'),
    learner: z.array(timedPoint),
    reference: z.array(timedPoint).nullable().optional(),
    stoppedAtN: z.number().nullable().optional(),
  }),
  z.object({
    ...measurementOf('memory-per-instance'),
    bytesPerInstance: z.number().nullable(),
    hasDict: z.boolean().nullable(),
    className: z.string().nullable().optional(),
  }),
  z.object({
    ...measurementOf('overlap'),
    wallS: z.number().nullable(),
    maxInFlight: z.number().int(),
    requestsServed: z.number().int(),
    resultOk: z.boolean(),
  }),
  z.object({
    ...measurementOf('cpu-scaling'),
    learnerS: z.array(z.number()),
    serialS: z.array(z.number()),
    /** Per round: the speed-up k busy processes got over one while measuring (1 … cpus). */
    capacity: z.array(z.number()).optional(),
    cpusAvailable: z.number().int(),
    resultOk: z.boolean(),
  }),
]);
export type Measurement = z.infer<typeof measurementSchema>;

export const ORIGINS = ['user', 'stdlib', 'site-packages', 'builtin'] as const;
export type CodeOrigin = (typeof ORIGINS)[number];

const exceptionSchema = z.object({
  type: z.string(),
  message: z.string(),
  traceback: z.string(),
  file: z.string().nullable().optional(),
  line: z.number().int().nullable().optional(),
});

const setupErrorSchema = z.object({
  kind: z.enum(['entry-missing', 'not-utf8', 'bad-job', 'harness']),
  message: z.string(),
});

const commonResultFields = {
  schema: z.literal('perflab.harness/1'),
  python: z.object({ version: z.string(), implementation: z.string(), executable: z.string() }),
  cpusAvailable: z.number().int().min(1),
  exitCode: z.number().int().nullable(),
  /** The signal that ended the learner process (exitCode is then null); absent in older documents. */
  signal: z.string().nullable().optional(),
  exception: exceptionSchema.nullable(),
  setupError: setupErrorSchema.nullable(),
  selfMaxRssKb: z.number().nonnegative(),
  childrenMaxRssKb: z.number().nonnegative(),
  cpuUserMs: z.number().nonnegative(),
  cpuSystemMs: z.number().nonnegative(),
  harnessWallMs: z.number().nonnegative(),
  /**
   * Whether the learner process's own findings (exception, mode fields) arrived and passed
   * the supervisor's checks; absent in grade mode and in older documents.
   */
  learnerReport: z.enum(['received', 'missing', 'rejected']).optional(),
};

/** Where a function or an allocation is: file relative to the work dir when it is the learner's. */
const codeLocation = { file: z.string(), line: z.number().int(), origin: z.enum(ORIGINS) };

/** cProfile's figures, for a function and for one caller → callee edge alike. */
const callTimings = {
  ncalls: z.number().int(),
  primitiveCalls: z.number().int(),
  tottimeMs: z.number(),
  cumtimeMs: z.number(),
};

export const profiledFunctionSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  ...codeLocation,
  ...callTimings,
});
export type ProfiledFunction = z.infer<typeof profiledFunctionSchema>;

export const callEdgeSchema = z.object({
  callerId: z.number().int(),
  calleeId: z.number().int(),
  ...callTimings,
});
export type CallEdge = z.infer<typeof callEdgeSchema>;

export const lineTimingSchema = z.object({
  line: z.number().int(),
  hits: z.number().int(),
  timeMs: z.number(),
  source: z.string(),
});

export const functionLineTimingsSchema = z.object({
  name: z.string(),
  file: z.string(),
  line: z.number().int(),
  totalMs: z.number(),
  lines: z.array(lineTimingSchema),
});
export type FunctionLineTimings = z.infer<typeof functionLineTimingsSchema>;

export const allocationSiteSchema = z.object({
  ...codeLocation,
  sizeBytes: z.number(),
  count: z.number().int(),
  source: z.string(),
});
export type AllocationSite = z.infer<typeof allocationSiteSchema>;

export const timeitCandidateSchema = z.object({
  expr: z.string(),
  loopsPerSample: z.number().int().min(1),
  samplesS: z.array(z.number()),
});
export type TimeitCandidateSamples = z.infer<typeof timeitCandidateSchema>;

export const repeatOutcomeSchema = z.object({
  exitCode: z.number().int().nullable(),
  stdout: z.string(),
  count: z.number().int(),
  stderrSample: z.string(),
});

/**
 * One Chrome trace event (the "Trace Event Format" Perfetto and chrome://tracing read). Only
 * the fields perflab reads are named; the rest pass through untouched to the download.
 * Units: `ts` and `dur` are microseconds.
 */
export const traceEventSchema = z
  .object({
    ph: z.string(),
    name: z.string().optional(),
    cat: z.string().optional(),
    pid: z.union([z.number(), z.string()]).optional(),
    tid: z.union([z.number(), z.string()]).optional(),
    ts: z.number().optional(),
    dur: z.number().optional(),
    id: z.union([z.number(), z.string()]).optional(),
    args: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();
export type TraceEvent = z.infer<typeof traceEventSchema>;

/** A frame of a memray stack: Python, or native (C/C++, from the shared object it is in). */
export const memoryFrameSchema = z.object({
  name: z.string(),
  file: z.string(),
  line: z.number().int(),
  origin: z.enum(ORIGINS),
  native: z.boolean(),
});
export type MemoryFrame = z.infer<typeof memoryFrameSchema>;

/**
 * The allocations alive at the peak, by call stack, as a tree (root: the whole program; a
 * node's `bytes` include its children's). Units: bytes.
 */
export interface MemoryTreeNode {
  frame: MemoryFrame | null;
  bytes: number;
  allocations: number;
  children: MemoryTreeNode[];
}
export const memoryTreeNodeSchema: z.ZodType<MemoryTreeNode> = z.lazy(() =>
  z.object({
    frame: memoryFrameSchema.nullable(),
    bytes: z.number().nonnegative(),
    allocations: z.number().int().nonnegative(),
    children: z.array(memoryTreeNodeSchema),
  }),
);

/** Memory allocated and never freed before the program ended, by the stack that allocated it. */
export const memoryLeakSchema = z.object({
  bytes: z.number().nonnegative(),
  allocations: z.number().int().nonnegative(),
  /** Innermost frame first. */
  frames: z.array(memoryFrameSchema),
});
export type MemoryLeak = z.infer<typeof memoryLeakSchema>;

export const harnessResultSchema = z.discriminatedUnion('mode', [
  z.object({ ...commonResultFields, mode: z.literal('run') }),
  z.object({
    ...commonResultFields,
    mode: z.literal('profile'),
    functions: z.array(profiledFunctionSchema),
    edges: z.array(callEdgeSchema),
    totalMs: z.number(),
    pstatsBase64: z.string(),
  }),
  z.object({
    ...commonResultFields,
    mode: z.literal('lines'),
    functions: z.array(functionLineTimingsSchema),
  }),
  z.object({
    ...commonResultFields,
    mode: z.literal('memory'),
    peakBytes: z.number(),
    finalBytes: z.number(),
    peakSites: z.array(allocationSiteSchema),
    /** Bytes traced when peakSites was taken (≤ peakBytes); absent in results stored before it existed. */
    peakSitesTracedBytes: z.number().optional(),
    finalSites: z.array(allocationSiteSchema),
    types: z.array(z.object({ type: z.string(), count: z.number().int(), sizeBytes: z.number() })),
  }),
  z.object({
    ...commonResultFields,
    mode: z.literal('timeit'),
    gcEnabled: z.boolean(),
    candidates: z.array(timeitCandidateSchema),
  }),
  z.object({ ...commonResultFields, mode: z.literal('grade'), measurements: z.array(measurementSchema) }),
  z.object({
    ...commonResultFields,
    mode: z.literal('timeline'),
    /** VizTracer's events; learner files' paths relative to the work dir. */
    traceEvents: z.array(traceEventSchema),
    /** Events VizTracer or the harness left out (buffer full, over maxEvents). */
    droppedEvents: z.number().int().nonnegative(),
    tracer: z.object({ name: z.literal('viztracer'), version: z.string() }),
  }),
  z.object({
    ...commonResultFields,
    mode: z.literal('memray'),
    tracer: z.object({ name: z.literal('memray'), version: z.string() }),
    nativeTraces: z.boolean(),
    /** Heap in use at its highest, as memray saw it (bytes), and allocations alive then. */
    peakBytes: z.number().nonnegative(),
    peakAllocations: z.number().int().nonnegative(),
    /** Everything allocated over the run (bytes), freed or not. */
    totalAllocatedBytes: z.number().nonnegative(),
    peakTree: memoryTreeNodeSchema,
    /** Largest first; at most job.memray.maxLeaks. */
    leaks: z.array(memoryLeakSchema),
    leakedBytes: z.number().nonnegative(),
    /** memray's capture file (open with `memray flamegraph FILE`), base64; null when too big. */
    captureBase64: z.string().nullable(),
    captureBytes: z.number().int().nonnegative(),
  }),
  z.object({
    ...commonResultFields,
    mode: z.literal('repeat'),
    times: z.number().int(),
    outcomes: z.array(repeatOutcomeSchema),
  }),
]);
export type HarnessResult = z.infer<typeof harnessResultSchema>;
export type HarnessResultOf<M extends HarnessMode> = Extract<HarnessResult, { mode: M }>;

export const stackFrameSchema = z.object({
  file: z.string(),
  line: z.number().int().nullable(),
  function: z.string(),
  code: z.string().nullable().optional(),
});
export type StackFrame = z.infer<typeof stackFrameSchema>;

export const stackDumpSchema = z.object({
  schema: z.literal('perflab.stacks/1'),
  pid: z.number().int(),
  ppid: z.number().int(),
  argv: z.array(z.string()),
  threads: z.array(
    z.object({
      name: z.string(),
      ident: z.number(),
      daemon: z.boolean(),
      isMain: z.boolean(),
      frames: z.array(stackFrameSchema),
    }),
  ),
});
export type StackDump = z.infer<typeof stackDumpSchema>;
