/**
 * The workbench's files: the script (main.py) and uploads next to it, with the server's limits
 * checked before anything is read, and an argument line split like a shell does. Pure except
 * `readUploads`, which reads the chosen files.
 */
import type { WorkbenchFile } from '../../api/types';
import { formatBytes } from '../../lib/format';

export const MAIN = 'main.py';
export const MAX_FILE_BYTES = 1024 * 1024;
const MAX_TOTAL_BYTES = 5 * 1024 * 1024;
/** The server takes 50 files; one is main.py. */
const MAX_FILES = 49;

export interface Upload {
  path: string;
  /** Text, or base64 for binary files. */
  content: string;
  base64: boolean;
  sizeBytes: number;
}

/** Splits an argument line like a shell does for quotes: a "b c" 'd e' → [a, b c, d e]. */
export function splitArgs(line: string): string[] {
  const args: string[] = [];
  const pattern = /"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
    args.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? match[3] ?? ''));
  }
  return args;
}

/** UTF-8 without NUL bytes is shown in the editor; anything else is sent as base64. */
export function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

/**
 * Why a file cannot join the upload (null: it can), given how many files and bytes are
 * already there.
 */
export function refusal(
  file: { name: string; size: number },
  already: { count: number; totalBytes: number },
): string | null {
  const path = file.name;
  if (path === MAIN)
    return `${path}: the script in the editor is main.py; rename the file to upload it alongside.`;
  if (file.size > MAX_FILE_BYTES)
    return `${path} is ${formatBytes(file.size)}; files are limited to ${formatBytes(MAX_FILE_BYTES)}.`;
  if (already.totalBytes + file.size > MAX_TOTAL_BYTES)
    return `${path} would take the upload over ${formatBytes(MAX_TOTAL_BYTES)} in all.`;
  if (already.count >= MAX_FILES) return `${path}: at most ${MAX_FILES} files can be uploaded.`;
  return null;
}

/** Reads the chosen files that fit next to `existing`; the others are named in `errors`. */
export async function readUploads(
  chosen: readonly File[],
  existing: readonly Upload[],
): Promise<{ added: Upload[]; errors: string[] }> {
  const errors: string[] = [];
  const added: Upload[] = [];
  let totalBytes = existing.reduce((sum, u) => sum + u.sizeBytes, 0);
  for (const file of chosen) {
    const why = refusal(file, { count: existing.length + added.length, totalBytes });
    if (why) {
      errors.push(why);
      continue;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const text = isText(bytes);
    added.push({
      path: file.name,
      content: text ? new TextDecoder().decode(bytes) : toBase64(bytes),
      base64: !text,
      sizeBytes: file.size,
    });
    totalBytes += file.size;
  }
  return { added, errors };
}

/** What a workbench job sends: main.py, then every upload. */
export function jobFiles(script: string, uploads: readonly Upload[]): WorkbenchFile[] {
  return [
    { path: MAIN, content: script },
    ...uploads.map((u) => ({ path: u.path, content: u.content, base64: u.base64 })),
  ];
}

/** The timeit candidates: one a line, blank lines ignored. */
export const candidateList = (text: string): string[] =>
  text
    .split('\n')
    .map((c) => c.trim())
    .filter(Boolean);
