import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { formatLineMs, heatExtension, heatSets, type LineHeat } from './editor-heat';

const heat = (line: number, ms: number, intensity: number): LineHeat => ({
  line,
  ms,
  hits: 1,
  share: 0,
  intensity,
});

describe('formatLineMs', () => {
  it('keeps a line time to a few characters', () => {
    expect([2500, 1000, 999.6, 42.4, 10, 9.96, 0.1, 0.05].map(formatLineMs)).toEqual([
      '2.5 s',
      '1.0 s',
      '1000 ms',
      '42 ms',
      '10 ms',
      '10.0 ms',
      '0.1 ms',
      '<0.1 ms',
    ]);
  });
});

describe('heatSets', () => {
  const state = EditorState.create({ doc: 'a = 1\nb = 2\nc = 3\n' });

  it('puts a marker at the start of each timed line that exists, in line order', () => {
    const sets = heatSets(state, [heat(3, 5, 0.5), heat(1, 10, 1), heat(9, 1, 1), heat(0, 1, 1)]);
    const at: number[] = [];
    sets.markers.between(0, state.doc.length, (from) => {
      at.push(from);
    });
    expect(at).toEqual([state.doc.line(1).from, state.doc.line(3).from]);
  });

  it('tints only lines at 2% of the hottest or more, by their strength', () => {
    const sets = heatSets(state, [heat(1, 10, 1), heat(2, 0.1, 0.01), heat(3, 5, 0.5)]);
    const tints: [number, string][] = [];
    sets.lines.between(0, state.doc.length, (from, _to, decoration) => {
      tints.push([state.doc.lineAt(from).number, String(decoration.spec.attributes.style)]);
    });
    expect(tints).toEqual([
      [1, '--heat: 100'],
      [3, '--heat: 50'],
    ]);
  });
});

describe('heatExtension', () => {
  it('adds nothing to a file without heat', () => {
    expect(heatExtension(undefined)).toEqual([]);
    expect(heatExtension([])).toEqual([]);
  });
});
