import { useCallback, useEffect, useMemo, type RefObject } from 'react';
import type { FunctionLineTimings, JobResultView } from '../api/types';
import type { CodeEditorHandle, LineHeat } from '../components/CodeEditor';
import type { FunctionRef } from '../components/JobResult';

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

/**
 * The editor side of a profile result, shared by the exercise workspace and the workbench:
 * the line heat of the result (none while `enabled` is false), the hottest line scrolled into
 * view when a new profile arrives, and a handler that takes the editor to a function picked
 * in the profile views.
 */
export function useProfileHeat(options: {
  result: JobResultView | null;
  paths: readonly string[];
  activePath: string;
  editor: RefObject<CodeEditorHandle | null>;
  editorSection: RefObject<HTMLElement | null>;
  enabled?: boolean;
}): { heat: Record<string, LineHeat[]> | undefined; selectFunction: (fn: FunctionRef) => void } {
  const { result, paths, activePath, editor, editorSection, enabled = true } = options;
  const heat = useMemo(
    () =>
      enabled && result?.kind === 'profile' && result.lines
        ? lineHeat(result.lines.functions, paths)
        : undefined,
    [result, paths, enabled],
  );
  useEffect(() => {
    const lines = heat?.[activePath];
    if (!lines || lines.length === 0) return;
    const hottest = lines.reduce((a, b) => (b.ms > a.ms ? b : a));
    editor.current?.reveal(hottest.line);
    // Only when the heat changes, not on every tab switch.
  }, [heat]);
  const selectFunction = useCallback(
    (fn: FunctionRef) => {
      const path = workspacePath(fn.file, paths);
      if (!path) return;
      editorSection.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
      editor.current?.goTo(path, fn.line);
    },
    [paths, editor, editorSection],
  );
  return { heat, selectFunction };
}
