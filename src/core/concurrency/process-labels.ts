/**
 * The processes of a sampled run, keyed by the pid py-spy reported (the host's, unless py-spy ran
 * inside the sandbox's PID namespace), with the pid the program saw and a label a learner reads:
 * "main process" for the first (the learner's own process), "worker N" for the others in order
 * of pid (multiprocessing workers and subprocesses alike; their command line says which).
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
  let worker = 0;
  for (const hostPid of [...hostPids].sort((a, b) => a - b)) {
    const parent = known.get(hostPid)?.parentHostPid ?? null;
    result.set(hostPid, {
      pid: inner(hostPid),
      parentPid: parent === null || hostPid === main ? null : inner(parent),
      command: known.get(hostPid)?.command ?? traces.find((t) => t.pid === hostPid)?.command ?? '',
      label: hostPid === main ? 'main process' : `worker ${(worker += 1)}`,
    });
  }
  return result;
}
