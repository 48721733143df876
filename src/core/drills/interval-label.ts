/**
 * How long until a drill question comes back, tersely, for grade buttons and lists in the
 * browser and the terminal alike: "10 min", "3 h", "8 d", "3 mo", "1.5 y". Apart from the
 * scheduler (which imports ts-fsrs) so the review page can use it without that library.
 */

/** Always at least "1 min": a grade never brings a question back sooner. */
export function intervalLabel(dueAtMs: number, nowMs: number): string {
  const minutes = Math.max(1, Math.round((dueAtMs - nowMs) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h`;
  const days = Math.round(minutes / 1440);
  if (days < 31) return `${days} d`;
  const months = Math.round(days / 30.4);
  if (months < 12) return `${months} mo`;
  return `${(days / 365).toFixed(1).replace(/\.0$/, '')} y`;
}
