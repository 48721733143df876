/**
 * Reading pytest's output for a tests-of-tests check. The output is written inside the run,
 * where learner code can print anything, so only what matches facts fixed before the run
 * (the learner's own test files' names, functions and line counts) is ever shown.
 */
import type { JobFile } from '../sandbox/types.js';

/**
 * The learner's test files, as the evidence may mention them: by name, by the names of the
 * functions and classes they define, and by their line count. pytest's output is written
 * inside the run, where learner code can print anything (a hidden file's source encoded in
 * a fake test name, say), so only what matches these facts, fixed before the run, is shown.
 */
export interface OwnTests {
  files: Map<string, { lines: number; names: Set<string> }>;
}

export function ownTestsOf(files: JobFile[], testFiles: string[]): OwnTests {
  const map = new Map<string, { lines: number; names: Set<string> }>();
  for (const path of testFiles) {
    const file = files.find((f) => f.path === path);
    const source = typeof file?.content === 'string' ? file.content : '';
    const names = new Set(
      [...source.matchAll(/^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)/gm)].map((m) => m[1] as string),
    );
    map.set(path, { lines: source.split('\n').length, names });
  }
  return { files: map };
}

const SHOWN_PER_RUN = 10;

/** "test_retry.py:42: in test_x" lines of pytest's tracebacks that point into the learner's own files. */
export function ownTestLocations(output: string, own: OwnTests): string[] {
  const found = new Set<string>();
  for (const line of output.split('\n')) {
    // The location and the function only; a message after it could quote a hidden file.
    const m = /^\s*(?:\/work\/)?([\w./-]+):(\d+): in ([A-Za-z_]\w*)\s*$/.exec(line);
    const file = m && own.files.get(m[1] as string);
    if (!m || !file) continue;
    if (Number(m[2]) > file.lines || !file.names.has(m[3] as string)) continue;
    found.add(`${m[1]}:${m[2]}: in ${m[3]}`);
  }
  return [...found].slice(0, SHOWN_PER_RUN);
}

/** Names of the learner's tests that failed, from pytest's "FAILED file::[Class::]name" lines. */
export function failedTestNames(output: string, own: OwnTests): string[] {
  const names = new Set<string>();
  for (const line of output.split('\n')) {
    const m = /^FAILED ([\w./-]+)::((?:[A-Za-z_]\w*::)?([A-Za-z_]\w*))(?:\[|\s|$)/.exec(line);
    const file = m && own.files.get(m[1] as string);
    // Parametrised ids ("[0.25]") are left out: they are text the run chose.
    if (m && file?.names.has(m[3] as string)) names.add(`${m[1]}::${m[2]}`);
  }
  return [...names].slice(0, SHOWN_PER_RUN);
}
