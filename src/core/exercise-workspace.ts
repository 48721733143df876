/**
 * The rules every reader of an exercise shares (CLI, server, verification): which exercise a
 * name means, which file is the program Run, Profile and the grader start, and the tree the
 * learner's code runs in. Pure: plain data in, plain data out.
 */
import type { Exercise, FileTree } from './exercise.js';

/** One file of a program's tree, as the sandbox stages it (structurally sandbox's JobFile). */
export interface TreeFile {
  path: string;
  content: Uint8Array | string;
}

/** The program an exercise runs: its `run` file, or else its first editable file. */
export function exerciseEntry(exercise: Exercise): string {
  return exercise.meta.run ?? (exercise.meta.edit[0] as string);
}

/** The learner's tree: the starter with the learner's versions of the editable files, then the data files. */
export function learnerTree(exercise: Exercise, edits: FileTree): TreeFile[] {
  const files: TreeFile[] = [];
  for (const [path, content] of Object.entries(exercise.starter)) {
    files.push({
      path,
      content: exercise.meta.edit.includes(path) && edits[path] !== undefined ? edits[path] : content,
    });
  }
  for (const [path, content] of Object.entries(exercise.starterData)) files.push({ path, content });
  return files;
}

/**
 * The exercise a name means: the one with exactly that id; with `prefix`, else the only one
 * whose id starts with it. `matches` lists the candidates when there is none or several.
 */
export function lookupExercise(
  exercises: readonly Exercise[],
  query: string,
  { prefix }: { prefix: boolean },
): { exercise: Exercise; matches: Exercise[] } | { exercise: null; matches: Exercise[] } {
  const exact = exercises.find((e) => e.meta.id === query);
  if (exact) return { exercise: exact, matches: [exact] };
  const matches = prefix ? exercises.filter((e) => e.meta.id.startsWith(query)) : [];
  return matches.length === 1 ? { exercise: matches[0] as Exercise, matches } : { exercise: null, matches };
}
