/**
 * Checks a script before anything is started, so a wrong path or a binary file gets one
 * clear sentence instead of a Python traceback from inside the sandbox.
 */
import { readFile, stat } from 'node:fs/promises';
import { UsageError } from './errors.js';

const CODING_COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

export async function checkScript(path: string): Promise<void> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new UsageError(`${path}: no such file`);
    if (error.code === 'EACCES') throw new UsageError(`${path}: permission denied`);
    throw new UsageError(`${path}: ${error.message}`);
  });
  if (info.isDirectory())
    throw new UsageError(`${path} is a directory; give the Python file to run, e.g. ${path}/main.py`);
  if (!info.isFile()) throw new UsageError(`${path} is not a regular file`);
  const bytes = await readFile(path);
  if (bytes.length === 0) throw new UsageError(`${path} is empty: there is nothing to run`);
  if (bytes.subarray(0, 8192).includes(0)) {
    throw new UsageError(`${path} looks like a binary file (it contains NUL bytes), not Python source`);
  }
  const firstTwoLines = bytes.subarray(0, 400).toString('latin1').split('\n').slice(0, 2);
  const declared = firstTwoLines.map((line) => CODING_COOKIE.exec(line)?.[1]).find(Boolean);
  if (declared && !/^utf-?8/i.test(declared)) return;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    throw new UsageError(
      `${path} is not valid UTF-8 (first bad byte 0x${bad.byte.toString(16).padStart(2, '0')} on line ${bad.line}); ` +
        'save it as UTF-8, or declare its encoding in a comment like `# -*- coding: latin-1 -*-` on line 1',
    );
  }
}

function firstInvalidUtf8(bytes: Uint8Array): { byte: number; line: number } {
  // Streaming decode treats a sequence cut at the end as incomplete, not invalid, so
  // "this prefix fails" is monotonic and a binary search finds the first bad byte.
  const fails = (length: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
      return false;
    } catch {
      return true;
    }
  };
  let low = 1;
  let high = bytes.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (fails(mid)) high = mid;
    else low = mid + 1;
  }
  const offset = low - 1;
  const line = bytes.subarray(0, offset).filter((b) => b === 10).length + 1;
  return { byte: bytes[offset] ?? 0, line };
}
