/**
 * The memray view's headline: which of the learner's functions the memory at the peak is
 * attributed to. Bytes a node holds itself (its bytes minus its children's) count for the
 * innermost learner frame on its stack, so a helper in the standard library or in C that did
 * the allocating is charged to the learner's line that called it.
 *
 * Units: bytes.
 */
import type { MemoryFrame, MemoryTreeNode } from '../../../src/core/documents.js';

export interface PeakOwner {
  frame: MemoryFrame;
  bytes: number;
}

// By function, not line: memray gives each frame the line it was executing.
const keyOf = (frame: MemoryFrame) => `${frame.file}\0${frame.name}`;

/** The learner functions holding the most memory at the peak, most first (at most `top`). */
export function peakOwners(tree: MemoryTreeNode, top = 5): PeakOwner[] {
  const owners = new Map<string, PeakOwner>();
  // An explicit stack: memray trees can be deeper than the JS call stack is comfortable with.
  const stack: { node: MemoryTreeNode; owner: MemoryFrame | null }[] = [{ node: tree, owner: null }];
  while (stack.length > 0) {
    const { node, owner: above } = stack.pop() as { node: MemoryTreeNode; owner: MemoryFrame | null };
    const owner = node.frame?.origin === 'user' ? node.frame : above;
    const ownBytes = node.bytes - node.children.reduce((sum, c) => sum + c.bytes, 0);
    if (owner && ownBytes > 0) {
      const key = keyOf(owner);
      const entry = owners.get(key);
      if (entry) entry.bytes += ownBytes;
      else owners.set(key, { frame: owner, bytes: ownBytes });
    }
    for (const child of node.children) stack.push({ node: child, owner });
  }
  return [...owners.values()].sort((a, b) => b.bytes - a.bytes).slice(0, top);
}
