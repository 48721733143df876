/**
 * The profile model: cProfile's aggregated function table and call edges (from the harness),
 * turned into the views a person reads — a sorted table, the hottest user functions, and a
 * call tree estimated from the call graph for flame graphs and speedscope export.
 *
 * cProfile records totals per function and per caller→callee edge, not stacks, so the tree
 * splits each function's time among its callers in proportion to the edge times: exact for
 * functions with one caller, an estimate otherwise (the same assumption gprof2dot makes).
 */
import type { CallEdge, ProfiledFunction } from './documents.js';

export type ProfileSortKey = 'cumulative' | 'tottime' | 'calls';

export function sortFunctions(
  functions: readonly ProfiledFunction[],
  key: ProfileSortKey,
): ProfiledFunction[] {
  const value = (f: ProfiledFunction) =>
    key === 'cumulative' ? f.cumtimeMs : key === 'tottime' ? f.tottimeMs : f.ncalls;
  return [...functions].sort((a, b) => value(b) - value(a) || b.tottimeMs - a.tottimeMs);
}

export interface HotUserFunction {
  fn: ProfiledFunction;
  /** Time spent on this function's own lines: its own time plus calls it makes into non-user code. */
  ownLinesMs: number;
}

/** The learner's functions ranked by time spent on their own lines: where line profiling pays off. */
export function hotUserFunctions(
  functions: readonly ProfiledFunction[],
  edges: readonly CallEdge[],
  limit: number,
): HotUserFunction[] {
  const byId = new Map(functions.map((f) => [f.id, f]));
  return functions
    .filter((f) => f.origin === 'user' && f.name !== '<module>' && !f.name.startsWith('<'))
    .map((fn) => {
      const intoLibraries = edges
        .filter((e) => e.callerId === fn.id && byId.get(e.calleeId)?.origin !== 'user')
        .reduce((sum, e) => sum + e.cumtimeMs, 0);
      return { fn, ownLinesMs: fn.tottimeMs + intoLibraries };
    })
    .sort((a, b) => b.ownLinesMs - a.ownLinesMs)
    .slice(0, limit);
}

export interface CallTreeNode {
  functionId: number;
  totalMs: number;
  selfMs: number;
  children: CallTreeNode[];
}

export interface CallTreeOptions {
  maxDepth?: number;
  /** Subtrees smaller than this fraction of the whole are folded into their parent's self time. */
  minFraction?: number;
}

export function buildCallTree(
  functions: readonly ProfiledFunction[],
  edges: readonly CallEdge[],
  options: CallTreeOptions = {},
): CallTreeNode[] {
  const maxDepth = options.maxDepth ?? 64;
  const minFraction = options.minFraction ?? 0.001;
  const byId = new Map(functions.map((f) => [f.id, f]));
  const calleesOf = new Map<number, CallEdge[]>();
  const hasCaller = new Set<number>();
  for (const edge of edges) {
    if (edge.callerId === edge.calleeId) continue;
    hasCaller.add(edge.calleeId);
    calleesOf.set(edge.callerId, [...(calleesOf.get(edge.callerId) ?? []), edge]);
  }
  const roots = functions.filter((f) => !hasCaller.has(f.id) && f.cumtimeMs > 0);
  const totalMs = roots.reduce((sum, f) => sum + f.cumtimeMs, 0);
  const minMs = totalMs * minFraction;

  const expand = (fn: ProfiledFunction, budgetMs: number, path: Set<number>, depth: number): CallTreeNode => {
    const scale = fn.cumtimeMs > 0 ? budgetMs / fn.cumtimeMs : 0;
    const node: CallTreeNode = { functionId: fn.id, totalMs: budgetMs, selfMs: 0, children: [] };
    let childrenMs = 0;
    if (depth < maxDepth) {
      path.add(fn.id);
      for (const edge of calleesOf.get(fn.id) ?? []) {
        const callee = byId.get(edge.calleeId);
        const share = Math.min(edge.cumtimeMs * scale, budgetMs - childrenMs);
        if (!callee || path.has(callee.id) || share < minMs || share <= 0) continue;
        node.children.push(expand(callee, share, path, depth + 1));
        childrenMs += share;
      }
      path.delete(fn.id);
    }
    node.selfMs = Math.max(0, budgetMs - childrenMs);
    node.children.sort((a, b) => b.totalMs - a.totalMs);
    return node;
  };

  return roots
    .map((root) => expand(root, root.cumtimeMs, new Set(), 0))
    .sort((a, b) => b.totalMs - a.totalMs);
}

/** A speedscope file (https://www.speedscope.app/file-format-schema.json), "sampled" profile weighted in ms. */
export interface SpeedscopeFile {
  $schema: 'https://www.speedscope.app/file-format-schema.json';
  shared: { frames: { name: string; file?: string; line?: number }[] };
  profiles: {
    type: 'sampled';
    name: string;
    unit: 'milliseconds';
    startValue: number;
    endValue: number;
    samples: number[][];
    weights: number[];
  }[];
  name: string;
  activeProfileIndex: number;
  exporter: string;
}

export function toSpeedscope(
  functions: readonly ProfiledFunction[],
  edges: readonly CallEdge[],
  name: string,
): SpeedscopeFile {
  const frameIndex = new Map<number, number>();
  const frames: SpeedscopeFile['shared']['frames'] = [];
  for (const fn of functions) {
    frameIndex.set(fn.id, frames.length);
    frames.push(
      fn.origin === 'builtin' ? { name: fn.name } : { name: fn.name, file: fn.file, line: fn.line },
    );
  }
  const samples: number[][] = [];
  const weights: number[] = [];
  const walk = (node: CallTreeNode, stack: number[]) => {
    const here = [...stack, frameIndex.get(node.functionId) as number];
    if (node.selfMs > 0) {
      samples.push(here);
      weights.push(node.selfMs);
    }
    for (const child of node.children) walk(child, here);
  };
  for (const root of buildCallTree(functions, edges)) walk(root, []);
  const total = weights.reduce((sum, w) => sum + w, 0);
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles: [
      { type: 'sampled', name, unit: 'milliseconds', startValue: 0, endValue: total, samples, weights },
    ],
    name,
    activeProfileIndex: 0,
    exporter: 'perflab',
  };
}
