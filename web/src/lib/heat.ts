import type { FunctionLineTimings } from '../api';
import type { LineHeat } from '../components/CodeEditor';

/** The workspace file a profiled path belongs to (profiles may report absolute sandbox paths). */
export function workspacePath(profiled: string, paths: readonly string[]): string | null {
  const normalised = profiled.replace(/\\/g, '/');
  let best: string | null = null;
  for (const path of paths) {
    if (normalised === path || normalised.endsWith(`/${path}`)) {
      if (best === null || path.length > best.length) best = path;
    }
  }
  return best;
}

/** Line heat per workspace file from the line timings of the hottest functions. */
export function lineHeat(
  functions: readonly FunctionLineTimings[],
  paths: readonly string[],
): Record<string, LineHeat[]> {
  const all = functions.flatMap((fn) => fn.lines.map((line) => ({ fn, line })));
  const total = all.reduce((sum, { line }) => sum + line.timeMs, 0);
  const hottest = all.reduce((max, { line }) => Math.max(max, line.timeMs), 0);
  const heat: Record<string, LineHeat[]> = {};
  if (total <= 0 || hottest <= 0) return heat;
  for (const { fn, line } of all) {
    const path = workspacePath(fn.file, paths);
    if (!path || line.hits === 0) continue;
    const list = (heat[path] ??= []);
    const existing = list.find((h) => h.line === line.line);
    const ms = (existing?.ms ?? 0) + line.timeMs;
    const entry: LineHeat = {
      line: line.line,
      ms,
      hits: (existing?.hits ?? 0) + line.hits,
      share: ms / total,
      intensity: Math.min(1, ms / hottest),
    };
    if (existing) list.splice(list.indexOf(existing), 1, entry);
    else list.push(entry);
  }
  return heat;
}
