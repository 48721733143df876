import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../core/documents.js';
import { repairPySpyTrace } from './chrometrace-repair.js';

/** What py-spy 0.4.3 writes when a parent (pid 10) and its forked child (pid 11) share pthread id 7. */
const SHARED_TID: TraceEvent[] = [
  { ph: 'B', pid: 11, tid: 7, ts: 0, name: 'process 11' },
  { ph: 'B', pid: 11, tid: 7, ts: 0, name: 'square_sum' },
  // The parent's sample closes the child's frames, under the parent's pid.
  { ph: 'E', pid: 10, tid: 7, ts: 10, name: 'square_sum' },
  { ph: 'E', pid: 10, tid: 7, ts: 10, name: 'process 11' },
  { ph: 'B', pid: 10, tid: 7, ts: 10, name: 'process 10' },
  { ph: 'B', pid: 10, tid: 7, ts: 10, name: 'join' },
  { ph: 'E', pid: 11, tid: 7, ts: 20, name: 'join' },
  { ph: 'E', pid: 11, tid: 7, ts: 20, name: 'process 10' },
  { ph: 'B', pid: 11, tid: 7, ts: 20, name: 'process 11' },
];

describe('repairPySpyTrace', () => {
  it('gives every end event the pid of the begin event it closes', () => {
    const repaired = repairPySpyTrace(SHARED_TID);
    expect(repaired.map((e) => `${e.ph}${String(e.pid)}:${e.name}`)).toEqual([
      'B11:process 11',
      'B11:square_sum',
      'E11:square_sum',
      'E11:process 11',
      'B10:process 10',
      'B10:join',
      'E10:join',
      'E10:process 10',
      'B11:process 11',
    ]);
  });

  it('leaves a single-process trace as it was, and tolerates an end without a begin', () => {
    const plain: TraceEvent[] = [
      { ph: 'E', pid: 1, tid: 2, ts: 0, name: 'stray' },
      { ph: 'B', pid: 1, tid: 2, ts: 1, name: 'main' },
      { ph: 'E', pid: 1, tid: 2, ts: 2, name: 'main' },
    ];
    expect(repairPySpyTrace(plain)).toEqual(plain);
  });
});
