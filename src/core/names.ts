import type { ProfiledFunction } from './documents.js';

/**
 * cProfile names built-ins in a form that hides the familiar spelling:
 * `<method 'count' of 'str' objects>` is `str.count`, `<built-in method builtins.len>` is `len`.
 */
export function displayName(fn: Pick<ProfiledFunction, 'name' | 'origin'>): string {
  const method = /^<method '([^']+)' of '([^']+)' objects>$/.exec(fn.name);
  if (method) return `${method[2]}.${method[1]}`;
  const builtin = /^<built-in method (?:builtins\.)?([\w.]+)>$/.exec(fn.name);
  if (builtin) return builtin[1] as string;
  const fnObject = /^<function ([\w.]+) at 0x[0-9a-f]+>$/.exec(fn.name);
  if (fnObject) return fnObject[1] as string;
  return fn.name;
}

/** Library paths shortened to what a reader recognises: `random.py`, `numpy/core/numeric.py`. */
export function shortPath(file: string): string {
  const packaged = /\/(?:site|dist)-packages\/(.+)$/.exec(file);
  if (packaged) return packaged[1] as string;
  const stdlib = /\/lib\/python3\.\d+\/(.+)$/.exec(file);
  return stdlib ? (stdlib[1] as string) : file;
}

/** `file:line` for code with a location; empty for built-ins. */
export function location(fn: Pick<ProfiledFunction, 'file' | 'line' | 'origin'>): string {
  if (fn.origin === 'builtin' || fn.file === '~' || fn.file === '') return '';
  return `${shortPath(fn.file)}:${fn.line}`;
}
