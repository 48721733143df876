/**
 * While a mock interview runs, its questions' answers stay hidden everywhere, not only in the
 * session view: GET /api/drills/:id and the review queue would otherwise show the answer of a
 * part whose timer is still running. A part counts until it is answered, its time is up, or the
 * session ends; a mock left unfinished stops counting after MOCK_GUARD_MS (no mock plan lasts
 * that long), so an abandoned interview does not hide questions forever.
 */
import type { Store } from '../store/types.js';
import { parseSessionDocs } from './session-doc.js';
import { isRevealed } from './session-view.js';

/** 3 h in ms: longer than any mock plan (the longest, with its exercise, is under 40 min). */
export const MOCK_GUARD_MS = 3 * 60 * 60 * 1000;

/** How many recent sessions are looked at: a learner runs one mock at a time. */
const RECENT_MOCKS = 5;

/** The drill ids whose answers a running mock interview of this learner still hides. */
export async function drillsHiddenByMock(
  store: Store,
  learnerId: string,
  nowMs: number,
): Promise<Set<string>> {
  const hidden = new Set<string>();
  const recent = await store.listDrillSessions(learnerId, { kind: 'mock', limit: RECENT_MOCKS });
  for (const record of recent) {
    if (record.finishedAt !== null || nowMs - record.startedAt >= MOCK_GUARD_MS) continue;
    const { plan, answers } = parseSessionDocs(record.id, record.plan, record.answers);
    plan.items.forEach((item, position) => {
      const answer = answers.items[position];
      if (item.kind !== 'exercise' && answer && !isRevealed(item, answer, false, nowMs))
        hidden.add(item.refId);
    });
  }
  return hidden;
}
