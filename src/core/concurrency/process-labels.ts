/**
 * The processes of a sampled run, keyed by the pid py-spy reported (the host's, unless py-spy ran
 * inside the sandbox's PID namespace), with the pid the program saw and a label a learner reads:
 * "main process" for the learner's own process; for the others, in order of pid, "worker N"
 * (multiprocessing pool workers and forked children), "resource tracker" (multiprocessing's
 * helper process) or "subprocess N: <program>" (any other command).
 */
import type { SampleCapture } from './sampled-profile.js';

export interface SampledProcessInfo {
  /** Inside the sandbox when capture.processes maps it; else as py-spy reported it. */
  pid: number;
  parentPid: number | null;
  command: string;
  label: string;
}

export function processLabels(
  capture: Pick<SampleCapture, 'processes'>,
  traces: readonly { pid: number; command: string }[],
): Map<number, SampledProcessInfo> {
  const hostPids = [...new Set([...capture.processes.map((p) => p.hostPid), ...traces.map((t) => t.pid)])];
  const known = new Map(capture.processes.map((p) => [p.hostPid, p]));
  const inner = (hostPid: number) => known.get(hostPid)?.innerPid ?? hostPid;
  // The main process: the one whose parent is not among them (py-spy's target), else the lowest pid.
  const roots = hostPids.filter((pid) => {
    const parent = known.get(pid)?.parentHostPid ?? null;
    return parent === null || !hostPids.includes(parent);
  });
  const main = known.size > 0 && roots.length > 0 ? Math.min(...roots) : Math.min(...hostPids);
  const result = new Map<number, SampledProcessInfo>();
  const counts = { worker: 0, subprocess: 0 };
  const mainCommand = known.get(main)?.command ?? traces.find((t) => t.pid === main)?.command ?? '';
  const labelOf = (command: string): string => {
    if (command.includes('multiprocessing.resource_tracker')) return 'resource tracker';
    if (command === mainCommand || /multiprocessing\.(spawn|forkserver)|--multiprocessing-fork/.test(command))
      return `worker ${(counts.worker += 1)}`;
    // A Python child is named by its script, any other program by itself.
    const words = command.split(' ');
    const argv0 = words[0] ?? '';
    const isPython = /(^|\/)python[\d.]*$/.test(argv0);
    const program = (isPython ? words.slice(1).find((word) => !word.startsWith('-')) : undefined) ?? argv0;
    return `subprocess ${(counts.subprocess += 1)}: ${program.slice(program.lastIndexOf('/') + 1)}`;
  };
  for (const hostPid of [...hostPids].sort((a, b) => a - b)) {
    const parent = known.get(hostPid)?.parentHostPid ?? null;
    const command = known.get(hostPid)?.command ?? traces.find((t) => t.pid === hostPid)?.command ?? '';
    result.set(hostPid, {
      pid: inner(hostPid),
      parentPid: parent === null || hostPid === main ? null : inner(parent),
      command,
      label: hostPid === main ? 'main process' : labelOf(command),
    });
  }
  return result;
}

/**
 * The host's /proc reading of a sampled thread. py-spy names a thread by the native id the
 * program sees (Python's thread state, inside the sandbox's PID namespace) while the event's pid
 * is the host pid it attached to: so the join is on (host pid, inner tid), with the host tid as
 * a fallback for a reading taken without a namespace.
 */
export function threadReading(
  capture: Pick<SampleCapture, 'threadCpu'>,
  hostPid: number,
  nativeTid: number,
): SampleCapture['threadCpu'][number] | undefined {
  const own = capture.threadCpu.filter((r) => r.hostPid === hostPid);
  return own.find((r) => r.innerTid === nativeTid) ?? own.find((r) => r.hostTid === nativeTid);
}
