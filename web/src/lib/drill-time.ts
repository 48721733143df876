/**
 * How long until a drill question comes back, for the grade buttons and lists: "10 min",
 * "3 d", "2 mo". The scheduler's own formatter (src/core/drills/scheduler.ts) sits beside
 * ts-fsrs, which importing it would pull into the review page's bundle, so the browser keeps
 * this small one. Always at least "1 min": a grade never brings a question back sooner.
 */

const MINUTE_MS = 60_000;

/** Each unit and the duration in ms from which it is used, largest first. */
const UNITS: readonly (readonly [label: string, ms: number])[] = [
  ['y', 365 * 86_400_000],
  ['mo', 30.4 * 86_400_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', MINUTE_MS],
];

/** Units up to which the count is shown to one decimal (1.5 y), else rounded. */
const DECIMAL_UNITS = new Set(['y']);

export function comesBackIn(dueAtMs: number, nowMs: number): string {
  const spanMs = Math.max(MINUTE_MS, dueAtMs - nowMs);
  // A unit is used once the span rounds to at least one of it, and the next-smaller unit
  // would read 60 min, 24 h, 31 d or 12 mo or more.
  for (const [index, [label, ms]] of UNITS.entries()) {
    const smaller = UNITS[index + 1];
    const roundsUp = smaller === undefined || Math.round(spanMs / smaller[1]) >= Math.round(ms / smaller[1]);
    if (!roundsUp) continue;
    const count = spanMs / ms;
    const text = DECIMAL_UNITS.has(label) ? String(Number(count.toFixed(1))) : String(Math.round(count));
    return `${text} ${label}`;
  }
  return '1 min';
}

/** "due in 10 min", "due now" or "not seen yet": when a question is due, for lists. */
export function dueText(dueAtMs: number | null, nowMs: number): string {
  if (dueAtMs === null) return 'not seen yet';
  if (dueAtMs <= nowMs) return 'due now';
  return `due in ${comesBackIn(dueAtMs, nowMs)}`;
}
