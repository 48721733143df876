/**
 * A stored session as the learner sees it: the reveal rule and the summary. Pure functions of
 * the session documents, the course index and the server's clock.
 *
 * Reveal rule: a part's answer, full answer and key points stay null until the part is
 * answered, its time limit has passed on the server's clock (from its `startedAtMs`), or the
 * session is finished. A code-reading part's recorded output is part of the question (the
 * learner reads it to answer) and is always shown.
 */
import type { SessionItem, SessionView } from '../core/drill-api.js';
import { summarizeSession, type SummaryPart } from '../core/drills/summary.js';
import type { DrillSessionRecord } from '../store/types.js';
import type { DrillIndex } from './course-index.js';
import type { PlanItem, SessionAnswer, SessionAnswers, SessionPlan } from './session-doc.js';

const KIND_LABELS: Record<PlanItem['kind'], string> = {
  'quick-fire': 'Quick-fire',
  scenario: 'Scenario',
  'code-reading': 'Code reading',
  exercise: 'Debugging',
};

/** ms since the epoch when the part's time is up; null while it has not been started. */
export function deadlineMs(item: PlanItem, answer: SessionAnswer): number | null {
  return answer.startedAtMs === null ? null : answer.startedAtMs + item.timeLimitSec * 1000;
}

export function isRevealed(item: PlanItem, answer: SessionAnswer, finished: boolean, nowMs: number): boolean {
  const deadline = deadlineMs(item, answer);
  return finished || answer.answeredAtMs !== null || (deadline !== null && nowMs >= deadline);
}

function secondsTaken(answer: SessionAnswer): number | null {
  return answer.answeredAtMs === null || answer.startedAtMs === null
    ? null
    : (answer.answeredAtMs - answer.startedAtMs) / 1000;
}

function itemView(
  index: DrillIndex,
  item: PlanItem,
  answer: SessionAnswer,
  position: number,
  revealed: boolean,
): SessionItem {
  const drill = item.kind === 'exercise' ? undefined : index.drill(item.refId);
  const exercise = item.kind === 'exercise' ? index.exercise(item.refId) : undefined;
  const topicTitle = item.topics[0] === undefined ? undefined : index.topic(item.topics[0])?.title;
  const subject = exercise?.meta.title ?? topicTitle ?? item.refId;
  return {
    index: position,
    kind: item.kind,
    refId: item.refId,
    title: `${KIND_LABELS[item.kind]} · ${subject}`,
    question: drill?.question ?? exercise?.prompt ?? item.refId,
    timeLimitSec: item.timeLimitSec,
    startedAtMs: answer.startedAtMs,
    answeredAtMs: answer.answeredAtMs,
    answer: revealed && drill ? drill.answer : null,
    full: revealed && drill ? drill.full : null,
    keyPoints: revealed && drill ? (drill.key_points ?? []) : null,
    output: drill?.recordedOutput ?? null,
    grade: answer.grade,
    rubric: answer.rubric,
    solvedInTime: answer.solvedInTime,
    secondsTaken: secondsTaken(answer),
  };
}

/** A part counts as answered in time when answered before its deadline, or solved (exercise) inside it. */
function summaryPart(item: PlanItem, answer: SessionAnswer): SummaryPart {
  return {
    topics: item.topics,
    score: answer.score,
    answeredInTime: !answer.timedOut && (answer.answeredAtMs !== null || answer.solvedInTime === true),
    secondsTaken: secondsTaken(answer),
  };
}

export function sessionSummary(index: DrillIndex, plan: SessionPlan, answers: SessionAnswers) {
  return summarizeSession(
    plan.items.map((item, i) => summaryPart(item, answers.items[i] as SessionAnswer)),
    (topic) => index.topic(topic),
  );
}

export function sessionView(
  index: DrillIndex,
  record: DrillSessionRecord,
  plan: SessionPlan,
  answers: SessionAnswers,
  nowMs: number,
): SessionView {
  const finished = record.finishedAt !== null;
  return {
    id: record.id,
    kind: record.kind,
    startedAtMs: record.startedAt,
    finishedAtMs: record.finishedAt,
    items: plan.items.map((item, i) => {
      const answer = answers.items[i] as SessionAnswer;
      return itemView(index, item, answer, i, isRevealed(item, answer, finished, nowMs));
    }),
    summary: finished ? sessionSummary(index, plan, answers) : null,
  };
}
