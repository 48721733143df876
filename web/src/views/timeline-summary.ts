/**
 * The one line above a timeline: how many lanes of which kind over how long, then the
 * sentence that tells ten waits in a row from ten together (core's describeConcurrency: the
 * most lanes waiting or running at once).
 */
import type { Timeline } from '../../../src/core/concurrency/timeline.js';
import { describeConcurrency } from '../../../src/core/concurrency/timeline-overlap.js';
import { formatMs } from './format';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function timelineHeadline(timeline: Timeline): string {
  const kinds = { process: 0, thread: 0, task: 0 };
  for (const lane of timeline.lanes) kinds[lane.kind] += 1;
  const parts = [
    kinds.process > 0 ? plural(kinds.process, 'process', 'processes') : '',
    kinds.thread > 0 ? plural(kinds.thread, 'thread') : '',
    kinds.task > 0 ? plural(kinds.task, 'asyncio task') : '',
  ].filter(Boolean);
  const lanes = `${plural(timeline.lanes.length, 'lane')} (${parts.join(', ')}) over ${formatMs(timeline.durationUs / 1000)}.`;
  return `${lanes} ${describeConcurrency(timeline)}`;
}
