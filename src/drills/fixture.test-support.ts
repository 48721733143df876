/**
 * A small made-up course for the drill service's tests (the real course changes while its
 * authors write; these tests name exact questions), a real SQLite store in memory, and a
 * fixed clock.
 */
import { afterEach } from 'vitest';
import type { Drill } from '../core/course.js';
import type { DrillOutput } from '../core/drill-api.js';
import type { Exercise } from '../core/exercise.js';
import type { Course, CourseModule, Lesson, LoadedDrill } from '../course/load.js';
import { openSqliteStore } from '../store/index.js';
import type { JobRecord, Store } from '../store/types.js';
import { createDrillService } from './service.js';
import type { DrillService } from './types.js';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** Monday 5 January 2026, 09:00 UTC. */
export const T0_MS = Date.UTC(2026, 0, 5, 9, 0, 0);

const TOPICS = [
  { id: 'profiling', title: 'Profiling with cProfile' },
  { id: 'gil', title: 'The GIL' },
  { id: 'pytest', title: 'pytest fixtures' },
  { id: 'mocking', title: 'Mocks and patching' },
  { id: 'logging', title: 'Logging levels' },
];

const MODULES: Pick<CourseModule, 'id' | 'title' | 'exercises'>[] = [
  { id: '01-measure', title: 'Measure', exercises: ['hidden-hot-function'] },
  { id: '03-concurrency', title: 'Concurrency', exercises: ['racy-counter'] },
  { id: '04-tests-and-logs', title: 'Tests and logs', exercises: ['flaky-clock-test'] },
];

const LESSONS: Pick<Lesson, 'id' | 'title' | 'moduleId' | 'topics'>[] = [
  { id: 'reading-profiles', title: 'Reading a profile', moduleId: '01-measure', topics: ['profiling'] },
  { id: 'the-gil', title: 'The GIL in practice', moduleId: '03-concurrency', topics: ['gil'] },
  {
    id: 'fixtures',
    title: 'Fixtures and scopes',
    moduleId: '04-tests-and-logs',
    topics: ['pytest', 'mocking'],
  },
  {
    id: 'patching',
    title: 'Patch where it is looked up',
    moduleId: '04-tests-and-logs',
    topics: ['mocking'],
  },
  { id: 'log-levels', title: 'Choosing log levels', moduleId: '04-tests-and-logs', topics: ['logging'] },
];

export const PROFILE_OUTPUT: DrillOutput = {
  tool: 'profile',
  program: { name: 'slow.py', source: 'print(1)\n' },
  command: 'perflab profile slow.py',
  recordedAtMs: T0_MS - DAY_MS,
  python: '3.12.3',
  result: { kind: 'profile' },
};

function drill(
  id: string,
  kind: Drill['kind'],
  module: string,
  topics: string[],
  lesson: string,
): LoadedDrill {
  return {
    id,
    kind,
    question: `Question ${id}?`,
    answer: `Short answer of ${id}.`,
    full: `Full answer of ${id}.`,
    topics,
    lesson,
    key_points: ['first point', 'second point', 'third point'],
    file: `/course/drills/${module}.yaml`,
    module,
    recordedOutput: kind === 'code-reading' ? PROFILE_OUTPUT : null,
  };
}

/** Course order: 01 (2 questions), 03 (3), 04 (11: 9 quick-fire on pytest/mocking/logging). */
export const DRILLS: LoadedDrill[] = [
  drill('cr-profile', 'code-reading', '01-measure', ['profiling'], 'reading-profiles'),
  drill('sc-profile', 'scenario', '01-measure', ['profiling'], 'reading-profiles'),
  drill('qf-gil-1', 'quick-fire', '03-concurrency', ['gil'], 'the-gil'),
  drill('qf-gil-2', 'quick-fire', '03-concurrency', ['gil'], 'the-gil'),
  drill('sc-gil', 'scenario', '03-concurrency', ['gil'], 'the-gil'),
  ...[1, 2, 3, 4].map((n) =>
    drill(`qf-pytest-${n}`, 'quick-fire', '04-tests-and-logs', ['pytest'], 'fixtures'),
  ),
  ...[1, 2].map((n) => drill(`qf-mock-${n}`, 'quick-fire', '04-tests-and-logs', ['mocking'], 'patching')),
  ...[1, 2, 3].map((n) => drill(`qf-log-${n}`, 'quick-fire', '04-tests-and-logs', ['logging'], 'log-levels')),
  drill('sc-logging', 'scenario', '04-tests-and-logs', ['logging'], 'log-levels'),
  drill('cr-pytest', 'code-reading', '04-tests-and-logs', ['pytest'], 'fixtures'),
];

function exercise(id: string, kind: 'debug' | 'challenge', topics: string[]): Exercise {
  return {
    dir: `/course/exercises/${id}`,
    meta: { id, title: `Exercise ${id}`, kind, topics } as Exercise['meta'],
    prompt: `# Fix ${id}\n`,
    hints: [],
    explanation: 'the explanation',
    starter: {},
    starterData: {},
    solution: {},
    tests: {},
  };
}

export const COURSE = {
  dir: '/course',
  file: { title: 'Test course', summary: 'made up', modules: MODULES.map((m) => m.id), topics: TOPICS },
  modules: MODULES as CourseModule[],
  lessons: LESSONS as Lesson[],
  exercises: [
    exercise('hidden-hot-function', 'debug', ['profiling']),
    exercise('racy-counter', 'debug', ['gil']),
    exercise('flaky-clock-test', 'debug', ['pytest']),
    exercise('word-frequency', 'challenge', ['profiling']),
  ],
  drills: DRILLS,
  coverage: [],
  problems: [],
} satisfies Course;

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/** A fresh in-memory SQLite store and a service over the fixture course, seeded `seed`. */
export async function freshService(seed = 0.5): Promise<{ store: Store; drills: DrillService }> {
  const store = await openSqliteStore({ file: ':memory:' });
  stores.push(store);
  return { store, drills: createDrillService({ store, course: COURSE, random: () => seed }) };
}

/** A verify job of `learnerId` on the exercise, as the server records one. */
export function verifyJob(
  learnerId: string,
  exerciseId: string,
  createdAtMs: number,
  overrides: Partial<JobRecord> = {},
): JobRecord {
  return {
    id: crypto.randomUUID(),
    learnerId,
    kind: 'verify',
    target: `exercise:${exerciseId}`,
    state: 'finished',
    createdAt: createdAtMs,
    startedAt: createdAtMs + 100,
    finishedAt: createdAtMs + 5_000,
    message: 'all 3 checks pass',
    passed: true,
    request: {},
    output: [],
    outputTruncated: false,
    progress: [],
    result: null,
    ...overrides,
  };
}
