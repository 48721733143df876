/** memoryFlame and topPeakStacks on the peak tree the harness's memray mode read from a real run. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MemoryTreeNode } from '../documents.js';
import type { CallTreeNode } from '../profile-model.js';
import { memoryFlame, topPeakStacks } from './memory-flame.js';

const tree: MemoryTreeNode = JSON.parse(
  readFileSync(new URL('./fixtures/memray-memory-peak.json', import.meta.url), 'utf8'),
).peakTree;

describe('memoryFlame', () => {
  const flame = memoryFlame(tree);
  const nameOf = (node: CallTreeNode | undefined) => flame.functions[node?.functionId ?? -1]?.name;

  it("carries bytes in totalMs/selfMs, children within their parent, roots adding up to the tree's bytes", () => {
    const walk = (node: CallTreeNode) => {
      const children = node.children.reduce((sum, c) => sum + c.totalMs, 0);
      expect(node.selfMs + children).toBeCloseTo(node.totalMs, 6);
      node.children.forEach(walk);
    };
    flame.callTree.forEach(walk);
    expect(flame.callTree.reduce((sum, n) => sum + n.totalMs, 0)).toBe(tree.bytes);
  });

  it("merges a function's nodes: one <module> root holding both the cache and the rows", () => {
    const module = flame.callTree.find(
      (n) => nameOf(n) === '<module>' && flame.functions[n.functionId]?.file === 'memory_peak.py',
    );
    expect(module?.children.map(nameOf).sort()).toEqual(['build_cache', 'load_rows']);
    const cache = module?.children.find((n) => nameOf(n) === 'build_cache');
    // 50 bytearrays of 100 000 bytes.
    expect(cache?.totalMs).toBeGreaterThanOrEqual(5_000_000);
    expect(flame.functions.find((f) => f.name === 'build_cache')).toMatchObject({
      origin: 'user',
      file: 'memory_peak.py',
    });
  });
});

describe('topPeakStacks', () => {
  it('lists the stacks holding the most bytes of their own, outermost frame first', () => {
    const stacks = topPeakStacks(tree, 2);
    expect(stacks).toHaveLength(2);
    expect(stacks[0]?.bytes).toBeGreaterThanOrEqual(stacks[1]?.bytes ?? Infinity);
    const names = stacks.map((s) => s.frames.map((f) => f.name).join(' > '));
    expect(names.sort()).toEqual([
      '<module> > build_cache > <listcomp>',
      '<module> > load_rows > <listcomp>',
    ]);
    expect(stacks.find((s) => s.frames.some((f) => f.name === 'build_cache'))?.allocations).toBe(50);
    expect(topPeakStacks(tree, 1)).toHaveLength(1);
  });
});
