/**
 * A run's staging folder on the host: `$TMPDIR/perflab-runs-<uid>/run-<pid>-…`, made empty at
 * launch (bind-mounted into the sandbox), filled at dispatch (bind mounts show later writes),
 * removed after the run. The first run of a process sweeps folders whose process is gone.
 * README.md › "The staging folder cannot be prepared or swapped" says what this promises.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import {
  chmodSync,
  closeSync,
  constants as fsConstants,
  existsSync,
  fchmodSync,
  fstatSync,
  ftruncateSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join, posix } from 'node:path';
import type { JobFile } from './types.js';

/** Host paths of one run's staging folder. */
export interface StagedRun {
  runId: string;
  dir: string;
  inputDir: string;
  jobFile: string;
  ipcDir: string;
  socketPath: string;
  /**
   * Identities (device and inode) of what createStaging made: dispatch writes only into these,
   * so a folder or file swapped in by path after launch is refused instead of written through.
   */
  made: { dev: number; dirIno: number; inputIno: number; jobFileIno: number };
}

export class JobFileError extends Error {
  override name = 'JobFileError';
}

/** The staging folder is not what perflab made (tampered with), or cannot be made safely. */
export class StagingError extends Error {
  override name = 'StagingError';
}

/**
 * Checks every path of a job before anything is written or started: each must name a file
 * inside the work dir, once, and no file may also be needed as a folder. Returns the paths
 * normalised, in the order given. Throws JobFileError naming the offending path.
 */
export function checkJobFiles(files: readonly JobFile[]): string[] {
  const normalisedPaths: string[] = [];
  const filesByPath = new Map<string, string>();
  const folders = new Map<string, string>();
  for (const { path } of files) {
    const shown = JSON.stringify(path);
    if (path.length === 0 || path.includes('\0') || posix.isAbsolute(path)) {
      throw new JobFileError(`job file path ${shown} must be relative and stay inside the work dir`);
    }
    const normalised = posix.normalize(path);
    if (normalised === '..' || normalised.startsWith('../')) {
      throw new JobFileError(`job file path ${shown} must be relative and stay inside the work dir`);
    }
    if (normalised === '.' || normalised.endsWith('/')) {
      throw new JobFileError(`job file path ${shown} names a folder, not a file`);
    }
    if (filesByPath.has(normalised)) {
      throw new JobFileError(`job file path ${shown} is given twice`);
    }
    const holder = folders.get(normalised);
    if (holder !== undefined) {
      throw new JobFileError(
        `job file path ${shown} is also a folder of the job (it holds ${JSON.stringify(holder)})`,
      );
    }
    const parts = normalised.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      const clash = filesByPath.get(folder);
      if (clash !== undefined) {
        throw new JobFileError(
          `job file path ${shown} needs ${JSON.stringify(clash)} to be a folder, but it is a file of the job`,
        );
      }
      if (!folders.has(folder)) folders.set(folder, path);
    }
    filesByPath.set(normalised, path);
    normalisedPaths.push(normalised);
  }
  return normalisedPaths;
}

/** Why `path` is not a private folder of ours, or null when it is. Never follows a link. */
function privateFolderProblem(path: string): string | null {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return 'it is a symbolic link';
  if (!stat.isDirectory()) return 'it is not a folder';
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) return `it belongs to uid ${stat.uid}, not ${uid}`;
  if ((stat.mode & 0o777) !== 0o700) return `its mode is ${(stat.mode & 0o777).toString(8)}, not 700`;
  return null;
}

/** Per temp folder: the base this process stages in, once verified (or its private fallback). */
const stagingBases = new Map<string, { base: string; fallback: boolean }>();

/**
 * The folder all of this user's runs are staged in: `$TMPDIR/perflab-runs-<uid>`, so that a
 * later process can sweep the orphans of a killed one. Anyone who can write into $TMPDIR can
 * create that name first, though (a 0777 folder, or a link): a base that is not a private
 * folder of ours (lstat: a real directory, our uid, mode exactly 0700) is never used; this
 * process stages in a fresh mkdtemp folder instead and says so once. Checked on every run:
 * it is one lstat.
 */
function stagingBase(): string {
  const parent = tmpdir();
  // A TMPDIR that does not exist yet is made private, as `mkdir -p` of the base used to.
  if (!existsSync(parent)) mkdirSync(parent, { recursive: true, mode: 0o700 });
  const parentStat = statSync(parent);
  if ((parentStat.mode & 0o002) !== 0 && (parentStat.mode & 0o1000) === 0) {
    // Anyone could rename our base away and put theirs in its place between two runs.
    throw new StagingError(
      `the temporary folder ${parent} is writable by everyone without the sticky bit; ` +
        'set TMPDIR to a folder only you can write (or chmod +t it)',
    );
  }
  const known = stagingBases.get(parent);
  if (known && privateFolderProblem(known.base) === null) return known.base;
  if (known?.fallback) throw new StagingError(`the private staging folder ${known.base} was tampered with`);
  const preferred = join(parent, `perflab-runs-${process.getuid?.() ?? 'user'}`);
  try {
    mkdirSync(preferred, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const problem = privateFolderProblem(preferred);
  if (problem === null) {
    stagingBases.set(parent, { base: preferred, fallback: false });
    if (!sweptStagingBases.has(preferred)) {
      sweptStagingBases.add(preferred);
      sweepOrphanedStaging(preferred);
    }
    return preferred;
  }
  // mkdtemp makes a new folder with mode 0700 that nobody else can have prepared.
  const fallback = mkdtempSync(join(parent, `perflab-runs-${process.getuid?.() ?? 'user'}-`));
  process.once('exit', () => rmSync(fallback, { recursive: true, force: true }));
  process.stderr.write(
    `perflab: not staging runs in ${preferred} (${problem}; someone else may have made it); ` +
      `using ${fallback} instead. Remove ${preferred} to silence this.\n`,
  );
  stagingBases.set(parent, { base: fallback, fallback: true });
  return fallback;
}

/**
 * An empty staging folder. Its skeleton is made with synchronous calls on purpose: they are a
 * few metadata operations that never wait for a disk (no fsync), where fs.promises would add a
 * thread-pool round trip each — CPU taken from the runs when every core is busy. The same holds
 * for filling it and for removing it after the run.
 */
export function createStaging(): StagedRun {
  const base = stagingBase();
  // The owner's pid in the name lets a later process tell an orphan from a live run.
  const dir = mkdtempSync(join(base, `run-${process.pid}-`));
  const runId = randomBytes(6).toString('hex');
  const inputDir = join(dir, 'input');
  const ipcDir = join(dir, 'ipc');
  // mkdir never follows a link at the last component; the run folder is new and private.
  mkdirSync(inputDir, { mode: 0o755 });
  mkdirSync(ipcDir, { mode: 0o755 });
  // Staged files must be readable by the sandbox's unprivileged uid.
  chmodSync(dir, 0o755);
  chmodSync(inputDir, 0o755);
  chmodSync(ipcDir, 0o755);
  const jobFile = join(dir, 'job.json');
  const fd = openSync(jobFile, NEW_FILE_FLAGS, 0o644);
  let jobFileIno: number;
  try {
    fchmodSync(fd, 0o644);
    jobFileIno = fstatSync(fd).ino;
  } finally {
    closeSync(fd);
  }
  const dirStat = lstatSync(dir);
  const made = { dev: dirStat.dev, dirIno: dirStat.ino, inputIno: lstatSync(inputDir).ino, jobFileIno };
  return { runId, dir, inputDir, jobFile, ipcDir, socketPath: join(ipcDir, 'diag.sock'), made };
}

/** Creates a file that must not exist yet; never follows a link planted at its name. */
const NEW_FILE_FLAGS =
  fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW;

const sweptStagingBases = new Set<string>();
/** Folders without an owner pid (older versions) count as orphans after this long. */
const UNOWNED_STAGING_MAX_AGE_MS = 24 * 3600 * 1000;

/**
 * Removes staging folders whose process is gone. A process killed mid-run (SIGKILL, a crash,
 * a test runner stopping its workers) cannot clean up after itself; the next one does, once.
 */
export function sweepOrphanedStaging(base: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return 0;
  }
  for (const name of names) {
    const owner = /^run-(\d+)-/.exec(name)?.[1];
    const path = join(base, name);
    try {
      const orphaned =
        owner !== undefined
          ? Number(owner) !== process.pid && !processExists(Number(owner))
          : name.startsWith('run-') && Date.now() - statSync(path).mtimeMs > UNOWNED_STAGING_MAX_AGE_MS;
      if (orphaned) {
        rmSync(path, { recursive: true, force: true });
        removed += 1;
      }
    } catch {
      // Another process is sweeping too, or the folder is not ours to remove: leave it.
    }
  }
  return removed;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function removeStaging(staged: StagedRun): void {
  // rm never follows links inside the folder: it unlinks them.
  rmSync(staged.dir, { recursive: true, force: true });
}

/** Throws unless `path` is still the folder createStaging made (same inode, not a link). */
function expectMadeFolder(path: string, ino: number, dev: number): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    throw new StagingError(`the staging folder ${path} is gone (${(error as Error).message})`);
  }
  if (stat.isSymbolicLink() || !stat.isDirectory() || stat.ino !== ino || stat.dev !== dev) {
    throw new StagingError(`the staging folder ${path} was replaced after launch; refusing to write into it`);
  }
}

/**
 * Writes the job's files and its job.json into the folder made at launch. Only into what
 * createStaging made: the run folder and input folder are checked by inode, every folder
 * below input is made here (mkdir never follows a link), every file is created new with
 * O_EXCL|O_NOFOLLOW, and job.json is opened with O_NOFOLLOW and checked to be the inode made
 * at launch before it is truncated — so a link or file planted by path is refused, never
 * written through. Synchronous: a few metadata calls and page-cache copies (see createStaging).
 */
export function fillStaging(staged: StagedRun, files: JobFile[], jobJson: string): void {
  const paths = checkJobFiles(files);
  const { made } = staged;
  expectMadeFolder(staged.dir, made.dirIno, made.dev);
  expectMadeFolder(staged.inputDir, made.inputIno, made.dev);
  const madeFolders = new Set<string>();
  files.forEach((file, index) => {
    const relative = paths[index] as string;
    const parts = relative.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (madeFolders.has(folder)) continue;
      const target = join(staged.inputDir, folder);
      try {
        mkdirSync(target, { mode: 0o755 });
        chmodSync(target, 0o755);
      } catch (error) {
        throw new JobFileError(
          `cannot create folder ${JSON.stringify(folder)} of the job: ${(error as Error).message}`,
        );
      }
      madeFolders.add(folder);
    }
    let fd: number;
    try {
      fd = openSync(join(staged.inputDir, relative), NEW_FILE_FLAGS, 0o644);
    } catch (error) {
      throw new JobFileError(
        `cannot write job file ${JSON.stringify(file.path)}: ${(error as Error).message}`,
      );
    }
    try {
      fchmodSync(fd, 0o644);
      writeAll(fd, typeof file.content === 'string' ? Buffer.from(file.content) : file.content);
    } finally {
      closeSync(fd);
    }
  });
  // Written in place: the file is bind-mounted by inode, so replacing it would not show inside.
  let fd: number;
  try {
    fd = openSync(staged.jobFile, fsConstants.O_WRONLY | fsConstants.O_NOFOLLOW);
  } catch (error) {
    throw new StagingError(
      `the staging folder's job.json cannot be opened safely: ${(error as Error).message}`,
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.ino !== made.jobFileIno || stat.dev !== made.dev) {
      throw new StagingError(`the staging folder's job.json was replaced after launch; refusing to write it`);
    }
    // Truncated only now that it is known to be ours: O_TRUNC at open would already have
    // emptied whatever file had been linked in.
    ftruncateSync(fd, 0);
    writeAll(fd, Buffer.from(jobJson));
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}
