/**
 * The exercise format (docs/authoring.md): the schema of meta.yaml and the pure parts of
 * checking an exercise folder. Reading files happens in src/exercises; this is plain data.
 */
import { z } from 'zod';
import { GROWTH_MODELS } from './growth.js';

const id = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase-kebab-case, like "word-frequency"');
const call = z
  .string()
  .regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$/, 'must name module.function, like "words.word_frequencies"');
const fileFunction = z
  .string()
  .regex(/^[^:]+\.py:[A-Za-z_]\w*$/, 'must be FILE.py:FUNCTION, like "tests/inputs.py:big_text"');
const relativePath = z
  .string()
  .min(1)
  .refine(
    (p) => !p.startsWith('/') && !p.split('/').includes('..'),
    'must be a path inside the exercise folder',
  );
const stdinSpec = z.union([z.enum(['closed', 'terminal']), z.object({ text: z.string() })]);

const base = { id, title: z.string().optional() };

/** Where a program-level check puts its hidden input in the run's folder (a plain file name). */
const dataFile = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'must be a file name in the program\'s folder, like "orders.csv"');
/**
 * A hidden input for a program-level check: `data` names a generator in tests/,
 * `f(path, rng)`, run afresh per verification with a seed the learner cannot predict
 * (`datasets` inputs, each from its own seed); its file is placed at `dataFile` (replacing a
 * starter file of that name, if any), and `{path}` in `args` stands for that name.
 */
const hiddenInput = {
  data: fileFunction.optional(),
  dataFile: dataFile.default('input.data'),
  datasets: z.number().int().min(1).max(10).default(1),
};
/** `reference`: the program's stdout must equal the reference solution's on the same input. */
const outputRule = z.enum(['reference', 'any']);

export const authoredCheckSchema = z.discriminatedUnion('kind', [
  z
    .object({
      ...base,
      kind: z.literal('correctness'),
      call,
      cases: relativePath,
      compare: z.enum(['equal', 'sorted', 'approx']).default('equal'),
    })
    .strict(),
  z
    .object({
      ...base,
      kind: z.literal('speed'),
      call,
      input: fileFunction,
      atLeast: z.number().positive().optional(),
      within: z.number().positive().optional(),
      rounds: z.number().int().min(3).max(25).default(5),
    })
    .strict()
    .refine(
      (c) => (c.atLeast === undefined) !== (c.within === undefined),
      'give exactly one of atLeast (× faster than the starter) or within (× of the reference)',
    ),
  z
    .object({
      ...base,
      kind: z.literal('growth'),
      call,
      input: fileFunction,
      sizes: z.array(z.number().int().positive()).min(4),
      max: z.union([z.enum(GROWTH_MODELS), z.literal('reference')]),
      repeats: z.number().int().min(1).max(9).default(3),
    })
    .strict()
    .refine(
      (c) => Math.max(...c.sizes) / Math.min(...c.sizes) >= 100,
      'sizes must span at least two decades (largest ≥ 100 × smallest)',
    ),
  z
    .object({
      ...base,
      kind: z.literal('memory-peak'),
      entry: relativePath,
      args: z.array(z.string()).default([]),
      ...hiddenInput,
      output: outputRule.default('reference'),
      maxMb: z.number().positive(),
    })
    .strict(),
  z
    .object({
      ...base,
      kind: z.literal('memory-streaming'),
      entry: relativePath,
      data: fileFunction,
      arg: z.string().default('{path}'),
      scales: z.tuple([z.number().positive(), z.number().positive()]).default([1, 10]),
      maxGrowth: z.number().min(1).default(1.5),
      output: outputRule.default('reference'),
    })
    .strict(),
  z
    .object({
      ...base,
      kind: z.literal('memory-per-instance'),
      call,
      count: z.number().int().min(1000).default(100000),
      maxBytes: z.number().positive(),
      noDict: z.boolean().default(false),
    })
    .strict(),
  z
    .object({
      ...base,
      kind: z.literal('overlap'),
      call,
      input: fileFunction,
      latencyMs: z.number().positive().max(2000),
      requests: z.number().int().min(2),
      slack: z.number().min(0).default(1),
    })
    .strict(),
  z
    .object({
      ...base,
      kind: z.literal('cpu-scaling'),
      call,
      input: fileFunction,
      serial: call,
      rounds: z.number().int().min(1).max(9).default(3),
    })
    .strict(),
  z
    .object({
      ...base,
      kind: z.literal('race'),
      entry: relativePath,
      args: z.array(z.string()).default([]),
      // Required: a race check compares every run with the reference's output on hidden data.
      data: fileFunction,
      dataFile: dataFile.default('input.data'),
      datasets: z.number().int().min(1).max(10).default(3),
      repeat: z.number().int().min(2).max(500).default(30),
      switchIntervalS: z.number().positive().default(1e-5),
    })
    .strict(),
  z
    .object({
      ...base,
      kind: z.literal('hang'),
      entry: relativePath,
      args: z.array(z.string()).default([]),
      stdin: stdinSpec.default('closed'),
      withinS: z.number().positive().max(120),
      ...hiddenInput,
      output: outputRule.default('any'),
    })
    .strict()
    .refine((c) => c.output === 'reference' || c.data === undefined, {
      message: 'hidden data is only useful with output: reference',
      path: ['data'],
    }),
  z
    .object({
      ...base,
      kind: z.literal('tests-of-tests'),
      tests: z.array(relativePath).min(1),
      implementation: relativePath,
      mutants: relativePath,
      // A folder under tests/ of correct implementations written differently from the
      // reference: the tests must pass on every one (not just recognise one file).
      correct: relativePath,
    })
    .strict(),
]);
export type AuthoredCheck = z.infer<typeof authoredCheckSchema>;
export type CheckKind = AuthoredCheck['kind'];

export const exerciseMetaSchema = z
  .object({
    id,
    title: z.string().min(3),
    kind: z.enum(['debug', 'challenge']),
    difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
    topics: z.array(z.string().min(1)).min(1),
    edit: z.array(relativePath).min(1),
    run: relativePath.optional(),
    limits: z
      .object({
        wallS: z.number().positive(),
        memoryMb: z.number().int().positive(),
        cpuS: z.number().positive(),
      })
      .partial()
      .strict()
      .default({}),
    starterFails: z.array(id).default([]),
    checks: z.array(authoredCheckSchema).min(1),
  })
  .strict()
  .superRefine((meta, ctx) => {
    const ids = new Set<string>();
    meta.checks.forEach((check, index) => {
      if (ids.has(check.id))
        ctx.addIssue({
          code: 'custom',
          path: ['checks', index, 'id'],
          message: `duplicate check id "${check.id}"`,
        });
      ids.add(check.id);
    });
    meta.starterFails.forEach((failing, index) => {
      if (!ids.has(failing))
        ctx.addIssue({
          code: 'custom',
          path: ['starterFails', index],
          message: `no check has id "${failing}"`,
        });
    });
  });
export type ExerciseMeta = z.infer<typeof exerciseMetaSchema>;

/** Files of one code tree, by path relative to the tree's root. */
export type FileTree = Record<string, string>;

export interface Exercise {
  dir: string;
  meta: ExerciseMeta;
  prompt: string;
  hints: string[];
  explanation: string;
  starter: FileTree;
  /** Binary-safe data files of the starter (read by programs, not edited). */
  starterData: Record<string, Uint8Array>;
  solution: FileTree;
  tests: FileTree;
}

/** Hints are `## Hint N` sections, gentlest first. */
export function splitHints(markdown: string): string[] {
  return markdown
    .split(/^##\s+/m)
    .slice(1)
    .map((section) => section.replace(/^[^\n]*\n/, '').trim())
    .filter(Boolean);
}
