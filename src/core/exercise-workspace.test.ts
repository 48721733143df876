import { describe, expect, it } from 'vitest';
import type { Exercise } from './exercise.js';
import { exerciseEntry, learnerTree, lookupExercise } from './exercise-workspace.js';

/** Only the fields these rules read; the rest of an exercise does not matter to them. */
function exercise(id: string, edit: string[], run?: string): Exercise {
  return {
    meta: { id, edit, run },
    starter: { 'main.py': 'main', 'words.py': 'slow', 'helper.py': 'help' },
    starterData: { 'input.bin': new Uint8Array([1, 2]) },
  } as unknown as Exercise;
}

describe('exerciseEntry', () => {
  it('is the exercise’s run file, or else its first editable file', () => {
    expect(exerciseEntry(exercise('a', ['words.py', 'helper.py'], 'main.py'))).toBe('main.py');
    expect(exerciseEntry(exercise('a', ['words.py', 'helper.py']))).toBe('words.py');
  });
});

describe('learnerTree', () => {
  it('takes the learner’s version of editable files only, and keeps the data files', () => {
    const tree = learnerTree(exercise('a', ['words.py']), { 'words.py': 'fast', 'main.py': 'hacked' });
    expect(tree).toEqual([
      { path: 'main.py', content: 'main' },
      { path: 'words.py', content: 'fast' },
      { path: 'helper.py', content: 'help' },
      { path: 'input.bin', content: new Uint8Array([1, 2]) },
    ]);
  });
});

describe('lookupExercise', () => {
  const all = ['word-frequency', 'word-count', 'racy-counter'].map((id) => exercise(id, ['words.py']));
  const ids = (found: ReturnType<typeof lookupExercise>) => [
    found.exercise?.meta.id ?? null,
    found.matches.map((e) => e.meta.id),
  ];

  it('finds the exact id first, even when it is also a prefix of another', () => {
    const withPrefixId = [...all, exercise('word', ['words.py'])];
    expect(ids(lookupExercise(withPrefixId, 'word', { prefix: true }))).toEqual(['word', ['word']]);
  });

  it('with prefix: the only id that starts with the query, or the candidates when several do', () => {
    expect(ids(lookupExercise(all, 'racy', { prefix: true }))).toEqual(['racy-counter', ['racy-counter']]);
    expect(ids(lookupExercise(all, 'word-', { prefix: true }))).toEqual([
      null,
      ['word-frequency', 'word-count'],
    ]);
    expect(ids(lookupExercise(all, 'nothing', { prefix: true }))).toEqual([null, []]);
  });

  it('without prefix (a URL): only the exact id', () => {
    expect(ids(lookupExercise(all, 'racy', { prefix: false }))).toEqual([null, []]);
  });
});
