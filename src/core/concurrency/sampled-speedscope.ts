/**
 * A sampled profile as a speedscope file (https://www.speedscope.app/file-format-schema.json):
 * the functions as shared frames, one "sampled" profile per thread (named process label and
 * thread name) whose samples are stacks of frame indexes, outermost first, weighted in ms.
 */
import type { SpeedscopeFile } from '../profile-model.js';
import type { CallTreeNode } from '../profile-model.js';
import type { SampledProfile } from './sampled-profile.js';

export function sampledToSpeedscope(profile: SampledProfile, name: string): SpeedscopeFile {
  const frames = profile.functions.map((fn) =>
    fn.origin === 'builtin' ? { name: fn.name } : { name: fn.name, file: fn.file, line: fn.line },
  );
  const commands = new Map(profile.processes.map((p) => [p.key, p.pid]));
  const profiles = profile.threads.map((thread) => {
    const samples: number[][] = [];
    const weights: number[] = [];
    const walk = (node: CallTreeNode, stack: number[]) => {
      const here = [...stack, node.functionId];
      if (node.selfMs > 0) {
        samples.push(here);
        weights.push(node.selfMs);
      }
      for (const child of node.children) walk(child, here);
    };
    for (const root of thread.callTree) walk(root, []);
    const total = weights.reduce((sum, w) => sum + w, 0);
    return {
      type: 'sampled' as const,
      name: `pid ${commands.get(thread.processKey) ?? '?'} · ${thread.name}`,
      unit: 'milliseconds' as const,
      startValue: 0,
      endValue: total,
      samples,
      weights,
    };
  });
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles,
    name,
    activeProfileIndex: 0,
    exporter: 'perflab',
  };
}
