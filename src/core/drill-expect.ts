/**
 * Code-reading drills show real tool output: a drill's `output:` field names a program, the
 * perflab command that runs it, and the claims (`expect`) its question and answer rely on.
 * `perflab check` runs the program and decides every claim on the fresh result with the pure
 * functions below, so a question can never drift away from what the tool really prints.
 *
 * Units: times in the documents are ms (`tottimeMs`), timeit samples seconds per loop;
 * claims state theirs in the field name (`belowKb`, `belowUs`).
 */
import { z } from 'zod';
import type { ProfileResultView, TimeitResultView } from './api.js';
import type { ProfiledFunction } from './documents.js';
import { formatCount, formatMs, formatRatio } from './format.js';
import { displayName } from './names.js';
import { drillOutputSchema } from './drill-api.js';

const name = z.string().min(1);
const text = z.string().min(2);
const positive = z.number().positive();

/** One claim about a fresh run. `claim` names the kind; see course/drills/README.md. */
export const drillClaimSchema = z.discriminatedUnion('claim', [
  /** `function` has the most own time (tottime) of every row of the function table. */
  z.object({ claim: z.literal('hottest'), function: name }).strict(),
  /** `function`'s own or cumulative time is at least `atLeast` (0..1) of the profiled total. */
  z
    .object({
      claim: z.literal('share'),
      function: name,
      time: z.enum(['own', 'cumulative']),
      atLeast: z.number().gt(0).max(1),
    })
    .strict(),
  /** `function`'s own (or cumulative) time is at least `atLeast`× `over`'s. */
  z
    .object({
      claim: z.literal('ratio'),
      function: name,
      over: name,
      time: z.enum(['own', 'cumulative']).default('own'),
      atLeast: positive,
    })
    .strict(),
  /** `function` was called exactly `ncalls` times (`primitive` of them not by recursion), or that often from `from`. */
  z
    .object({
      claim: z.literal('calls'),
      function: name,
      ncalls: z.number().int().min(0),
      primitive: z.number().int().min(0).optional(),
      from: name.optional(),
    })
    .strict(),
  /** The slowest line of `function` (line timings, `--lines`) is the one containing `contains`. */
  z.object({ claim: z.literal('hottest-line'), function: name, contains: text }).strict(),
  /** The biggest allocation site (`--memory`) at the peak or at exit is the line containing `contains`. */
  z
    .object({
      claim: z.literal('top-allocation'),
      contains: text,
      at: z.enum(['peak', 'exit']).default('exit'),
    })
    .strict(),
  /** tracemalloc's peak (`--memory`) lies within the bounds, KiB. */
  z
    .object({ claim: z.literal('peak-memory'), aboveKb: positive.optional(), belowKb: positive.optional() })
    .strict()
    .refine((c) => c.aboveKb !== undefined || c.belowKb !== undefined, 'give aboveKb, belowKb or both'),
  /** timeit: `candidate` is at least `by`× faster than `than` (ratio of medians). */
  z.object({ claim: z.literal('faster'), candidate: name, than: name, by: z.number().min(1) }).strict(),
  /** timeit: `candidate`'s median time per loop lies within the bounds, µs. */
  z
    .object({
      claim: z.literal('per-loop'),
      candidate: name,
      aboveUs: positive.optional(),
      belowUs: positive.optional(),
    })
    .strict()
    .refine((c) => c.aboveUs !== undefined || c.belowUs !== undefined, 'give aboveUs, belowUs or both'),
]);
export type DrillClaim = z.infer<typeof drillClaimSchema>;

const LINE_CLAIMS = new Set(['hottest-line']);
const MEMORY_CLAIMS = new Set(['top-allocation', 'peak-memory']);
const TIMEIT_CLAIMS = new Set(['faster', 'per-loop']);

/** A drill's `output:` field: how to produce the output it shows, and what must hold in it. */
export const drillOutputSpecSchema = z
  .object({
    /** Relative to the drills folder; the file name is what the learner sees in the output. */
    program: z
      .string()
      .regex(/^programs\/[a-z0-9_]+\.py$/, 'must be programs/NAME.py (lowercase, digits, _)'),
    command: z.enum(['profile', 'timeit']),
    /** profile only: the runs after cProfile, as `perflab profile` takes them. */
    flags: z.array(z.enum(['--lines', '--memory'])).default([]),
    /** timeit only: the candidates (functions or expressions of the program), at least two. */
    names: z.array(name).min(2).max(6).optional(),
    expect: z.array(drillClaimSchema).min(1),
    /**
     * The claims need this many CPUs to hold (a parallel speed-up): on a machine whose runs get
     * fewer, `perflab check` reports the drill undecided (exit 4) instead of failed.
     */
    needsCpus: z.number().int().min(2).max(64).optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (spec.command === 'timeit') {
      if (!spec.names) problem('timeit needs names: the candidates to compare (at least two)');
      if (spec.flags.length > 0) problem('flags are for profile only');
    } else if (spec.names) problem('names are for timeit only');
    for (const claim of spec.expect) {
      const needs = TIMEIT_CLAIMS.has(claim.claim)
        ? spec.command === 'timeit'
          ? null
          : 'command: timeit'
        : spec.command === 'timeit'
          ? 'command: profile'
          : LINE_CLAIMS.has(claim.claim) && !spec.flags.includes('--lines')
            ? 'flags: [--lines]'
            : MEMORY_CLAIMS.has(claim.claim) && !spec.flags.includes('--memory')
              ? 'flags: [--memory]'
              : null;
      if (needs) problem(`claim "${claim.claim}" needs ${needs}`);
      if ('candidate' in claim) {
        for (const candidate of [claim.candidate, ...('than' in claim ? [claim.than] : [])]) {
          if (!spec.names?.includes(candidate))
            problem(`claim "${claim.claim}": "${candidate}" is not one of names`);
        }
      }
    }
  });
export type DrillOutputSpec = z.infer<typeof drillOutputSpecSchema>;

/** The command line that reproduces a drill's output, as shown beside it. */
export function drillCommand(spec: DrillOutputSpec): string {
  const file = spec.program.replace(/^programs\//, '');
  const quote = (word: string) => (/^[\w.-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
  return spec.command === 'timeit'
    ? ['perflab timeit', file, ...(spec.names ?? []).map(quote)].join(' ')
    : ['perflab profile', file, ...spec.flags].join(' ');
}

export interface ClaimVerdict {
  ok: boolean;
  /** One sentence a learner can read: what the claim says and what this run showed. */
  sentence: string;
}

type ProfileView = Pick<ProfileResultView, 'profile' | 'lines' | 'memory'>;
type TimeitView = Pick<TimeitResultView, 'report'>;

const pass = (sentence: string): ClaimVerdict => ({ ok: true, sentence });
const fail = (sentence: string): ClaimVerdict => ({ ok: false, sentence });

function findFunction(view: ProfileView, wanted: string): ProfiledFunction | string {
  const functions = view.profile?.functions ?? [];
  const matches = functions.filter((f) => f.name === wanted || displayName(f) === wanted);
  if (matches.length === 1) return matches[0] as ProfiledFunction;
  if (matches.length === 0) return `the profile has no function ${wanted}`;
  // Several rows of the same name (e.g. two modules' `main`): the busiest is the one a reader means.
  return maxBy(matches, (f) => f.cumtimeMs) as ProfiledFunction;
}

/** The item with the largest key (the first of equals); undefined for none. */
function maxBy<T>(items: readonly T[], key: (item: T) => number): T | undefined {
  return items.reduce<T | undefined>(
    (best, item) => (best === undefined || key(item) > key(best) ? item : best),
    undefined,
  );
}

function timeOf(fn: ProfiledFunction, time: 'own' | 'cumulative'): number {
  return time === 'own' ? fn.tottimeMs : fn.cumtimeMs;
}

function decideProfile(claim: DrillClaim, view: ProfileView): ClaimVerdict {
  const profile = view.profile;
  if (!profile) return fail('the run produced no profile');
  switch (claim.claim) {
    case 'hottest': {
      const fn = findFunction(view, claim.function);
      if (typeof fn === 'string') return fail(fn);
      const top = maxBy(profile.functions, (f) => f.tottimeMs) ?? fn;
      return top === fn
        ? pass(`${claim.function} has the most own time (${formatMs(fn.tottimeMs)})`)
        : fail(
            `${claim.function} should have the most own time, but ${displayName(top)} has more (${formatMs(top.tottimeMs)} against ${formatMs(fn.tottimeMs)})`,
          );
    }
    case 'share': {
      const fn = findFunction(view, claim.function);
      if (typeof fn === 'string') return fail(fn);
      const share = profile.totalMs > 0 ? timeOf(fn, claim.time) / profile.totalMs : 0;
      const percent = (value: number) => `${Math.round(value * 100)} %`;
      const sentence = `${claim.function}'s ${claim.time} time is ${percent(share)} of the run (at least ${percent(claim.atLeast)} expected)`;
      return share >= claim.atLeast ? pass(sentence) : fail(sentence);
    }
    case 'ratio': {
      const fn = findFunction(view, claim.function);
      const other = findFunction(view, claim.over);
      if (typeof fn === 'string') return fail(fn);
      if (typeof other === 'string') return fail(other);
      const ratio = timeOf(fn, claim.time) / Math.max(timeOf(other, claim.time), 1e-6);
      const sentence = `${claim.function}'s ${claim.time} time is ${formatRatio(ratio)} ${claim.over}'s (at least ${formatRatio(claim.atLeast)} expected)`;
      return ratio >= claim.atLeast ? pass(sentence) : fail(sentence);
    }
    case 'calls': {
      const fn = findFunction(view, claim.function);
      if (typeof fn === 'string') return fail(fn);
      if (claim.from !== undefined) {
        const caller = findFunction(view, claim.from);
        if (typeof caller === 'string') return fail(caller);
        const edge = profile.edges.find((e) => e.callerId === caller.id && e.calleeId === fn.id);
        const seen = edge?.ncalls ?? 0;
        const sentence = `${claim.from} calls ${claim.function} ${formatCount(seen)} times (${formatCount(claim.ncalls)} expected)`;
        return seen === claim.ncalls ? pass(sentence) : fail(sentence);
      }
      const calls = (n: number, primitive: number | undefined) =>
        primitive === undefined || primitive === n
          ? formatCount(n)
          : `${formatCount(n)}/${formatCount(primitive)}`;
      const expected = calls(claim.ncalls, claim.primitive);
      const seen = calls(fn.ncalls, claim.primitive === undefined ? undefined : fn.primitiveCalls);
      const sentence = `${claim.function}'s ncalls is ${seen} (${expected} expected)`;
      const ok =
        fn.ncalls === claim.ncalls &&
        (claim.primitive === undefined || fn.primitiveCalls === claim.primitive);
      return ok ? pass(sentence) : fail(sentence);
    }
    case 'hottest-line': {
      const timed = view.lines?.functions.find((f) => f.name === claim.function);
      if (!timed)
        return fail(`no line timings for ${claim.function} (it was not among the hottest functions)`);
      const top = maxBy(timed.lines, (l) => l.timeMs);
      if (!top) return fail(`no line of ${claim.function} was timed`);
      return top.source.includes(claim.contains)
        ? pass(`the slowest line of ${claim.function} is line ${top.line}: ${top.source.trim()}`)
        : fail(
            `the slowest line of ${claim.function} should contain "${claim.contains}", but it is line ${top.line}: ${top.source.trim()}`,
          );
    }
    case 'top-allocation': {
      const sites = claim.at === 'peak' ? view.memory?.peakSites : view.memory?.finalSites;
      if (!sites) return fail('the run traced no allocations');
      const top = maxBy(sites, (s) => s.sizeBytes);
      if (!top) return fail(`no allocation site was alive at the ${claim.at}`);
      const where = `${top.file}:${top.line}${top.source ? ` (${top.source.trim()})` : ''}`;
      return top.source.includes(claim.contains)
        ? pass(`the biggest allocation site at the ${claim.at} is ${where}`)
        : fail(
            `the biggest allocation site at the ${claim.at} should contain "${claim.contains}", but it is ${where}`,
          );
    }
    case 'peak-memory': {
      if (!view.memory) return fail('the run traced no allocations');
      return withinBounds(
        'the tracemalloc peak',
        view.memory.peakBytes / 1024,
        claim.aboveKb,
        claim.belowKb,
        'KiB',
      );
    }
    default:
      return fail(`claim "${claim.claim}" needs a timeit result, not a profile`);
  }
}

function withinBounds(
  what: string,
  value: number,
  above: number | undefined,
  below: number | undefined,
  unit: string,
): ClaimVerdict {
  const bounds = [
    above !== undefined ? `above ${formatCount(above)} ${unit}` : null,
    below !== undefined ? `below ${formatCount(below)} ${unit}` : null,
  ]
    .filter(Boolean)
    .join(' and ');
  const shown = value < 10 ? value.toPrecision(2) : formatCount(Math.round(value));
  const sentence = `${what} is ${shown} ${unit} (${bounds} expected)`;
  return (above === undefined || value > above) && (below === undefined || value < below)
    ? pass(sentence)
    : fail(sentence);
}

function decideTimeit(claim: DrillClaim, view: TimeitView): ClaimVerdict {
  const report = view.report;
  if (!report) return fail('the run produced no timings');
  const medianS = (expr: string) => report.candidates.find((c) => c.expr === expr)?.summary.median;
  switch (claim.claim) {
    case 'faster': {
      const fast = medianS(claim.candidate);
      const slow = medianS(claim.than);
      if (fast === undefined || slow === undefined)
        return fail(`the timings lack ${fast === undefined ? claim.candidate : claim.than}`);
      const ratio = slow / fast;
      const sentence = `${claim.candidate} is ${formatRatio(ratio)} faster than ${claim.than} (at least ${formatRatio(claim.by)} expected)`;
      return ratio >= claim.by ? pass(sentence) : fail(sentence);
    }
    case 'per-loop': {
      const median = medianS(claim.candidate);
      if (median === undefined) return fail(`the timings lack ${claim.candidate}`);
      return withinBounds(
        `${claim.candidate}'s median time per loop`,
        median * 1e6,
        claim.aboveUs,
        claim.belowUs,
        'µs',
      );
    }
    default:
      return fail(`claim "${claim.claim}" needs a profile, not timeit timings`);
  }
}

/** Decides one claim on a profile or timeit result (as recorded or freshly run). */
export function decideClaim(
  claim: DrillClaim,
  result: ({ kind: 'profile' } & ProfileView) | ({ kind: 'timeit' } & TimeitView),
): ClaimVerdict {
  return result.kind === 'profile' ? decideProfile(claim, result) : decideTimeit(claim, result);
}

export const DRILL_OUTPUT_DOCUMENT = 'perflab.drill-output/1';

/**
 * course/drills/outputs/<drill-id>.json: a DrillOutput as the API serves it, plus what tells
 * whether it is still current (the program's SHA-256, and `command`, which carries the flags
 * and candidates). Written by `perflab check --record-drill-outputs`.
 */
export const recordedDrillOutputSchema = drillOutputSchema
  .extend({
    schema: z.literal(DRILL_OUTPUT_DOCUMENT),
    drill: z.string().min(1),
    programSha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type RecordedDrillOutput = z.infer<typeof recordedDrillOutputSchema>;
