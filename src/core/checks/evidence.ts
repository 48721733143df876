/**
 * The evidence each check kind records: one zod schema per kind, read by the CLI, the JSON
 * report and the web views. A field is optional when some outcome of its kind does not write
 * it (a check the grader did not measure records nothing; a speed check that returned a wrong
 * result records only that) or when reports stored by earlier versions lack it. Objects are
 * loose on read so a stored report keeps fields this version does not name; the TypeScript
 * types (`EvidenceOf`) are the strict shapes.
 */
import { z } from 'zod';
import { TIMELINE_FORMAT, type Timeline } from '../concurrency/timeline.js';
import { memoryTreeNodeSchema } from '../documents.js';
import type { CheckKind } from '../exercise.js';

/** What every kind may record when it was not measured: the grader's raw measurement (on its error). */
const notMeasured = { measurement: z.unknown().optional() };

/** Undecided checks: how many measurements were taken and how long the verification waited between them. */
const undecidedExtras = {
  attempts: z.number().int().optional(),
  waitedMs: z.number().optional(),
};

/** A program's output against the reference solution's on the same input (tails, ~600 characters). */
const outputs = { stdout: z.string().optional(), expectedStdout: z.string().optional() };

/**
 * Display-only views a concurrency check (overlap, CPU scaling, the race) attaches: the
 * timeline of a run it judged, sampled by py-spy from the host. No verdict reads these fields:
 * the decision rests on the grader's or the host's own measurements, and a missing timeline
 * never changes it (then `timelineMissing` says why).
 */
const timelineSchema = z.custom<Timeline>(
  (value) => typeof value === 'object' && value !== null && (value as Timeline).format === TIMELINE_FORMAT,
);
const concurrencyViews = {
  /** The lanes of the run, sliced to the window where the check's call was on a stack. */
  timeline: timelineSchema.optional(),
  /** One sentence read off the timeline: "at most 1 of 6 fetches was in flight at once". */
  concurrency: z.string().optional(),
  /** Which run the timeline shows and how it was sampled ("the judged run, sampled at 100 Hz"). */
  timelineSource: z.string().optional(),
  /** Why no timeline is attached (the sampler failed or saw no call): the verdict is unchanged. */
  timelineMissing: z.string().optional(),
};

/** The flame graph at the peak of a memory check (memray, a separate unjudged run): display only. */
const memoryViews = {
  memoryPeak: z
    .object({
      /** Heap in use at its highest in the evidence run (bytes). */
      peakBytes: z.number(),
      /** Allocations alive at the peak by call stack (bytes), trimmed to the largest nodes. */
      tree: memoryTreeNodeSchema,
      /** Nodes left out by the trim (their bytes stay in their parents' totals). */
      trimmedNodes: z.number().int().optional(),
      /** What the evidence run did: "memray, 100000 instances through record_factory.make_record". */
      source: z.string().optional(),
    })
    .optional(),
  /** Why no flame graph is attached: the verdict is unchanged. */
  memoryPeakMissing: z.string().optional(),
};

const interval = z.tuple([z.number(), z.number()]);
const timedPoint = z.object({ n: z.number(), timeS: z.number() });
/** core/growth's GrowthFit: the simplest model that fits, its error and the log-log slope. */
const growthFit = z.object({
  model: z.string(),
  logLogSlope: z.number(),
  relativeError: z.number().optional(),
  errors: z.record(z.string(), z.number()).optional(),
});

const correctness = {
  ...notMeasured,
  /** How many hidden cases ran. */
  cases: z.number().int().optional(),
  /** The first few cases that differ from the reference. */
  failed: z
    .array(
      z.object({
        index: z.number().int(),
        passed: z.boolean(),
        argsSummary: z.string(),
        expectedRepr: z.string().nullable().optional(),
        actualRepr: z.string().nullable().optional(),
        error: z.string().nullable().optional(),
      }),
    )
    .optional(),
};

const speed = {
  ...notMeasured,
  ...undecidedExtras,
  /** Median over rounds of baseline time / learner time: 3 means three times faster. */
  speedup: z.number().optional(),
  /** 95 % bootstrap interval [low, high] of the speed-up. */
  interval: interval.optional(),
  rounds: z.number().int().optional(),
  baselineMedianS: z.number().optional(),
  candidateMedianS: z.number().optional(),
  loopsPerSample: z.number().int().optional(),
  /** The authored rule: at least this many times faster than the starter … */
  atLeast: z.number().nullable().optional(),
  /** … or at most this many times the reference's time. */
  within: z.number().nullable().optional(),
  /** The speed-up over the baseline the decision needed (atLeast, or 1 / within). */
  requiredSpeedup: z.number().optional(),
  /** The call returned a wrong result while timed (then nothing else is recorded). */
  wrongResult: z
    .object({ argsSummary: z.string(), expectedRepr: z.string(), actualRepr: z.string() })
    .optional(),
};

const growth = {
  ...notMeasured,
  learner: z.array(timedPoint).optional(),
  reference: z.array(timedPoint).nullable().optional(),
  learnerFit: growthFit.optional(),
  referenceFit: growthFit.nullable().optional(),
  /** The steepest growth model allowed. */
  limit: z.string().optional(),
};

const memoryPerInstance = {
  ...notMeasured,
  bytesPerInstance: z.number().nullable().optional(),
  hasDict: z.boolean().nullable().optional(),
  className: z.string().nullable().optional(),
  ...memoryViews,
};

const overlap = {
  ...notMeasured,
  wallS: z.number().nullable().optional(),
  maxInFlight: z.number().int().optional(),
  requestsServed: z.number().int().optional(),
  /** The wall time allowed (latency × (1 + slack)) and the time one call after another would take. */
  budgetS: z.number().optional(),
  sequentialS: z.number().optional(),
  ...concurrencyViews,
};

const cpuScaling = {
  ...notMeasured,
  ...undecidedExtras,
  /** Median of serial time / learner time over rounds. */
  speedup: z.number().optional(),
  /** The speed-up k busy processes got over one while measuring (the machine's parallel capacity). */
  capacity: z.number().optional(),
  cpusAvailable: z.number().int().optional(),
  learnerS: z.array(z.number()).optional(),
  serialS: z.array(z.number()).optional(),
  /** The speed-up needed on this machine; absent when the check could not be decided. */
  required: z.number().optional(),
  ...concurrencyViews,
};

const hang = {
  ...outputs,
  wallMs: z.number().optional(),
  exitCode: z.number().int().nullable().optional(),
  stderr: z.string().optional(),
  /** One line per stuck thread, when the run hit its time limit. */
  stuck: z.array(z.string()).optional(),
  /** How many hidden inputs the program ran on. */
  hiddenInputs: z.number().int().optional(),
};

const race = {
  outcomes: z
    .array(
      z.object({
        /** Which hidden input (1-based); absent in older reports. */
        input: z.number().int().optional(),
        count: z.number().int(),
        exitCode: z.number().int().nullable(),
        stdout: z.string(),
        expected: z.boolean().optional(),
      }),
    )
    .optional(),
  expectedStdout: z.array(z.string().nullable()).optional(),
  switchIntervalS: z.number().optional(),
  runs: z.number().int().optional(),
  ...concurrencyViews,
};

/** One line of a failed memory check's evidence: where the Python heap was at its peak. */
const allocationSite = z.object({
  where: z.string(),
  /** MiB, one decimal. */
  sizeMb: z.number(),
  blocks: z.number().int(),
  source: z.string(),
});
export type AllocationSiteEvidence = z.infer<typeof allocationSite>;
/** The views a concurrency check may attach (overlap, cpu-scaling, race). */
export type ConcurrencyViews = z.output<z.ZodObject<typeof concurrencyViews>>;
/** The flame graph at the peak a memory check may attach. */
export type MemoryPeakView = NonNullable<z.output<z.ZodObject<typeof memoryViews>>['memoryPeak']>;

const memoryPeak = {
  ...outputs,
  /** The peak the verdict rests on: the program's figure floored by the kernel's (MiB). */
  peakMb: z.number().optional(),
  reportedByProgramMb: z.number().nullable().optional(),
  measuredByKernelMb: z.number().optional(),
  maxMb: z.number().optional(),
  allocationSitesAtPeak: z.array(allocationSite).optional(),
};

const memoryStreaming = {
  ...outputs,
  /** One figure per input scale (MiB). */
  peaksMb: z.array(z.number()).optional(),
  reportedByProgramMb: z.array(z.number().nullable()).optional(),
  measuredByKernelMb: z.array(z.number()).optional(),
  /** Peak at the larger scale / peak at the smaller. */
  growth: z.number().optional(),
  allocationSitesAtPeak: z.array(allocationSite).optional(),
};

const testsOfTests = {
  correct: z
    .array(
      z.object({
        label: z.string(),
        passed: z.boolean(),
        failedTests: z.array(z.string()).optional(),
        where: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  mutants: z
    .array(z.object({ label: z.string(), caught: z.boolean(), failedTests: z.array(z.string()).optional() }))
    .optional(),
};

const shapes = {
  correctness,
  speed,
  growth,
  'memory-peak': memoryPeak,
  'memory-streaming': memoryStreaming,
  'memory-per-instance': memoryPerInstance,
  overlap,
  'cpu-scaling': cpuScaling,
  race,
  hang,
  'tests-of-tests': testsOfTests,
} satisfies Record<CheckKind, z.ZodRawShape>;

type Shapes = typeof shapes;
/** The evidence a check of kind K records (strict: the fields this version writes). */
export type EvidenceOf<K extends CheckKind> = z.output<z.ZodObject<Shapes[K]>>;

/** Reading schemas, loose: a stored report keeps the fields this version does not know. */
export const evidenceSchemas = Object.fromEntries(
  Object.entries(shapes).map(([kind, shape]) => [kind, z.looseObject(shape)]),
) as unknown as { [K in CheckKind]: z.ZodType<EvidenceOf<K>> };
