/** The service over the course perflab ships: the 30-question round on testing and logging. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../course/load.js';
import { openSqliteStore } from '../store/index.js';
import { createDrillService } from './service.js';

const course = await loadCourse(join(import.meta.dirname, '..', '..', 'course'));
const T0_MS = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('the shipped course', () => {
  it('gives a 30-question quick-fire round on testing and logging, its summary linking real lessons', async () => {
    const store = await openSqliteStore({ file: ':memory:' });
    try {
      const drills = createDrillService({ store, course, random: () => 0.5 });
      const list = await drills.list('local', { module: '04-tests-and-logs', utcOffsetMinutes: 0 }, T0_MS);
      const topics = list.topics.filter((t) => t.module === '04-tests-and-logs').map((t) => t.id);
      expect(topics.length).toBeGreaterThan(0);
      const round = await drills.startQuickFire(
        'local',
        { count: 30, topics, secondsPerQuestion: 60 },
        T0_MS,
      );
      expect(round.items).toHaveLength(30);
      expect(new Set(round.items.map((i) => i.refId)).size).toBe(30);
      for (const [i] of round.items.entries())
        await drills.answerItem('local', round.id, i, { grade: 3 }, T0_MS + i);
      const { summary } = await drills.finishSession('local', round.id, T0_MS + 60_000);
      expect(summary).toMatchObject({ answered: 30, timedOut: 0 });
      const lessonIds = new Set(course.lessons.map((l) => l.id));
      for (const topic of summary?.weakestTopics ?? []) {
        expect(topic.lessons.length).toBeGreaterThan(0);
        for (const lesson of topic.lessons) expect(lessonIds).toContain(lesson.id);
      }
      expect((await drills.list('local', { utcOffsetMinutes: 0 }, T0_MS + 60_000)).counts.learning).toBe(30);
    } finally {
      await store.close();
    }
  });
});
