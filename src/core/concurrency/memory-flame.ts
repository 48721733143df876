/**
 * memray's tree of allocations alive at the peak → the flame-graph model the sampled profile
 * uses (functions + CallTreeNode), so one flame graph component draws both.
 *
 * Units: here CallTreeNode.totalMs and selfMs carry BYTES, not milliseconds (a node's bytes
 * with its callees' / without them). Function ids are per (name, file, native); the line is
 * the first seen; nodes of one function under the same parent (memray keeps one per line) are
 * merged.
 */
import type { MemoryFrame, MemoryTreeNode } from '../documents.js';
import type { CallTreeNode } from '../profile-model.js';
import type { SampledFunction } from './sampled-profile.js';

export function memoryFlame(tree: MemoryTreeNode): {
  functions: SampledFunction[];
  callTree: CallTreeNode[];
} {
  const functions: SampledFunction[] = [];
  const ids = new Map<string, number>();
  const idOf = (frame: MemoryFrame) => {
    const key = `${frame.name}\u0000${frame.file}\u0000${frame.native}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = functions.length;
      ids.set(key, id);
      functions.push({ id, name: frame.name, file: frame.file, line: frame.line, origin: frame.origin });
    }
    return id;
  };
  // memray's tree keeps one node per line; the flame graph merges a function's nodes under one parent.
  const mergeSiblings = (nodes: CallTreeNode[]): CallTreeNode[] => {
    const byId = new Map<number, CallTreeNode>();
    for (const node of nodes) {
      const known = byId.get(node.functionId);
      if (!known) byId.set(node.functionId, { ...node, children: [...node.children] });
      else {
        known.totalMs += node.totalMs;
        known.selfMs += node.selfMs;
        known.children.push(...node.children);
      }
    }
    return [...byId.values()]
      .map((node) => ({ ...node, children: mergeSiblings(node.children) }))
      .sort((a, b) => b.totalMs - a.totalMs);
  };
  const convert = (node: MemoryTreeNode): CallTreeNode[] => {
    const children = node.children.flatMap(convert);
    if (!node.frame) return children;
    const childBytes = children.reduce((sum, c) => sum + c.totalMs, 0);
    return [
      {
        functionId: idOf(node.frame),
        totalMs: node.bytes,
        selfMs: Math.max(0, node.bytes - childBytes),
        children,
      },
    ];
  };
  return { functions, callTree: mergeSiblings(convert(tree)) };
}

export interface PeakStack {
  /** Allocated by this exact stack (not by deeper calls), alive at the peak. */
  bytes: number;
  allocations: number;
  /** Outermost first. */
  frames: MemoryFrame[];
}

/** The `n` stacks holding the most bytes of their own at the peak, largest first (for the terminal). */
export function topPeakStacks(tree: MemoryTreeNode, n: number): PeakStack[] {
  const stacks: PeakStack[] = [];
  const walk = (node: MemoryTreeNode, frames: MemoryFrame[]) => {
    const here = node.frame ? [...frames, node.frame] : frames;
    const childBytes = node.children.reduce((sum, c) => sum + c.bytes, 0);
    const childAllocations = node.children.reduce((sum, c) => sum + c.allocations, 0);
    const own = node.bytes - childBytes;
    if (own > 0 && here.length > 0)
      stacks.push({
        bytes: own,
        allocations: Math.max(0, node.allocations - childAllocations),
        frames: here,
      });
    for (const child of node.children) walk(child, here);
  };
  walk(tree, []);
  return stacks.sort((a, b) => b.bytes - a.bytes).slice(0, n);
}
