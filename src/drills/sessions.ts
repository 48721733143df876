/**
 * Quick-fire rounds and mock interviews: drawing or planning the parts, per-part timers on the
 * server's clock, answers that feed the scheduler, and the summary when the session ends.
 * Sessions live in the store as two versioned JSON documents (session-doc.ts).
 */
import { randomUUID } from 'node:crypto';
import type { ReviewResult, SessionHistory, SessionView } from '../core/drill-api.js';
import { drawQuickFire, filterCandidates, seededRandom, type RandomSource } from '../core/drills/draw.js';
import { planMock } from '../core/drills/mock-plan.js';
import { checkRubric, gradeScore, rubricGrade, rubricScore } from '../core/drills/rubric.js';
import type { DrillGrade } from '../core/drills/scheduler.js';
import type { DrillReviewSource, DrillSessionRecord, Store } from '../store/types.js';
import { drillCandidates, type CardMap, type DrillIndex } from './course-index.js';
import {
  emptyAnswer,
  parseSessionDocs,
  SESSION_DOC_VERSION,
  type PlanItem,
  type SessionAnswer,
  type SessionAnswers,
  type SessionPlan,
} from './session-doc.js';
import { deadlineMs, sessionSummary, sessionView } from './session-view.js';
import {
  DrillError,
  type DrillService,
  type MockBody,
  type QuickFireBody,
  type ReviewBody,
  type SessionAnswerBody,
} from './types.js';

/** What sessions need from the rest of the service. */
export interface SessionDeps {
  store: Store;
  index: DrillIndex;
  random: RandomSource;
  loadCards(learnerId: string): Promise<CardMap>;
  review(
    learnerId: string,
    drillId: string,
    body: ReviewBody,
    nowMs: number,
    options: { source: DrillReviewSource; sessionId: string },
  ): Promise<ReviewResult>;
}

/** How many of the learner's newest jobs on the exercise are searched for a passing verification. */
const JOB_HISTORY_LIMIT = 500;

type SessionOps = Pick<
  DrillService,
  'startQuickFire' | 'startMock' | 'getSession' | 'startItem' | 'answerItem' | 'finishSession' | 'history'
>;

interface Loaded {
  record: DrillSessionRecord;
  plan: SessionPlan;
  answers: SessionAnswers;
}

export function createSessionOps(deps: SessionDeps): SessionOps {
  const { store, index } = deps;

  /** A fresh seed per session, kept in its plan so the draw can be replayed. */
  const newSeed = () => Math.floor(deps.random() * 2 ** 32);

  async function insert(
    learnerId: string,
    kind: DrillSessionRecord['kind'],
    plan: SessionPlan,
    nowMs: number,
  ): Promise<SessionView> {
    const answers: SessionAnswers = { version: SESSION_DOC_VERSION, items: plan.items.map(emptyAnswer) };
    const record: DrillSessionRecord = {
      id: randomUUID(),
      learnerId,
      kind,
      startedAt: nowMs,
      finishedAt: null,
      plan,
      answers,
      score: null,
    };
    await store.insertDrillSession(record);
    return sessionView(index, record, plan, answers, nowMs);
  }

  async function load(learnerId: string, sessionId: string): Promise<Loaded | null> {
    const record = await store.getDrillSession(learnerId, sessionId);
    if (!record) return null;
    return { record, ...parseSessionDocs(record.id, record.plan, record.answers) };
  }

  /** The session, open for changes, and one of its parts; DrillError otherwise. */
  async function openPart(learnerId: string, sessionId: string, position: number) {
    const loaded = await load(learnerId, sessionId);
    if (!loaded) throw new DrillError('not-found', `no drill session ${sessionId}`);
    const item = loaded.plan.items[position];
    const answer = loaded.answers.items[position];
    if (!Number.isInteger(position) || !item || !answer) {
      throw new DrillError('not-found', `session ${sessionId} has no part ${position}`);
    }
    if (loaded.record.finishedAt !== null)
      throw new DrillError('conflict', `session ${sessionId} is finished`);
    return { ...loaded, item, answer };
  }

  async function saveAnswers(loaded: Loaded, patch: { finishedAt?: number; score?: number }): Promise<void> {
    const saved = await store.updateDrillSession(loaded.record.learnerId, loaded.record.id, {
      answers: loaded.answers,
      ...patch,
    });
    if (!saved) throw new DrillError('not-found', `no drill session ${loaded.record.id}`);
  }

  /**
   * Did a verification of the exercise pass inside the part's time box? Decided from the
   * learner's own job records only: a finished verify job with passed === true, created at or
   * after the part's start and no later than its deadline.
   */
  async function solvedInTime(learnerId: string, item: PlanItem, answer: SessionAnswer): Promise<boolean> {
    const startMs = answer.startedAtMs;
    const endMs = deadlineMs(item, answer);
    if (startMs === null || endMs === null) return false;
    const jobs = await store.listJobs({
      learnerId,
      target: `exercise:${item.refId}`,
      limit: JOB_HISTORY_LIMIT,
    });
    return jobs.some(
      (job) =>
        job.kind === 'verify' &&
        job.state === 'finished' &&
        job.passed === true &&
        job.createdAt >= startMs &&
        job.createdAt <= endMs,
    );
  }

  /** Grade, rubric and score of a drill part's answer; DrillError('invalid') when they do not fit. */
  function scoreDrillAnswer(drillId: string, body: SessionAnswerBody) {
    const drill = index.drill(drillId);
    if (!drill) throw new DrillError('not-found', `no drill ${drillId} in the course`);
    if (body.rubric) {
      try {
        checkRubric(body.rubric, drill.key_points?.length ?? 0);
      } catch (error) {
        throw new DrillError('invalid', (error as Error).message);
      }
      const grade: DrillGrade = body.grade ?? rubricGrade(body.rubric);
      return { grade, rubric: body.rubric, score: rubricScore(body.rubric) };
    }
    if (body.grade === undefined) throw new DrillError('invalid', 'send a grade (1..4) or a rubric');
    return { grade: body.grade, rubric: null, score: gradeScore(body.grade) };
  }

  const ops: SessionOps = {
    async startQuickFire(learnerId: string, body: QuickFireBody, nowMs: number) {
      const count = body.count ?? 30;
      const filter = { module: body.module, topics: body.topics, kind: 'quick-fire' as const };
      const pool = filterCandidates(drillCandidates(index.drills, await deps.loadCards(learnerId)), filter);
      if (pool.length === 0)
        throw new DrillError('invalid', 'no quick-fire questions match this module and topics');
      const seed = newSeed();
      const draw = drawQuickFire(pool, { count, nowMs, random: seededRandom(seed) });
      const byId = new Map(pool.map((c) => [c.id, c]));
      const items = draw.ids.map((id) => ({
        kind: 'quick-fire' as const,
        refId: id,
        topics: [...(byId.get(id)?.topics ?? [])],
        timeLimitSec: body.secondsPerQuestion ?? 60,
      }));
      const plan: SessionPlan = {
        version: SESSION_DOC_VERSION,
        seed,
        requested: count,
        available: draw.available,
        filter: { module: body.module, topics: body.topics },
        items,
      };
      return insert(learnerId, 'quick-fire', plan, nowMs);
    },

    async startMock(learnerId: string, body: MockBody, nowMs: number) {
      const drills = filterCandidates(drillCandidates(index.drills, await deps.loadCards(learnerId)), {
        module: body.module,
      });
      const moduleExercises = body.module === undefined ? undefined : index.moduleExercises(body.module);
      const exercises = index.exerciseCandidates.filter(
        (e) => !moduleExercises || moduleExercises.includes(e.id),
      );
      const seed = newSeed();
      const parts = planMock(drills, exercises, {
        includeExercise: body.includeExercise ?? false,
        nowMs,
        random: seededRandom(seed),
      });
      if (parts.length === 0) throw new DrillError('invalid', 'no questions to plan a mock interview from');
      const plan: SessionPlan = {
        version: SESSION_DOC_VERSION,
        seed,
        requested: parts.length,
        available: drills.length,
        filter: { module: body.module },
        items: parts,
      };
      return insert(learnerId, 'mock', plan, nowMs);
    },

    async getSession(learnerId: string, sessionId: string, nowMs: number) {
      const loaded = await load(learnerId, sessionId);
      return loaded && sessionView(index, loaded.record, loaded.plan, loaded.answers, nowMs);
    },

    async startItem(learnerId: string, sessionId: string, position: number, nowMs: number) {
      const part = await openPart(learnerId, sessionId, position);
      if (part.answer.startedAtMs === null) {
        part.answer.startedAtMs = nowMs;
        await saveAnswers(part, {});
      }
      return sessionView(index, part.record, part.plan, part.answers, nowMs);
    },

    async answerItem(
      learnerId: string,
      sessionId: string,
      position: number,
      body: SessionAnswerBody,
      nowMs: number,
    ) {
      const part = await openPart(learnerId, sessionId, position);
      const { item, answer } = part;
      if (answer.answeredAtMs !== null)
        throw new DrillError('conflict', `part ${position} is already answered`);
      // A part answered without being started starts now: its answer was hidden until then.
      answer.startedAtMs ??= nowMs;
      answer.answeredAtMs = nowMs;
      answer.timedOut = nowMs > (deadlineMs(item, answer) as number);
      answer.typedAnswer = body.typedAnswer ?? null;
      if (item.kind === 'exercise') {
        // Never from the request: only the learner's job records say whether it was solved.
        answer.solvedInTime = await solvedInTime(learnerId, item, answer);
        answer.score = answer.solvedInTime ? 1 : 0;
      } else {
        const scored = scoreDrillAnswer(item.refId, body);
        const review = await deps.review(
          learnerId,
          item.refId,
          {
            grade: scored.grade,
            ...(body.typedAnswer === undefined ? {} : { typedAnswer: body.typedAnswer }),
            durationMs: Math.min(86_400_000, Math.max(0, nowMs - answer.startedAtMs)),
          },
          nowMs,
          { source: part.record.kind, sessionId: part.record.id },
        );
        Object.assign(answer, { grade: scored.grade, rubric: scored.rubric, score: scored.score });
        answer.reviewId = review.reviewId;
      }
      await saveAnswers(part, {});
      return sessionView(index, part.record, part.plan, part.answers, nowMs);
    },

    async finishSession(learnerId: string, sessionId: string, nowMs: number) {
      const loaded = await load(learnerId, sessionId);
      if (!loaded) throw new DrillError('not-found', `no drill session ${sessionId}`);
      // Finishing twice shows the same report.
      if (loaded.record.finishedAt !== null) {
        return sessionView(index, loaded.record, loaded.plan, loaded.answers, nowMs);
      }
      for (const [position, item] of loaded.plan.items.entries()) {
        const answer = loaded.answers.items[position] as SessionAnswer;
        if (answer.answeredAtMs !== null) continue;
        if (item.kind === 'exercise') {
          // Solved in the workspace inside the time box without pressing "done": it still counts.
          answer.solvedInTime = await solvedInTime(learnerId, item, answer);
          answer.score = answer.solvedInTime ? 1 : 0;
          answer.timedOut = !answer.solvedInTime;
        } else {
          answer.timedOut = true;
          answer.score = 0;
        }
      }
      const score = sessionSummary(index, loaded.plan, loaded.answers).score;
      await saveAnswers(loaded, { finishedAt: nowMs, score });
      const record = { ...loaded.record, finishedAt: nowMs, score };
      return sessionView(index, record, loaded.plan, loaded.answers, nowMs);
    },

    async history(
      learnerId: string,
      kind: 'quick-fire' | 'mock' | undefined,
      limit: number,
    ): Promise<SessionHistory> {
      const records = await store.listDrillSessions(learnerId, { ...(kind ? { kind } : {}), limit });
      return {
        sessions: records.map((record) => ({
          id: record.id,
          kind: record.kind,
          startedAtMs: record.startedAt,
          finishedAtMs: record.finishedAt,
          score: record.score,
          items: parseSessionDocs(record.id, record.plan, record.answers).plan.items.length,
        })),
      };
    },
  };
  return {
    ...ops,
    startItem: (learnerId, sessionId, position, nowMs) =>
      serialized(sessionId, () => ops.startItem(learnerId, sessionId, position, nowMs)),
    answerItem: (learnerId, sessionId, position, body, nowMs) =>
      serialized(sessionId, () => ops.answerItem(learnerId, sessionId, position, body, nowMs)),
    finishSession: (learnerId, sessionId, nowMs) =>
      serialized(sessionId, () => ops.finishSession(learnerId, sessionId, nowMs)),
  };
}

/**
 * Changes to one session run one after another in this process: each reads the session,
 * decides, and writes it back, so two answers to one part sent at once must not both pass the
 * "already answered" check and both grade the question.
 */
const sessionQueues = new Map<string, Promise<void>>();
function serialized<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
  const result = (sessionQueues.get(sessionId) ?? Promise.resolve()).then(work);
  const settled = result.then(
    () => undefined,
    () => undefined,
  );
  sessionQueues.set(sessionId, settled);
  void settled.then(() => {
    if (sessionQueues.get(sessionId) === settled) sessionQueues.delete(sessionId);
  });
  return result;
}
