/**
 * `createDrillService`: the interview-prep service over the store and the loaded course. This
 * file holds the card side (lists, review queue, grading through FSRS, undo, settings);
 * sessions.ts the quick-fire rounds and mock interviews, which grade through `review` here.
 */
import { randomUUID } from 'node:crypto';
import {
  drillSettingsSchema,
  type DrillCounts,
  type DrillList,
  type DrillSettings,
} from '../core/drill-api.js';
import { filterCandidates, type RandomSource } from '../core/drills/draw.js';
import { countDrills, reviewQueueOrder } from '../core/drills/queue.js';
import {
  drillStatus,
  gradeDrillCard,
  type DrillCard,
  type SchedulerOptions,
} from '../core/drills/scheduler.js';
import type { Course, LoadedDrill } from '../course/load.js';
import type { Store } from '../store/types.js';
import { cardEntries, drillSummary, drillView, indexCourse, type CardMap } from './course-index.js';
import { drillsHiddenByMock } from './mock-guard.js';
import { createSessionOps } from './sessions.js';
import { DrillError, type DrillService } from './types.js';

export interface DrillServiceOptions {
  store: Store;
  course: Course;
  /**
   * Uniform [0, 1) numbers (default Math.random). Only seeds are drawn from it: each session
   * keeps its seed, and its questions are drawn from a generator seeded with it.
   */
  random?: RandomSource;
}

export function createDrillService(options: DrillServiceOptions): DrillService {
  const { store } = options;
  const index = indexCourse(options.course);

  async function loadCards(learnerId: string): Promise<CardMap> {
    return new Map((await store.getDrillCards(learnerId)).map((r) => [r.drillId, r.card]));
  }

  async function schedulerOptions(learnerId: string): Promise<SchedulerOptions> {
    return { targetRetention: (await store.getDrillSettings(learnerId)).targetRetention };
  }

  /** Drills of a module and topic (each optional), in course order. */
  function filtered(query: {
    module?: string | undefined;
    topic?: string | undefined;
    kind?: LoadedDrill['kind'];
  }) {
    return filterCandidates(index.drills, {
      ...(query.module === undefined ? {} : { module: query.module }),
      ...(query.topic === undefined ? {} : { topics: [query.topic] }),
      ...(query.kind === undefined ? {} : { kind: query.kind }),
    });
  }

  async function countAll(learnerId: string, nowMs: number, utcOffsetMinutes = 0): Promise<DrillCounts> {
    return countDrills(cardEntries(index.drills, await loadCards(learnerId)), nowMs, utcOffsetMinutes);
  }

  function requireDrill(drillId: string): LoadedDrill {
    const drill = index.drill(drillId);
    if (!drill) throw new DrillError('not-found', `no drill ${drillId}`);
    return drill;
  }

  /** The question with its answers; callers decide whether the learner may see them now. */
  async function viewOf(learnerId: string, drill: LoadedDrill, nowMs: number) {
    const card = (await store.getDrillCard(learnerId, drill.id))?.card;
    return drillView(index, drill, card, nowMs, await schedulerOptions(learnerId));
  }

  const service: DrillService = {
    async list(learnerId, query, nowMs) {
      const cards = await loadCards(learnerId);
      const offset = query.utcOffsetMinutes ?? 0;
      const drills = filtered(query);
      const modules = index.modules.map((m) => ({
        ...m,
        counts: countDrills(cardEntries(filtered({ module: m.id }), cards), nowMs, offset),
      }));
      const list: DrillList = {
        drills: drills.map((d) => drillSummary(d, cards.get(d.id), nowMs)),
        counts: countDrills(cardEntries(drills, cards), nowMs, offset),
        modules,
        topics: index.topics.map((t) => ({ ...t })),
        settings: await service.getSettings(learnerId),
      };
      return list;
    },

    async get(learnerId, drillId, nowMs, getOptions = {}) {
      const drill = index.drill(drillId);
      if (!drill) return null;
      if (!getOptions.ignoreMockGuard && (await drillsHiddenByMock(store, learnerId, nowMs)).has(drillId)) {
        throw new DrillError(
          'conflict',
          `"${drillId}" is a question of your mock interview in progress: its answer shows there once you answer it or its time is up`,
        );
      }
      return viewOf(learnerId, drill, nowMs);
    },

    async reviewQueue(learnerId, query, nowMs) {
      const cards = await loadCards(learnerId);
      const entries = cardEntries(filtered(query), cards);
      // A running mock interview's questions wait for it: their answers are hidden until then.
      const hidden = await drillsHiddenByMock(store, learnerId, nowMs);
      const order = reviewQueueOrder(
        entries.filter((entry) => !hidden.has(entry.id)),
        nowMs,
        {
          newLimit: query.newLimit ?? 10,
          limit: query.limit ?? 50,
        },
      );
      const scheduling = await schedulerOptions(learnerId);
      return {
        drills: order.map((id) => drillView(index, requireDrill(id), cards.get(id), nowMs, scheduling)),
        counts: countDrills(entries, nowMs, query.utcOffsetMinutes ?? 0),
      };
    },

    async review(learnerId, drillId, body, nowMs, reviewOptions = {}) {
      requireDrill(drillId);
      const before: DrillCard | null = (await store.getDrillCard(learnerId, drillId))?.card ?? null;
      let graded: ReturnType<typeof gradeDrillCard>;
      try {
        graded = gradeDrillCard(before ?? undefined, body.grade, nowMs, await schedulerOptions(learnerId));
      } catch (error) {
        if (error instanceof RangeError) throw new DrillError('invalid', error.message);
        throw error;
      }
      const reviewId = randomUUID();
      await store.recordDrillReview({
        id: reviewId,
        learnerId,
        drillId,
        source: reviewOptions.source ?? 'review',
        sessionId: reviewOptions.sessionId ?? null,
        log: graded.log,
        cardBefore: before,
        cardAfter: graded.card,
        typedAnswer: body.typedAnswer ?? null,
        durationMs: body.durationMs ?? null,
        reviewedAt: nowMs,
      });
      return {
        reviewId,
        drillId,
        status: drillStatus(graded.card, nowMs),
        dueAtMs: graded.card.dueAtMs,
        counts: await countAll(learnerId, nowMs, reviewOptions.utcOffsetMinutes),
      };
    },

    async undo(learnerId, nowMs, utcOffsetMinutes = 0) {
      const undone = await store.undoLastDrillReview(learnerId, nowMs);
      // The learner graded this question, so saw its answer: no mock guard here.
      const undoneDrill = undone ? index.drill(undone.drillId) : undefined;
      const drill = undoneDrill ? await viewOf(learnerId, undoneDrill, nowMs) : null;
      return { drill, counts: await countAll(learnerId, nowMs, utcOffsetMinutes) };
    },

    async getSettings(learnerId) {
      return { targetRetention: (await store.getDrillSettings(learnerId)).targetRetention };
    },

    async setSettings(learnerId, settings: DrillSettings) {
      const parsed = drillSettingsSchema.safeParse(settings);
      if (!parsed.success) {
        throw new DrillError('invalid', 'target retention must be a number between 0.7 and 0.97');
      }
      await store.setDrillSettings(learnerId, { targetRetention: parsed.data.targetRetention });
      return service.getSettings(learnerId);
    },

    ...createSessionOps({
      store,
      index,
      random: options.random ?? Math.random,
      loadCards,
      review: (learnerId, drillId, body, nowMs, reviewOptions) =>
        service.review(learnerId, drillId, body, nowMs, reviewOptions),
    }),
  };
  return service;
}
