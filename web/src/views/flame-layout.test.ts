import { describe, expect, it } from 'vitest';
import type { CallTreeNode } from '../../../src/core/profile-model.js';
import {
  ALL_FUNCTION_ID,
  layoutFrames,
  neighbour,
  nodeAt,
  wholeProgram,
  type FlameFrame,
} from './flame-layout';
import { profileResultFixture } from './test-fixtures';

const node = (functionId: number, totalMs: number, children: CallTreeNode[] = []): CallTreeNode => ({
  functionId,
  totalMs,
  selfMs: totalMs - children.reduce((sum, c) => sum + c.totalMs, 0),
  children,
});

// main (100 ms) calls slow (60 ms, which calls leaf 30 ms) and fast (40 ms); a second root idle (100 ms).
const tree = wholeProgram([node(1, 100, [node(2, 60, [node(4, 30)]), node(3, 40)]), node(5, 100)]);

const byKey = (frames: readonly FlameFrame[], key: string): FlameFrame => {
  const frame = frames.find((f) => f.key === key);
  if (!frame) throw new Error(`no frame ${key}`);
  return frame;
};

describe('wholeProgram', () => {
  it('puts every root under one synthetic frame whose time is their sum', () => {
    expect(tree.functionId).toBe(ALL_FUNCTION_ID);
    expect(tree.totalMs).toBe(200);
    expect(tree.selfMs).toBe(0);
    expect(tree.children.map((c) => c.functionId)).toEqual([1, 5]);
  });
});

describe('nodeAt', () => {
  it('follows child indices from the root', () => {
    expect(nodeAt(tree, [])).toBe(tree);
    expect(nodeAt(tree, [0, 0, 0])?.functionId).toBe(4);
    expect(nodeAt(tree, [1])?.functionId).toBe(5);
  });

  it('is null for a path that leaves the tree', () => {
    expect(nodeAt(tree, [0, 5])).toBeNull();
    expect(nodeAt(tree, [1, 0])).toBeNull();
  });
});

describe('layoutFrames', () => {
  it('gives each frame a width proportional to its time and places children left to right', () => {
    const frames = layoutFrames(tree, []);
    expect(frames.map((f) => f.key)).toEqual(['', '0', '0/0', '0/0/0', '0/1', '1']);
    const main = byKey(frames, '0');
    expect([main.depth, main.x, main.width]).toEqual([1, 0, 0.5]);
    expect(byKey(frames, '0/1')).toMatchObject({ depth: 2, x: 0.3, width: 0.2 });
    expect(byKey(frames, '0/0/0')).toMatchObject({ depth: 3, x: 0, width: 0.15 });
    expect(byKey(frames, '1')).toMatchObject({ depth: 1, x: 0.5, width: 0.5 });
  });

  it('zooms: the zoomed frame spans the whole width and keeps its path', () => {
    const frames = layoutFrames(tree, [0, 0]);
    expect(frames.map((f) => f.key)).toEqual(['0/0', '0/0/0']);
    expect(frames[0]).toMatchObject({ depth: 0, x: 0, width: 1, path: [0, 0] });
    expect(frames[1]).toMatchObject({ depth: 1, x: 0, width: 0.5, path: [0, 0, 0] });
  });

  it('falls back to the root when the zoom path no longer exists', () => {
    expect(layoutFrames(tree, [7])[0]?.node).toBe(tree);
  });

  it('leaves out frames under 0.2% of the width but keeps their time in the parent', () => {
    const thin = wholeProgram([node(1, 1000, [node(2, 1.9), node(3, 2.1)])]);
    const frames = layoutFrames(thin, []);
    expect(frames.map((f) => f.node.functionId)).toEqual([ALL_FUNCTION_ID, 1, 3]);
    // The thin child still takes its place: its sibling starts after it.
    expect(frames[2]?.x).toBeCloseTo(0.0019, 6);
  });

  it('draws a root that recorded no time with zero width and nothing under it', () => {
    const frames = layoutFrames(wholeProgram([node(1, 0)]), []);
    expect(frames).toHaveLength(1);
    expect(frames[0]?.width).toBe(0);
  });

  it('lays out a real profile with word_counts as the widest child of main', () => {
    const root = wholeProgram(profileResultFixture.callTree);
    const frames = layoutFrames(root, []);
    const main = frames.find((f) => f.node.functionId === 2);
    const widest = frames.find((f) => f.depth === (main?.depth ?? 0) + 1);
    expect(widest?.node.functionId).toBe(5);
    expect(widest?.width).toBeCloseTo(1067.9 / 1242.5, 3);
  });
});

describe('neighbour', () => {
  const frames = layoutFrames(tree, []);
  const from = (key: string, arrow: string) => neighbour(frames, byKey(frames, key), arrow)?.key ?? null;

  it('moves up to the parent and down to the first (widest) child', () => {
    expect(from('0/0', 'ArrowUp')).toBe('0');
    expect(from('0', 'ArrowDown')).toBe('0/0');
    expect(from('', 'ArrowUp')).toBeNull();
    expect(from('0/1', 'ArrowDown')).toBeNull();
  });

  it('moves sideways within a row, across parents, and stops at its ends', () => {
    expect(from('0', 'ArrowRight')).toBe('1');
    expect(from('1', 'ArrowLeft')).toBe('0');
    expect(from('1', 'ArrowRight')).toBeNull();
    expect(from('0/0', 'ArrowLeft')).toBeNull();
  });

  it('ignores other keys', () => {
    expect(from('0', 'Enter')).toBeNull();
  });
});
