/**
 * Repairs py-spy's Chrome trace (0.4.3) for programs with several processes. py-spy keeps the
 * previous stack of each thread keyed by the thread id alone — the pthread id, which a forked
 * child shares with its parent — and writes the "E" (end) events that close the previous stack
 * with the pid of the sample that replaced it. In a multiprocessing pool the learner process
 * then appears to end frames it never began (`square_sum` "ending" in the parent).
 *
 * The fix follows py-spy's own order: per thread id, every "E" closes the innermost open "B"
 * (it writes ends innermost first, then begins outermost first), so the "E" takes that "B"'s
 * pid. After it, per (pid, tid) the events nest and balance again.
 */
import type { TraceEvent } from '../core/documents.js';

export function repairPySpyTrace(events: TraceEvent[]): TraceEvent[] {
  const open = new Map<string, TraceEvent['pid'][]>();
  return events.map((event) => {
    const key = String(event.tid);
    const stack = open.get(key) ?? [];
    open.set(key, stack);
    if (event.ph === 'B') {
      stack.push(event.pid);
      return event;
    }
    if (event.ph === 'E' && stack.length > 0) {
      const pid = stack.pop();
      return pid === event.pid ? event : { ...event, pid };
    }
    return event;
  });
}
