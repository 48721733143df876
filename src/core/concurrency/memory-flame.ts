/**
 * memray's tree of allocations alive at the peak → the flame-graph model the sampled profile
 * uses (functions + CallTreeNode), so one flame graph component draws both.
 *
 * Units: here CallTreeNode.totalMs and selfMs carry BYTES, not milliseconds (a node's bytes
 * with its callees' / without them). Function ids are per (name, file, native); the line is
 * the first seen.
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
  const convert = (node: MemoryTreeNode): CallTreeNode[] => {
    const children = node.children.flatMap(convert).sort((a, b) => b.totalMs - a.totalMs);
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
  return { functions, callTree: convert(tree) };
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
