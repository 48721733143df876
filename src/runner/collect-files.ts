/**
 * Gathers the files a script needs in the sandbox: the script and, beside it, the modules
 * and data it may open — within bounds, never following links, skipping environments and
 * caches. A script in a huge folder still runs, with only itself copied, and a warning.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { JobFile } from '../sandbox/types.js';

const SKIPPED_DIRS = new Set([
  'node_modules',
  '__pycache__',
  '.venv',
  'venv',
  '.git',
  '.tox',
  '.mypy_cache',
  'dist',
  'build',
]);
const MAX_DEPTH = 3;
const MAX_FILES = 400;
const MAX_FILE_BYTES = 16 * 1024 * 1024;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

export interface CollectedFiles {
  files: JobFile[];
  entry: string;
  warnings: string[];
}

export async function collectScriptFiles(scriptPath: string): Promise<CollectedFiles> {
  const root = dirname(scriptPath);
  const entry = basename(scriptPath);
  const warnings: string[] = [];
  const files: JobFile[] = [{ path: entry, content: await readFile(scriptPath) }];
  let totalBytes = files[0]?.content.length ?? 0;
  let overflow = false;

  const walk = async (dir: string, depth: number): Promise<void> => {
    if (overflow || depth > MAX_DEPTH) return;
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (overflow) return;
      if (name.startsWith('.') || SKIPPED_DIRS.has(name)) continue;
      const full = join(dir, name);
      const rel = relative(root, full);
      if (rel === entry) continue;
      const stat = await lstat(full).catch(() => null);
      if (!stat || stat.isSymbolicLink()) continue;
      if (stat.isDirectory()) {
        await walk(full, depth + 1);
      } else if (stat.isFile()) {
        if (stat.size > MAX_FILE_BYTES) {
          warnings.push(`skipped ${rel}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
          continue;
        }
        if (files.length >= MAX_FILES || totalBytes + stat.size > MAX_TOTAL_BYTES) {
          overflow = true;
          return;
        }
        files.push({ path: rel, content: await readFile(full) });
        totalBytes += stat.size;
      }
    }
  };
  await walk(root, 1);
  if (overflow) {
    warnings.push(
      `the folder of ${entry} holds more than ${MAX_FILES} files or ${MAX_TOTAL_BYTES / 1024 / 1024} MB; only ${entry} was copied into the sandbox`,
    );
    return { files: files.slice(0, 1), entry, warnings };
  }
  return { files, entry, warnings };
}
