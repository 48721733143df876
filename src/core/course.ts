/**
 * The course format (docs/authoring.md, "Writing the course"): schemas of course.yaml,
 * module and lesson front matter and drills, runnable-block options, and expected-output
 * matching. Plain data and functions; reading files happens in src/course.
 */
import { z } from 'zod';
import { drillOutputSpecSchema } from './drill-expect.js';

const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase-kebab-case');

export const courseFileSchema = z
  .object({
    title: z.string().min(3),
    summary: z.string().min(3),
    modules: z.array(z.string().min(1)).min(1),
    topics: z.array(z.object({ id, title: z.string().min(3) }).strict()).min(1),
  })
  .strict();
export type CourseFile = z.infer<typeof courseFileSchema>;

export const moduleFrontMatterSchema = z
  .object({
    title: z.string().min(3),
    summary: z.string().min(3),
    lessons: z.array(z.string().regex(/\.md$/, 'must name a lesson file ending in .md')).min(1),
    exercises: z.array(id).default([]),
  })
  .strict();
export type ModuleFrontMatter = z.infer<typeof moduleFrontMatterSchema>;

export const lessonFrontMatterSchema = z
  .object({
    id,
    title: z.string().min(3),
    difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
    minutes: z.number().int().positive(),
    objectives: z.array(z.string().min(3)).min(1),
    prerequisites: z.array(id).default([]),
    topics: z.array(id).min(1),
  })
  .strict();
export type LessonFrontMatter = z.infer<typeof lessonFrontMatterSchema>;

export const drillSchema = z
  .object({
    id,
    kind: z.enum(['quick-fire', 'scenario', 'code-reading']),
    question: z.string().min(5),
    answer: z.string().min(3),
    full: z.string().min(3),
    topics: z.array(id).min(1),
    lesson: id,
    /**
     * The rubric: 3–6 points a strong answer names. Optional in the schema so that a course
     * still loads without them; the course loader reports a drill without as a problem, so
     * `perflab check` fails on it.
     */
    key_points: z.array(z.string().min(3)).min(3).max(6).optional(),
    /** Code-reading: the real tool output the question shows (course/drills/README.md). */
    output: drillOutputSpecSchema.optional(),
  })
  .strict();
export type Drill = z.infer<typeof drillSchema>;

/** A `python run` block and what it must print. */
export interface RunBlock {
  kind: 'run';
  /** 1-based line of the opening fence in the lesson file. */
  line: number;
  code: string;
  expect: 'success' | 'error' | 'timeout';
  timeoutS: number;
  stdin: 'closed' | 'terminal';
  /** Extra files from preceding ```text file=NAME blocks. */
  files: Record<string, string>;
  expectedOutput: string | null;
  unordered: boolean;
}

/** A `python compare` block: `slower` must take at least `factor`× as long as `faster`. */
export interface CompareBlock {
  kind: 'compare';
  line: number;
  code: string;
  faster: string;
  slower: string;
  factor: number;
}

/** Profilers a `python profile=…` block can ask for (docs/authoring.md, "Profile blocks"). */
export const PROFILE_BLOCK_PROFILERS = ['sample', 'timeline', 'memray'] as const;
export type ProfileBlockProfiler = (typeof PROFILE_BLOCK_PROFILERS)[number];

/**
 * One claim of a profile block, decided on the structure of the result (which function, which
 * lanes at once), never on a timing. `text` is the claim as written; `line` its 1-based line in
 * the lesson file.
 * - hot: the learner function with the most self samples is `name`, optionally in worker
 *   threads of the first process, in child processes, or in the main thread.
 * - concurrency: the most lanes in one state at once is ≤ 1 (serial) or ≥ `atLeast`
 *   (overlapping); the state is `running` or `waiting-io` (the larger peak) unless named.
 * - peak-in: at memray's peak, the learner function holding the most bytes (allocated with it
 *   as the innermost learner frame) is `name`.
 * - leak-in: the largest never-freed allocation with a learner frame was made in `name`.
 */
export type ProfileClaim = { text: string; line: number } & (
  | { kind: 'hot'; name: string; where: 'threads' | 'processes' | 'main-thread' | null }
  | {
      kind: 'concurrency';
      overlapping: boolean;
      atLeast: number;
      state: 'running' | 'waiting-io' | 'waiting-lock' | null;
    }
  | { kind: 'peak-in'; name: string }
  | { kind: 'leak-in'; name: string }
);

/** A `python profile=sample|timeline|memray` block and the claims its `claims` fence states. */
export interface ProfileBlock {
  kind: 'profile';
  line: number;
  code: string;
  profiler: ProfileBlockProfiler;
  timeoutS: number;
  files: Record<string, string>;
  claims: ProfileClaim[];
}

export type LessonBlock = RunBlock | CompareBlock | ProfileBlock;

/** `key=value` words of a fence's info string (`python run expect=error`, `text file=data.csv`). */
export function parseInfoOptions(info: string): Record<string, string> {
  const options: Record<string, string> = {};
  for (const part of info.trim().split(/\s+/)) {
    const equals = part.indexOf('=');
    if (equals > 0) options[part.slice(0, equals)] = part.slice(equals + 1);
  }
  return options;
}

const NUMBER = String.raw`[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?`;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One expected line as a regular expression: `{...}` any text, `{n}` a number. */
function linePattern(expected: string): RegExp {
  const parts = expected.split(/(\{\.\.\.\}|\{n\})/);
  const source = parts
    .map((part) => (part === '{...}' ? '.*' : part === '{n}' ? NUMBER : escapeRegExp(part)))
    .join('');
  return new RegExp(`^${source}$`);
}

function normalise(text: string): string[] {
  const lines = text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface OutputMatch {
  matches: boolean;
  /** First expected line that did not match (1-based within the output block), when not matching. */
  firstMismatch: { expectedLine: number; expected: string; actual: string | null } | null;
}

/** Matches actual output against an expected block with `{...}`, `{n}` and `...` lines. */
export function matchOutput(expected: string, actual: string, unordered = false): OutputMatch {
  const want = normalise(expected);
  const got = normalise(actual);
  if (unordered) {
    const remaining = [...got];
    for (let i = 0; i < want.length; i++) {
      const pattern = linePattern(want[i] as string);
      const index = remaining.findIndex((line) => pattern.test(line));
      if (index < 0)
        return {
          matches: false,
          firstMismatch: { expectedLine: i + 1, expected: want[i] as string, actual: null },
        };
      remaining.splice(index, 1);
    }
    return remaining.length === 0
      ? { matches: true, firstMismatch: null }
      : {
          matches: false,
          firstMismatch: {
            expectedLine: want.length + 1,
            expected: '(end of output)',
            actual: remaining[0] ?? null,
          },
        };
  }
  // Backtracking over `...` lines, which match any number of actual lines.
  const memo = new Map<string, boolean>();
  let deepest = { want: 0, got: 0 };
  const match = (w: number, g: number): boolean => {
    const key = `${w}:${g}`;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    if (w > deepest.want || (w === deepest.want && g > deepest.got)) deepest = { want: w, got: g };
    let result: boolean;
    if (w === want.length) result = g === got.length;
    else if (want[w] === '...') result = match(w + 1, g) || (g < got.length && match(w, g + 1));
    else
      result = g < got.length && linePattern(want[w] as string).test(got[g] as string) && match(w + 1, g + 1);
    memo.set(key, result);
    return result;
  };
  if (match(0, 0)) return { matches: true, firstMismatch: null };
  return {
    matches: false,
    firstMismatch: {
      expectedLine: deepest.want + 1,
      expected: want[deepest.want] ?? '(end of output)',
      actual: got[deepest.got] ?? null,
    },
  };
}
