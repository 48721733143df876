/**
 * Drawing questions for a quick-fire round: deterministic for a seed, so a round can be
 * replayed from the seed kept with it and tests can name exact draws. Pure.
 */
import { drillStatus, type DrillCard, type DrillStatus } from './scheduler.js';

/** The seeded generator (mulberry32) the timing statistics already use: seeds are taken modulo 2^32. */
export { seededRandom } from '../stats.js';

/** What drawing needs to know of a question and the learner's card for it. */
export interface DrillCandidate {
  id: string;
  kind: 'quick-fire' | 'scenario' | 'code-reading';
  module: string;
  topics: readonly string[];
  /** undefined: never graded. */
  card: DrillCard | undefined;
}

/** A source of uniform numbers in [0, 1), like Math.random. */
export type RandomSource = () => number;

/** A new array in random order (Fisher–Yates); `items` is left alone. */
export function shuffled<T>(items: readonly T[], random: RandomSource): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
}

/** 0: due or new (what a round should exercise first); 1: learning or known, not yet due. */
function preference(status: DrillStatus): 0 | 1 {
  return status === 'due' || status === 'new' ? 0 : 1;
}

/** Candidates whose topics meet `topics` (any), of `module`, and of `kind`; each filter optional. */
export function filterCandidates<T extends Pick<DrillCandidate, 'kind' | 'module' | 'topics'>>(
  candidates: readonly T[],
  filter: { topics?: readonly string[]; module?: string; kind?: DrillCandidate['kind'] },
): T[] {
  return candidates.filter(
    (c) =>
      (filter.kind === undefined || c.kind === filter.kind) &&
      (filter.module === undefined || c.module === filter.module) &&
      (filter.topics === undefined || c.topics.some((t) => filter.topics?.includes(t))),
  );
}

export interface QuickFireDraw {
  /** Question ids in the order they are asked; no duplicates. */
  ids: string[];
  requested: number;
  /** How many questions the filter left; when fewer than `requested`, the round asks them all. */
  available: number;
  /** true when the round is shorter than requested (there were not enough questions). */
  short: boolean;
}

/**
 * Draws `count` quick-fire questions from `candidates` (already filtered to the topic set or
 * module): due and new questions first, in random order, then learning and known ones to fill
 * the round; the chosen ones are asked in a fresh random order so the due ones are not all first.
 * Duplicate ids in `candidates` are drawn once.
 */
export function drawQuickFire(
  candidates: readonly DrillCandidate[],
  options: { count: number; nowMs: number; random: RandomSource },
): QuickFireDraw {
  if (!Number.isInteger(options.count) || options.count < 1) {
    throw new RangeError(`a round needs at least one question, got ${options.count}`);
  }
  const unique = [...new Map(candidates.map((c) => [c.id, c])).values()];
  const ranked = shuffled(unique, options.random).sort(
    (a, b) => preference(drillStatus(a.card, options.nowMs)) - preference(drillStatus(b.card, options.nowMs)),
  );
  const chosen = ranked.slice(0, options.count).map((c) => c.id);
  return {
    ids: shuffled(chosen, options.random),
    requested: options.count,
    available: unique.length,
    short: unique.length < options.count,
  };
}
