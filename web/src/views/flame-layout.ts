import type { CallTreeNode } from '../../../src/core/profile-model.js';

/** The synthetic root above the profile's roots, so several roots share one graph. */
export const ALL_FUNCTION_ID = -1;

export function wholeProgram(roots: readonly CallTreeNode[]): CallTreeNode {
  return {
    functionId: ALL_FUNCTION_ID,
    totalMs: roots.reduce((sum, r) => sum + r.totalMs, 0),
    selfMs: 0,
    children: [...roots],
  };
}

/** A frame's position: path is the child indices from the whole-program root. */
export interface FlameFrame {
  key: string;
  path: number[];
  node: CallTreeNode;
  depth: number;
  /** Fractions of the zoomed frame's width. */
  x: number;
  width: number;
}

export const pathKey = (path: readonly number[]): string => path.join('/');

export function nodeAt(root: CallTreeNode, path: readonly number[]): CallTreeNode | null {
  let node: CallTreeNode | undefined = root;
  for (const index of path) {
    node = node?.children[index];
    if (!node) return null;
  }
  return node;
}

/** Frames too thin to see or click are left out; their time stays in the parent's width. */
const MIN_WIDTH = 0.002;
const MAX_FRAMES = 3000;

export function layoutFrames(root: CallTreeNode, zoomPath: readonly number[]): FlameFrame[] {
  const focus = nodeAt(root, zoomPath) ?? root;
  const frames: FlameFrame[] = [];
  const scale = focus.totalMs > 0 ? 1 / focus.totalMs : 0;
  const visit = (node: CallTreeNode, path: number[], depth: number, x: number) => {
    const width = node.totalMs * scale;
    if ((width < MIN_WIDTH && depth > 0) || frames.length >= MAX_FRAMES) return;
    frames.push({ key: pathKey(path), path, node, depth, x, width });
    let childX = x;
    node.children.forEach((child, index) => {
      visit(child, [...path, index], depth + 1, childX);
      childX += child.totalMs * scale;
    });
  };
  visit(focus, [...zoomPath], 0, 0);
  return frames;
}

const isChildOf = (child: FlameFrame, parent: FlameFrame): boolean =>
  child.depth === parent.depth + 1 && parent.path.every((index, i) => child.path[i] === index);

/** The frame a key press moves to: up to the parent, down to the widest child, sideways in the row. */
export function neighbour(frames: readonly FlameFrame[], from: FlameFrame, key: string): FlameFrame | null {
  switch (key) {
    case 'ArrowUp':
      return frames.find((f) => isChildOf(from, f)) ?? null;
    case 'ArrowDown':
      // Children are laid out widest first.
      return frames.find((f) => isChildOf(f, from)) ?? null;
    case 'ArrowLeft':
    case 'ArrowRight': {
      const row = frames.filter((f) => f.depth === from.depth);
      const index = row.findIndex((f) => f.key === from.key);
      return row[index + (key === 'ArrowLeft' ? -1 : 1)] ?? null;
    }
    default:
      return null;
  }
}
