/** When a drill question is due, in words, for lists (the interval itself: core/drills/interval-label). */
import { intervalLabel } from '../../../src/core/drills/interval-label.js';

/** "due in 10 min", "due now" or "not seen yet". */
export function dueText(dueAtMs: number | null, nowMs: number): string {
  if (dueAtMs === null) return 'not seen yet';
  if (dueAtMs <= nowMs) return 'due now';
  return `due in ${intervalLabel(dueAtMs, nowMs)}`;
}
