/**
 * The web app's JSON API: one zod schema per request and response body. The server validates
 * every input with these and publishes them as OpenAPI (GET /api/openapi.json); the web app
 * imports only the inferred types (`import type`), so zod never reaches the browser bundle.
 *
 * Units: every `...Ms` is milliseconds, every `...At` is milliseconds since the Unix epoch.
 */
import { z } from 'zod';
import type { HarnessResultOf } from './documents.js';
import type { HangDiagnosis } from './hang.js';
import type { CallTreeNode } from './profile-model.js';
import type { SampledProfile } from './concurrency/sampled-profile.js';
import type { Timeline } from './concurrency/timeline.js';
import type { TimeitReport } from './timeit-report.js';
import type { VerifyReport } from './verify-report.js';
import { verifyReportSchema } from './verify-report-schema.js';

export const idParam = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a lowercase-kebab-case id');
const difficulty = z.enum(['beginner', 'intermediate', 'advanced']);

// ---------------------------------------------------------------- course index

export const lessonSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  difficulty,
  minutes: z.number(),
  topics: z.array(z.string()),
});
export type LessonSummary = z.infer<typeof lessonSummarySchema>;

export const exerciseSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(['debug', 'challenge']),
  difficulty,
  topics: z.array(z.string()),
});
export type ExerciseSummary = z.infer<typeof exerciseSummarySchema>;

export const lessonProgressSchema = z.object({ readAt: z.number().nullable() });
export const exerciseProgressSchema = z.object({
  /** not-started → started (opened or code saved) → attempted (verified, failed) → solved. */
  status: z.enum(['not-started', 'started', 'attempted', 'solved']),
  hintsShown: z.number().int().min(0),
  explanationShown: z.boolean(),
  solvedAt: z.number().nullable(),
});
export type ExerciseProgress = z.infer<typeof exerciseProgressSchema>;

export const progressSchema = z.object({
  lessons: z.record(z.string(), lessonProgressSchema),
  exercises: z.record(z.string(), exerciseProgressSchema),
});
export type Progress = z.infer<typeof progressSchema>;

export const courseIndexSchema = z.object({
  title: z.string(),
  summary: z.string(),
  modules: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      summary: z.string(),
      lessons: z.array(lessonSummarySchema),
      exercises: z.array(exerciseSummarySchema),
    }),
  ),
  progress: progressSchema,
});
export type CourseIndex = z.infer<typeof courseIndexSchema>;

// ---------------------------------------------------------------- lessons

export const lessonBlockViewSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('run'),
    index: z.number().int(),
    code: z.string(),
    expect: z.enum(['success', 'error', 'timeout']),
    expectedOutput: z.string().nullable(),
    files: z.record(z.string(), z.string()),
  }),
  z.object({
    kind: z.literal('compare'),
    index: z.number().int(),
    code: z.string(),
    faster: z.string(),
    slower: z.string(),
    factor: z.number(),
  }),
  /** A `python profile=…` block: its program is profiled and the claims decided on the result. */
  z.object({
    kind: z.literal('profile'),
    index: z.number().int(),
    code: z.string(),
    profiler: z.enum(['sample', 'timeline', 'memray']),
    /** The claims as written in the lesson. */
    claims: z.array(z.string()),
  }),
]);
export type LessonBlockView = z.infer<typeof lessonBlockViewSchema>;

/** The body in document order: Markdown text between runnable blocks. */
export const lessonSegmentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('markdown'), markdown: z.string() }),
  z.object({ type: z.literal('block'), block: lessonBlockViewSchema }),
]);
export type LessonSegment = z.infer<typeof lessonSegmentSchema>;

export const lessonViewSchema = lessonSummarySchema.extend({
  moduleId: z.string(),
  objectives: z.array(z.string()),
  prerequisites: z.array(z.string()),
  segments: z.array(lessonSegmentSchema),
  previous: z.string().nullable(),
  next: z.string().nullable(),
  progress: lessonProgressSchema,
});
export type LessonView = z.infer<typeof lessonViewSchema>;

// ---------------------------------------------------------------- exercises

export const workspaceFileSchema = z.object({
  path: z.string(),
  /** Text content; null for binary data files (download them instead). */
  content: z.string().nullable(),
  editable: z.boolean(),
  kind: z.enum(['code', 'data']),
  sizeBytes: z.number().int(),
});
export type WorkspaceFile = z.infer<typeof workspaceFileSchema>;

export const exerciseViewSchema = exerciseSummarySchema.extend({
  moduleId: z.string().nullable(),
  prompt: z.string(),
  /** The program the Run and Profile buttons start. */
  entry: z.string(),
  /** The learner's files (saved edits over the starter). */
  files: z.array(workspaceFileSchema),
  savedAt: z.number().nullable(),
  hintsTotal: z.number().int(),
  /** Hints revealed so far, gentlest first. */
  hints: z.array(z.string()),
  checks: z.array(z.object({ id: z.string(), kind: z.string(), title: z.string() })),
  progress: exerciseProgressSchema,
});
export type ExerciseView = z.infer<typeof exerciseViewSchema>;

/** Paths are relative, inside the workspace; no "..", no leading "/". */
export const relativeFilePath = z
  .string()
  .min(1)
  .max(200)
  .refine(
    (p) => !p.startsWith('/') && !p.split('/').includes('..') && !p.includes('\0'),
    'must be a relative path inside the workspace',
  );

export const saveFilesBodySchema = z.object({
  files: z.record(relativeFilePath, z.string().max(512 * 1024)),
});
export const savedFilesSchema = z.object({ savedAt: z.number().nullable() });
export type SavedFiles = z.infer<typeof savedFilesSchema>;
/** Restore the learner files as they were sent with an earlier run, profile or verification. */
export const restoreFilesBodySchema = z.object({ jobId: z.string().uuid() });

export const hintBodySchema = z.object({});
export const hintResponseSchema = z.object({ hints: z.array(z.string()), hintsTotal: z.number().int() });
export type HintResponse = z.infer<typeof hintResponseSchema>;
export const explanationResponseSchema = z.object({ explanation: z.string() });
export type ExplanationResponse = z.infer<typeof explanationResponseSchema>;

// ---------------------------------------------------------------- jobs

export const JOB_KINDS = ['run', 'profile', 'verify', 'timeit', 'block'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export const JOB_STATES = ['queued', 'running', 'finished', 'failed', 'cancelled', 'interrupted'] as const;
export type JobState = (typeof JOB_STATES)[number];

/**
 * Optional on every job start: an id the client made up (a v4 UUID), so it can open the job's
 * event stream (with `?pending=1`) while the start request is still on its way — the first
 * output then needs no extra round trip. A taken id is refused with 409.
 */
export const clientJobId = z.string().uuid().optional();

/**
 * Which profiler a profile job uses. cprofile: function table, line timings, tracemalloc (the
 * default). sample: py-spy samples every thread and process from outside the program.
 * timeline: VizTracer records every call of every thread, process and asyncio task.
 * memray: allocations by call stack at the peak, native ones included, and leaks.
 */
export const PROFILERS = ['cprofile', 'sample', 'timeline', 'memray'] as const;
export type Profiler = (typeof PROFILERS)[number];
const profilerField = z.enum(PROFILERS).default('cprofile');

export const startExerciseJobSchema = z.object({
  kind: z.enum(['run', 'profile', 'verify']),
  jobId: clientJobId,
  /** For kind "profile" only. */
  profiler: profilerField,
  /** The editor's current files; saved before the job starts. Omitted: the saved files. */
  files: z.record(relativeFilePath, z.string().max(512 * 1024)).optional(),
  stdin: z
    .string()
    .max(64 * 1024)
    .optional(),
});

export const workbenchFileSchema = z.object({
  path: relativeFilePath,
  /** Text, or base64 when `base64` is true (binary data files). */
  content: z.string(),
  base64: z.boolean().default(false),
});
export const startWorkbenchJobSchema = z.object({
  kind: z.enum(['run', 'profile', 'timeit']),
  jobId: clientJobId,
  /** For kind "profile" only. */
  profiler: profilerField,
  entry: relativeFilePath,
  files: z.array(workbenchFileSchema).min(1).max(50),
  args: z.array(z.string().max(1000)).max(50).default([]),
  stdin: z
    .string()
    .max(64 * 1024)
    .optional(),
  /** timeit: the functions or expressions to compare (at least two). */
  candidates: z.array(z.string().min(1).max(200)).max(8).optional(),
});

export const startBlockJobSchema = z.object({ jobId: clientJobId }).default({});
export const jobCreatedSchema = z.object({ jobId: z.string() });
/** Request bodies as a client sends them (defaults not yet applied). */
export type StartExerciseJob = z.input<typeof startExerciseJobSchema>;
export type StartWorkbenchJob = z.input<typeof startWorkbenchJobSchema>;
export type WorkbenchFile = z.input<typeof workbenchFileSchema>;
export type JobCreated = z.infer<typeof jobCreatedSchema>;

export const outputChunkSchema = z.object({
  stream: z.enum(['stdout', 'stderr']),
  text: z.string(),
  /** Since the program started. */
  tMs: z.number(),
});
export type OutputChunkView = z.infer<typeof outputChunkSchema>;

export const jobSummarySchema = z.object({
  id: z.string(),
  kind: z.enum(JOB_KINDS),
  /** "exercise:<id>", "lesson:<id>#<block index>" or "workbench". */
  target: z.string(),
  state: z.enum(JOB_STATES),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  /** One sentence: what happened (null while queued or running). */
  message: z.string().nullable(),
  /** For verify jobs: did every check pass. */
  passed: z.boolean().nullable(),
});
export type JobSummary = z.infer<typeof jobSummarySchema>;

/**
 * A whole job: its output so far and, once finished, its result. The result's shape depends
 * on `kind` (see JobResult in src/server/README.md): run → { run }, profile → { profile,
 * lines, memory, callTree, hot }, verify → { verify }, timeit → { timeit }, block → { block }.
 */
/**
 * A finished job's result, by kind (JobResultView below). The verify report is read field by
 * field (verifyReportSchema also reads stored version 1 reports); the other kinds' views are
 * built by the server from harness documents it validated, and pass whole (loose objects).
 */
function jobResultSchema(): z.ZodType<JobResultView> {
  const passedWhole = (kind: Exclude<JobKind, 'verify'>) => z.looseObject({ kind: z.literal(kind) });
  return z.discriminatedUnion('kind', [
    passedWhole('run'),
    passedWhole('profile'),
    z.looseObject({ kind: z.literal('verify'), verify: verifyReportSchema }),
    passedWhole('timeit'),
    passedWhole('block'),
  ]) as unknown as z.ZodType<JobResultView>;
}

export const jobViewSchema = jobSummarySchema.extend({
  queuePosition: z.number().int(),
  output: z.array(outputChunkSchema),
  outputTruncated: z.boolean(),
  progress: z.array(z.string()),
  /** A JobResultView (below), once finished. */
  result: jobResultSchema().nullable(),
});
export type JobView = z.infer<typeof jobViewSchema>;

export const jobListSchema = z.object({ jobs: z.array(jobSummarySchema) });
export type JobList = z.infer<typeof jobListSchema>;

/**
 * Server-sent events of GET /api/jobs/:id/events. Each SSE message's `event` is the type and
 * its `data` is the JSON of the rest of the object below (`end` → `{ job }`). The stream first replays everything so far (so a reloaded
 * page or a second tab re-attaches), then follows live, and ends after `end`.
 */
export type JobEvent =
  | { type: 'state'; state: JobState; queuePosition: number; elapsedMs: number }
  | { type: 'output'; chunk: OutputChunkView }
  | { type: 'progress'; line: string }
  | { type: 'end'; job: JobView };

/** The sandbox backend this server runs programs in, and whether it isolates them (as run and verify reports say). */
const sandboxFacts = { sandbox: z.string(), isolated: z.boolean() };

export const healthSchema = z.object({
  ok: z.boolean(),
  version: z.string(),
  ...sandboxFacts,
  cpus: z.number().int(),
  python: z.string(),
});
export type Health = z.infer<typeof healthSchema>;

export const errorSchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.string()).optional(),
});
export type ApiError = z.infer<typeof errorSchema>;

// ---------------------------------------------------------------- job results (server → browser)

/** What every sandbox run reports, trimmed for the browser. */
export interface RunResultView {
  status: 'ok' | 'program-failed' | 'limit' | 'cancelled' | 'setup-error';
  /** One sentence for a person: what happened. */
  message: string;
  exitCode: number | null;
  signal: string | null;
  limitHit: 'timeout' | 'cpu-limit' | 'memory-limit' | 'process-limit' | 'output-limit' | null;
  wallMs: number;
  cpuMs: number;
  peakMemoryKb: number;
  queueWaitMs: number;
  cpusAvailable: number | null;
  sandbox: string;
  isolated: boolean;
  exception: {
    type: string;
    message: string;
    traceback: string;
    file?: string | null;
    line?: number | null;
  } | null;
  /** Where each process and thread was stuck, when the run hit its time limit. */
  hang: HangDiagnosis | null;
}

export interface ProfileResultView {
  /** Which profiler ran; absent in results stored before there was a choice (cprofile). */
  profiler?: Profiler;
  run: RunResultView;
  /** The cProfile document (without the raw pstats bytes: download them from /artifacts/profile.prof). */
  profile: Omit<HarnessResultOf<'profile'>, 'pstatsBase64'> | null;
  /** Line timings of the hottest functions of the learner's code. */
  lines: HarnessResultOf<'lines'> | null;
  memory: HarnessResultOf<'memory'> | null;
  /** The learner's hottest functions (profile function ids), hottest first. */
  hot: { functionId: number; ownLinesMs: number }[];
  callTree: CallTreeNode[];
  /** profiler "sample": py-spy's view of every thread and process. */
  sampled?: SampledProfile | null;
  /** profiler "sample" (py-spy's samples) or "timeline" (VizTracer's calls). */
  timeline?: Timeline | null;
  /** profiler "memray": the harness's memray document without the capture bytes. */
  memray?: Omit<HarnessResultOf<'memray'>, 'captureBase64'> | null;
  /** Downloads this job has (names under /api/jobs/:id/artifacts/). */
  artifacts?: ArtifactName[];
}

/**
 * Files a profile job can offer for download:
 * - profile.prof, profile.speedscope.json: cProfile's pstats, and as speedscope;
 * - trace.json: the Chrome trace (VizTracer's, or py-spy's samples) for Perfetto/chrome://tracing;
 * - sampled.speedscope.json: py-spy's samples per thread, for speedscope;
 * - memray.bin: memray's capture, for `memray flamegraph memray.bin` and friends.
 */
export const ARTIFACT_NAMES = [
  'profile.prof',
  'profile.speedscope.json',
  'trace.json',
  'sampled.speedscope.json',
  'memray.bin',
] as const;
export type ArtifactName = (typeof ARTIFACT_NAMES)[number];

export interface TimeitResultView {
  run: RunResultView;
  gcEnabled: boolean | null;
  report: TimeitReport | null;
}

export interface BlockResultView {
  run: RunResultView | null;
  /** Compare blocks: whether garbage collection ran while timing (timeit turns it off). */
  gcEnabled: boolean | null;
  ok: boolean;
  /** What matched or not, or the measured ratio of a compare block. */
  detail: string;
  timeit: TimeitReport | null;
  /** Profile blocks: which profiler ran, each claim's verdict, and the views to draw. */
  profiler?: 'sample' | 'timeline' | 'memray';
  claims?: { text: string; ok: boolean; detail: string }[];
  sampled?: SampledProfile | null;
  timeline?: Timeline | null;
  memray?: Omit<HarnessResultOf<'memray'>, 'captureBase64'> | null;
}

export type JobResultView =
  | { kind: 'run'; run: RunResultView }
  | ({ kind: 'profile' } & ProfileResultView)
  | { kind: 'verify'; verify: VerifyReport }
  | ({ kind: 'timeit' } & TimeitResultView)
  | ({ kind: 'block' } & BlockResultView);
