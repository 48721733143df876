import { describe, expect, it } from 'vitest';
import type { JobView } from '../api/types';
import { applyJobEvent, endJob, freshSnapshot, isTerminal, type JobSnapshot } from './job-events';

const clock = { nowMs: 500, wallNowMs: 1_700_000_009_000 };

const finishedJob: JobView = {
  id: 'job-1',
  kind: 'run',
  target: 'workbench',
  state: 'finished',
  createdAt: 1_700_000_000_000,
  startedAt: 1_700_000_000_100,
  finishedAt: 1_700_000_001_250,
  message: 'Exit code 0',
  passed: null,
  queuePosition: 0,
  output: [{ stream: 'stdout', text: 'done\n', tMs: 12 }],
  outputTruncated: false,
  progress: ['Installing'],
  result: null,
};

/** Applies events in order, as the stream delivers them. */
function replay(events: [Parameters<typeof applyJobEvent>[1], string][]): JobSnapshot {
  return events.reduce(
    (snapshot, [type, data]) => applyJobEvent(snapshot, type, data, clock) ?? snapshot,
    freshSnapshot(0),
  );
}

describe('applyJobEvent', () => {
  it('takes the state, queue position and elapsed time, stamped with the local clock', () => {
    const next = applyJobEvent(
      freshSnapshot(0),
      'state',
      '{"state":"queued","queuePosition":2,"elapsedMs":40}',
      clock,
    );
    expect(next).toMatchObject({ state: 'queued', queuePosition: 2, elapsedMs: 40, elapsedAt: 500 });
  });

  it('appends output chunks and progress lines in order, without touching the snapshot given', () => {
    const start = freshSnapshot(0);
    const snapshot = replay([
      ['output', '{"chunk":{"stream":"stdout","text":"a","tMs":1}}'],
      ['progress', '{"line":"Measuring round 1"}'],
      ['output', '{"chunk":{"stream":"stderr","text":"b","tMs":2}}'],
    ]);
    expect(snapshot.output.map((c) => `${c.stream}:${c.text}`)).toEqual(['stdout:a', 'stderr:b']);
    expect(snapshot.progress).toEqual(['Measuring round 1']);
    expect(start.output).toEqual([]);
  });

  it('ignores an event it cannot read (no change, not a crash)', () => {
    const snapshot = freshSnapshot(0);
    expect(applyJobEvent(snapshot, 'output', 'not json', clock)).toBeNull();
    expect(applyJobEvent(snapshot, 'output', '{"text":"no chunk"}', clock)).toBeNull();
    expect(applyJobEvent(snapshot, 'progress', '{"line":3}', clock)).toBeNull();
    expect(applyJobEvent(snapshot, 'state', 'null', clock)).toBeNull();
  });

  it('ends with the final job: its output replaces the streamed one, elapsed is created → finished', () => {
    const streamed = replay([['output', '{"chunk":{"stream":"stdout","text":"do","tMs":1}}']]);
    const ended = applyJobEvent(streamed, 'end', JSON.stringify({ job: finishedJob }), clock);
    expect(ended).toMatchObject({
      job: finishedJob,
      state: 'finished',
      queuePosition: 0,
      output: finishedJob.output,
      progress: ['Installing'],
      elapsedMs: 1250,
      connecting: false,
      error: null,
    });
  });

  it('counts a job without a finish time up to now', () => {
    const running = { ...finishedJob, finishedAt: null };
    const ended = applyJobEvent(freshSnapshot(0), 'end', JSON.stringify({ job: running }), clock);
    expect(ended?.elapsedMs).toBe(9000);
  });

  it('says so when the end event carries no readable job', () => {
    const ended = applyJobEvent(freshSnapshot(0), 'end', '{"nothing":true}', clock);
    expect(ended).toMatchObject({
      job: null,
      error: 'The job ended, but its result could not be read.',
      connecting: false,
    });
  });
});

describe('endJob', () => {
  it('accepts { job } and the bare job, and nothing else', () => {
    expect(endJob({ job: finishedJob })).toBe(finishedJob);
    expect(endJob(finishedJob)).toBe(finishedJob);
    expect(endJob({ job: 'x' })).toBeNull();
    expect(endJob(null)).toBeNull();
    expect(endJob('job-1')).toBeNull();
  });
});

describe('isTerminal', () => {
  it('is true for the four ways a job ends, false while it waits or runs', () => {
    expect(['finished', 'failed', 'cancelled', 'interrupted'].every((s) => isTerminal(s as never))).toBe(
      true,
    );
    expect(isTerminal('queued')).toBe(false);
    expect(isTerminal('running')).toBe(false);
    expect(isTerminal(null)).toBe(false);
  });
});
