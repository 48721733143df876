import { describe, expect, it } from 'vitest';
import { summarizeSession, type TopicInfo } from './summary.js';

const TOPICS: Record<string, TopicInfo> = {
  pytest: { title: 'pytest', lessons: [{ id: 'pytest-basics', title: 'pytest basics' }] },
  logging: {
    title: 'Logging',
    lessons: [
      { id: 'logging-levels', title: 'Levels' },
      { id: 'structured-logs', title: 'Structured logs' },
    ],
  },
  mocking: { title: 'Mocks', lessons: [] },
};

describe('summarizeSession', () => {
  it('scores the session, counts late and missing parts as timed out, and names the weakest topics first', () => {
    const summary = summarizeSession(
      [
        { topics: ['pytest'], score: 1, answeredInTime: true, secondsTaken: 20 },
        { topics: ['pytest', 'logging'], score: 2 / 3, answeredInTime: true, secondsTaken: 45.5 },
        { topics: ['logging'], score: 0, answeredInTime: false, secondsTaken: 75 },
        { topics: ['mocking'], score: null, answeredInTime: false, secondsTaken: null },
        { topics: ['unknown-topic'], score: 0.5, answeredInTime: true, secondsTaken: 10 },
      ],
      (topic) => TOPICS[topic],
    );
    expect(summary.score).toBeCloseTo((1 + 2 / 3 + 0 + 0 + 0.5) / 5);
    expect(summary).toMatchObject({ answered: 3, timedOut: 2, totalSecondsTaken: 150.5 });
    expect(summary.weakestTopics.map((t) => [t.topic, t.asked])).toEqual([
      ['mocking', 1],
      ['logging', 2],
      ['unknown-topic', 1],
      ['pytest', 2],
    ]);
    expect(summary.weakestTopics[1]?.score).toBeCloseTo(1 / 3);
    expect(summary.weakestTopics[1]?.lessons).toEqual(TOPICS.logging?.lessons);
    expect(summary.weakestTopics[2]).toMatchObject({ title: 'unknown-topic', lessons: [] });
  });

  it('is all zeros for a session of no parts', () => {
    expect(summarizeSession([], () => undefined)).toEqual({
      score: 0,
      answered: 0,
      timedOut: 0,
      weakestTopics: [],
      totalSecondsTaken: 0,
    });
  });
});
