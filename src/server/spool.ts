/**
 * Where a queued web job's files wait (issue 9): on disk in the data dir, one folder per job,
 * not in memory — 20 queued 5 MB workbench jobs once grew the server by 200 MB. Two files per
 * job: `files.json` (path, byte length, binary or text, in order) and `content.bin` (the
 * contents one after another). Folders are 0700 and files 0600: the contents are learner code.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobFile } from '../sandbox/types.js';

interface SpoolEntry {
  path: string;
  bytes: number;
  binary: boolean;
}

/** Writes `files` under `spoolDir/<jobId>` and returns that folder. */
export async function writeSpool(spoolDir: string, jobId: string, files: JobFile[]): Promise<string> {
  await mkdir(spoolDir, { recursive: true, mode: 0o700 });
  const dir = join(spoolDir, jobId);
  // Not recursive: the folder must be new (job ids are unique), never one made by someone else.
  await mkdir(dir, { mode: 0o700 });
  const buffers = files.map((f) => (typeof f.content === 'string' ? Buffer.from(f.content) : f.content));
  const entries: SpoolEntry[] = files.map((f, i) => ({
    path: f.path,
    bytes: buffers[i]?.length ?? 0,
    binary: typeof f.content !== 'string',
  }));
  await writeFile(join(dir, 'content.bin'), Buffer.concat(buffers), { mode: 0o600, flag: 'wx' });
  await writeFile(join(dir, 'files.json'), JSON.stringify(entries), { mode: 0o600, flag: 'wx' });
  return dir;
}

/** The files written by `writeSpool`, as they were given (text stays text). */
export async function readSpool(dir: string): Promise<JobFile[]> {
  const entries = JSON.parse(await readFile(join(dir, 'files.json'), 'utf8')) as SpoolEntry[];
  const content = await readFile(join(dir, 'content.bin'));
  const files: JobFile[] = [];
  let offset = 0;
  for (const entry of entries) {
    const bytes = content.subarray(offset, offset + entry.bytes);
    offset += entry.bytes;
    files.push({ path: entry.path, content: entry.binary ? Buffer.from(bytes) : bytes.toString('utf8') });
  }
  return files;
}

export async function removeSpool(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
