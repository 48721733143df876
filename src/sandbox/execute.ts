/**
 * What every backend shares: staging a run's files, starting the harness, streaming and
 * capping output, enforcing limits by sampling the process tree, the stacks-before-kill
 * timeout diagnosis, killing everything, and cleaning up. A backend only says how to
 * launch (`LaunchPlan`).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, tmpdir } from 'node:os';
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
import { readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { RunCgroup } from './cgroups.js';
import { DiagServer } from './diag-server.js';
import type { LimitName } from './limits.js';
import { killPids, listTree, snapshotTree, summarise } from './process-tree.js';
import type { JobFile, OutputChunk, ProcessSnapshot, SandboxOutcome, SandboxRunSpec } from './types.js';

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

export interface LaunchPlan {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Commands of the backend's own processes in the tree, which must not get SIGUSR1. */
  infrastructureCommands: string[];
  /**
   * Bytes the command reads from descriptor LAUNCH_INPUT_FD and closes before it runs anything
   * else (bwrap's `--seccomp FD`: the seccomp filter). The launcher keeps that descriptor open.
   */
  launchInput?: Buffer;
}

export interface ExecuteOptions {
  backendName: string;
  isolated: boolean;
  useCgroups: boolean;
  /** The uid/gid the harness drops to before learner code runs, when the sandbox starts as root. */
  dropPrivileges: { uid: number; gid: number } | null;
  /** The runtime's Python, for the launcher where perl is missing (see launcherCommand). */
  launcherPython: string;
  plan: (
    staged: StagedRun,
    launch: { scratchMb: number; env: Record<string, string> },
  ) => Promise<LaunchPlan> | LaunchPlan;
}

const SAMPLE_INTERVAL_MS = 50;
const MAX_RESULT_DOCUMENT_BYTES = 128 * 1024 * 1024;
/** How long Python processes get to send their stacks after SIGUSR1, before the kill. */
const STACK_DUMP_GRACE_MS = 600;
/** The sandbox's own pipes: stdin, stdout, stderr, the result document (3) and hidden material (4). */
const SANDBOX_STDIO_COUNT = 5;
/** Where a plan's `launchInput` arrives: the descriptor after the sandbox's own pipes. */
export const LAUNCH_INPUT_FD = SANDBOX_STDIO_COUNT;

/**
 * The first process of every run: joins the run's cgroups (so every descendant is counted),
 * closes every descriptor but the sandbox's own pipes, then execs the sandbox. Node hands a
 * child every descriptor its own process inherited without close-on-exec (a shell's
 * `exec 100>>file`, a server's parent's pipe), and neither bubblewrap nor the harness closes
 * them; learner code wrote into a root-owned host file through one.
 *
 * Perl where there is one (perl-base is essential on Debian and Ubuntu): it starts in ~2 ms
 * where `python -I -S` takes ~10 ms, and the launcher is on every cold run's path (README has
 * the measurements). close_range(2) is syscall 436 on every architecture (Linux ≥ 5.9); on an
 * older kernel the launcher closes what /proc/self/fd lists instead. The Python version
 * (os.closerange: close_range or the same walk) is the fallback; both are tested.
 * argv after the source: <descriptors to keep> <number of cgroup files> <cgroup files...>
 * <command> <args...>
 */
export const PERL_LAUNCHER_SOURCE = [
  'my ($keep, $count) = splice(@ARGV, 0, 2);',
  'for my $path (splice(@ARGV, 0, $count)) {',
  '  sysopen(my $file, $path, 1) or die "perflab launcher: $path: $!\\n";',
  '  defined(syswrite($file, "$$\\n")) or die "perflab launcher: $path: $!\\n";',
  '  close($file);',
  '}',
  // syscall passes a string as a pointer: $keep must be made a number first.
  'if (syscall(436, $keep + 0, 0xffffffff, 0) != 0) {',
  '  opendir(my $dir, "/proc/self/fd") or die "perflab launcher: /proc/self/fd: $!\\n";',
  '  my @open = grep { /^\\d+$/ && $_ >= $keep } readdir($dir);',
  '  closedir($dir);',
  '  require POSIX;',
  '  POSIX::close($_) for @open;',
  '}',
  'exec { $ARGV[0] } @ARGV or die "perflab launcher: $ARGV[0]: $!\\n";',
].join('\n');

export const PYTHON_LAUNCHER_SOURCE = [
  'import os, sys',
  'keep, count = int(sys.argv[1]), int(sys.argv[2])',
  'for path in sys.argv[3 : 3 + count]:',
  '    fd = os.open(path, os.O_WRONLY)',
  '    os.write(fd, b"%d\\n" % os.getpid())',
  '    os.close(fd)',
  'os.closerange(keep, 2**31 - 1)',
  'os.execvp(sys.argv[3 + count], sys.argv[3 + count :])',
].join('\n');

const PERL_PATHS = ['/usr/bin/perl', '/bin/perl'];
let perlPath: string | null | undefined;

/**
 * The launcher's command and the arguments before its own: perl when installed, else the
 * runtime's Python with `-I -S` (no environment, no site packages).
 */
export function launcherCommand(
  python: string,
  kind: 'auto' | 'perl' | 'python' = 'auto',
): { command: string; args: string[] } {
  if (kind !== 'python') {
    perlPath ??= PERL_PATHS.find((path) => existsSync(path)) ?? null;
    if (perlPath) return { command: perlPath, args: ['-e', PERL_LAUNCHER_SOURCE] };
    if (kind === 'perl') throw new Error('perl is not installed');
  }
  return { command: python, args: ['-I', '-S', '-c', PYTHON_LAUNCHER_SOURCE] };
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

export function stageRun(files: JobFile[], jobJson: string): StagedRun {
  checkJobFiles(files);
  const staged = createStaging();
  try {
    fillStaging(staged, files, jobJson);
  } catch (error) {
    removeStaging(staged);
    throw error;
  }
  return staged;
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
export function stagingBase(): string {
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

/** An empty staging folder: bind-mounted at launch, filled at dispatch (bind mounts show later writes). */
/**
 * The staging folder's skeleton is made with synchronous calls on purpose: they are a few
 * metadata operations that never wait for a disk (no fsync), and cost ~0.25 ms of CPU in all
 * where fs.promises costs ~0.9 ms (thread-pool round trips) — CPU taken from the runs when
 * every core is busy. The same holds for removing the folder after the run.
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

function removeStaging(staged: StagedRun): void {
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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A started sandbox whose harness waits (env PERFLAB_WAIT_FOR_GO) for the job: launched
 * ahead of time by the warm pool, or just before dispatch for a cold run.
 */
export interface LaunchedSandbox {
  options: ExecuteOptions;
  staged: StagedRun;
  diag: DiagServer;
  cgroup: RunCgroup | null;
  plan: LaunchPlan;
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Output and result bytes that arrive before dispatch are buffered here. */
  early: { stdout: Buffer[]; stderr: Buffer[]; result: Buffer[] };
  scratchMb: number;
  extraEnv: Record<string, string>;
  /** Kills the sandbox and removes everything of it (an unused pooled sandbox). */
  discard(): Promise<void>;
}

export async function launchSandbox(
  options: ExecuteOptions,
  scratchMb: number,
  extraEnv: Record<string, string> = {},
): Promise<LaunchedSandbox> {
  const staged = createStaging();
  const diag = DiagServer.create(staged.socketPath);
  let cgroup: RunCgroup | null = null;
  let plan: LaunchPlan;
  try {
    cgroup = options.useCgroups ? await RunCgroup.create(staged.runId) : null;
    plan = await options.plan(staged, { scratchMb, env: { ...extraEnv, PERFLAB_WAIT_FOR_GO: '1' } });
  } catch (error) {
    await cgroup?.remove();
    removeStaging(staged);
    throw error;
  }
  // Every run starts through the launcher: it joins the run's groups before exec'ing the
  // sandbox (so every descendant is accounted for) and closes every descriptor but the pipes.
  const procsFiles = cgroup ? cgroup.procsFiles() : [];
  // One more pipe when the plan hands the command launch input (fd LAUNCH_INPUT_FD).
  const descriptors = SANDBOX_STDIO_COUNT + (plan.launchInput ? 1 : 0);
  const launcher = launcherCommand(options.launcherPython);
  const child = spawn(
    launcher.command,
    [
      ...launcher.args,
      String(descriptors),
      String(procsFiles.length),
      ...procsFiles,
      plan.command,
      ...plan.args,
    ],
    {
      env: plan.env,
      stdio: Array.from({ length: descriptors }, () => 'pipe'),
      detached: true,
    },
  ) as unknown as ChildProcessByStdio<Writable, Readable, Readable>;
  if (plan.launchInput) {
    const input = (child.stdio as unknown as Writable[])[LAUNCH_INPUT_FD];
    input?.on('error', () => undefined);
    input?.end(plan.launchInput);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  const early = { stdout: [] as Buffer[], stderr: [] as Buffer[], result: [] as Buffer[] };
  const buffer = (into: Buffer[]) => (chunk: Buffer) => into.push(chunk);
  child.stdout.on('data', buffer(early.stdout));
  child.stderr.on('data', buffer(early.stderr));
  (child.stdio[3] as Readable).on('data', buffer(early.result));
  for (const stream of [child.stdin, child.stdio[3], child.stdio[4]] as (Readable | Writable)[])
    stream.on('error', () => undefined);
  let discarded: Promise<void> | null = null;
  const launched: LaunchedSandbox = {
    options,
    staged,
    diag,
    cgroup,
    plan,
    child,
    exited,
    early,
    scratchMb,
    extraEnv,
    discard: () => {
      discarded ??= (async () => {
        if (child.pid) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
        await exited;
        if (cgroup) {
          killPids(await cgroup.pids());
          await cgroup.remove();
        }
        await diag.close();
        removeStaging(staged);
      })();
      return discarded;
    },
  };
  return launched;
}

const pendingCleanups = new Set<Promise<unknown>>();

function trackCleanup(cleanup: Promise<unknown>): void {
  const tracked = cleanup.catch(() => undefined).finally(() => pendingCleanups.delete(tracked));
  pendingCleanups.add(tracked);
}

/** Longest wait for cleanups at shutdown; each step is bounded, this bounds them all. */
const SETTLE_LIMIT_MS = 15_000;

/**
 * Resolves when every finished run's staging folder, socket and cgroup are gone — or after
 * SETTLE_LIMIT_MS, so that a cleanup stuck in the kernel never keeps perflab from exiting.
 */
export async function settleCleanups(): Promise<void> {
  const deadline = performance.now() + SETTLE_LIMIT_MS;
  while (pendingCleanups.size > 0 && performance.now() < deadline) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...pendingCleanups]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, Math.max(1, deadline - performance.now()));
      }),
    ]);
    clearTimeout(timer);
  }
}

export async function executeRun(spec: SandboxRunSpec, options: ExecuteOptions): Promise<SandboxOutcome> {
  // A job that cannot be staged fails before anything is started for it.
  checkJobFiles(spec.files);
  const launched = await launchSandbox(options, spec.limits.scratchMb, spec.env ?? {});
  return dispatchRun(launched, spec);
}

/** Gives a launched sandbox its job, watches it to the end, and cleans everything up. */
export async function dispatchRun(launched: LaunchedSandbox, spec: SandboxRunSpec): Promise<SandboxOutcome> {
  const { limits } = spec;
  const { options, staged, diag, cgroup, plan, child, exited } = launched;
  const job = { ...spec.job, dropPrivileges: options.dropPrivileges };
  try {
    fillStaging(staged, spec.files, JSON.stringify(job));
    if (cgroup) {
      await cgroup.applyLimits({ memoryBytes: limits.memoryMb * 1024 * 1024, tasks: limits.tasks });
      if (spec.cpuShares) await cgroup.weightCpu(spec.cpuShares);
    }
  } catch (error) {
    // Whatever went wrong before "go", the started sandbox (bwrap, the waiting harness, its
    // cgroup, its folder) is of no use to anyone: it goes, and the caller learns why.
    await launched.discard();
    throw error;
  }

  const output: OutputChunk[] = [];
  let outputBytes = 0;
  let outputTruncated = false;
  let limitHit: LimitName | null = null;
  let cancelled = false;
  let cpuMs = 0;
  let peakMemoryKb = 0;
  let peakTasks = 0;
  let stacksCollected = false;
  let processes: ProcessSnapshot[] = [];
  const seenPids = new Set<number>();
  const resultChunks: Buffer[] = [];
  let resultBytes = 0;

  const rootPid = child.pid;
  let finished = false;
  void exited.then(() => {
    finished = true;
  });

  const stdinPipeTarget = rootPid ? await readlink(`/proc/${rootPid}/fd/0`).catch(() => null) : null;
  const startedAt = performance.now();
  if (spec.stdin.mode === 'closed') child.stdin.end();
  else if (spec.stdin.mode === 'text') child.stdin.end(spec.stdin.text);
  // 'terminal': the pipe stays open and silent until the run ends.

  const killEverything = async () => {
    // With a PID namespace, killing the sandbox's root kills everything in it; the walk and
    // the group cover the unisolated backend, the cgroup covers anything that escaped both.
    const pids = rootPid && !cgroup ? summarise(await listTree(rootPid)).pids : [];
    if (rootPid) {
      try {
        process.kill(-rootPid, 'SIGKILL');
      } catch {
        // Group already gone.
      }
    }
    killPids([...pids, ...seenPids]);
    if (cgroup) killPids(await cgroup.pids());
  };

  const stop = (reason: LimitName | 'cancel') => {
    if (finished) return;
    if (reason === 'cancel') cancelled = true;
    else if (limitHit === null) limitHit = reason;
    void killEverything();
  };

  const onOutput = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    if (outputTruncated) return;
    const capBytes = limits.outputKb * 1024;
    let kept = chunk;
    if (outputBytes + chunk.length > capBytes) {
      kept = chunk.subarray(0, capBytes - outputBytes);
      outputTruncated = true;
      stop('output-limit');
    }
    outputBytes += kept.length;
    if (kept.length === 0) return;
    const record = { stream, tMs: performance.now() - startedAt, text: kept.toString('utf8') };
    output.push(record);
    spec.onOutput?.(record);
  };
  child.stdout.removeAllListeners('data');
  child.stderr.removeAllListeners('data');
  const resultStream = child.stdio[3] as Readable;
  resultStream.removeAllListeners('data');
  const onResult = (chunk: Buffer) => {
    resultBytes += chunk.length;
    if (resultBytes <= MAX_RESULT_DOCUMENT_BYTES) resultChunks.push(chunk);
  };
  launched.early.stdout.forEach(onOutput('stdout'));
  launched.early.stderr.forEach(onOutput('stderr'));
  launched.early.result.forEach(onResult);
  child.stdout.on('data', onOutput('stdout'));
  child.stderr.on('data', onOutput('stderr'));
  resultStream.on('data', onResult);
  // "go" releases the waiting harness; hidden material (grading) follows on the same pipe.
  (child.stdio[4] as Writable).end(`go\n${spec.hidden ?? ''}`);

  const onAbort = () => stop('cancel');
  if (spec.signal?.aborted) onAbort();
  spec.signal?.addEventListener('abort', onAbort, { once: true });

  const collectStacks = async () => {
    if (!rootPid) return;
    const tree = await listTree(rootPid);
    const infrastructure = new Set(
      tree.filter((p) => plan.infrastructureCommands.includes(p.command)).map((p) => p.pid),
    );
    const programPids = tree.filter((p) => !infrastructure.has(p.pid)).map((p) => p.pid);
    const pythonCount = tree.filter((p) => p.command.startsWith('python')).length;
    // Snapshot before signalling: the handler wakes blocked calls, which would hide where they were.
    processes = await snapshotTree(tree, stdinPipeTarget, infrastructure);
    // The socket exists only now: at any other time a program's connections fail in the kernel.
    await diag.open().catch(() => undefined);
    killPids(programPids, 'SIGUSR1');
    const deadline = performance.now() + STACK_DUMP_GRACE_MS;
    while (performance.now() < deadline && diag.dumps.length < pythonCount && !finished) await delay(20);
    await diag.stopAccepting();
    stacksCollected = true;
  };

  const wallTimer = setTimeout(() => {
    if (finished || limitHit !== null || cancelled) return;
    limitHit = 'timeout';
    void collectStacks().finally(() => void killEverything());
  }, limits.wallS * 1000);

  // One sample at a time: a big tree (a fork bomb) must not pile up overlapping samples.
  let sampling = false;
  const sample = async () => {
    if (!rootPid) return;
    if (cgroup) {
      // The kernel counts for the whole group, daemons included, without walking /proc.
      const kernel = await cgroup.usage();
      cpuMs = Math.max(cpuMs, kernel.cpuMs);
      peakMemoryKb = Math.max(peakMemoryKb, kernel.peakMemoryKb);
      peakTasks = Math.max(peakTasks, kernel.tasks);
      if (kernel.taskLimitHit) stop('process-limit');
      if (kernel.memoryLimitHit) stop('memory-limit');
    } else {
      const usage = summarise(await listTree(rootPid, { withPss: true }));
      usage.pids.forEach((pid) => seenPids.add(pid));
      cpuMs = Math.max(cpuMs, usage.cpuMs);
      peakMemoryKb = Math.max(peakMemoryKb, usage.rssKb);
      peakTasks = Math.max(peakTasks, usage.tasks);
      if (peakMemoryKb > limits.memoryMb * 1024) stop('memory-limit');
      else if (usage.tasks >= limits.tasks) stop('process-limit');
    }
    if (limitHit === null && cpuMs > limits.cpuS * 1000) stop('cpu-limit');
  };
  const sampler = setInterval(() => {
    if (finished || sampling) return;
    sampling = true;
    void sample().finally(() => {
      sampling = false;
    });
  }, SAMPLE_INTERVAL_MS);

  const exit = await exited;
  const wallMs = performance.now() - startedAt;
  clearTimeout(wallTimer);
  clearInterval(sampler);
  spec.signal?.removeEventListener('abort', onAbort);
  const trace = process.env.PERFLAB_TRACE_PHASES
    ? (phase: string) =>
        process.stderr.write(`[perflab] ${phase} +${(performance.now() - startedAt).toFixed(1)} ms\n`)
    : () => undefined;
  trace('exited');
  // Whatever outlived the main process (daemons, background children) dies with the run.
  await killEverything();
  trace('killed');
  if (cgroup) {
    const kernel = await cgroup.usage();
    cpuMs = Math.max(cpuMs, kernel.cpuMs);
    peakMemoryKb = Math.max(peakMemoryKb, kernel.peakMemoryKb);
    if (limitHit === null && kernel.memoryLimitHit) limitHit = 'memory-limit';
    if (limitHit === null && kernel.taskLimitHit) limitHit = 'process-limit';
  }
  // Removing the cgroup waits for the kernel to reap the processes; nobody needs to wait for
  // that before seeing the result, so it finishes in the background (see settleCleanups).
  trackCleanup(
    Promise.all([cgroup?.remove(), diag.close(), Promise.resolve().then(() => removeStaging(staged))]).then(
      () => trace('cleaned up'),
    ),
  );

  let harnessDocument: unknown = null;
  let harnessDocumentError: string | null = null;
  if (resultBytes > MAX_RESULT_DOCUMENT_BYTES) {
    harnessDocumentError = `the harness document was larger than ${MAX_RESULT_DOCUMENT_BYTES} bytes`;
  } else if (resultBytes === 0) {
    harnessDocumentError =
      'no harness document arrived (the program ended the process itself, or was killed)';
  } else {
    try {
      harnessDocument = JSON.parse(Buffer.concat(resultChunks).toString('utf8'));
    } catch (error) {
      harnessDocumentError = `the harness document is not JSON: ${(error as Error).message}`;
    }
  }

  let exitCode = exit.code;
  let signal: string | null = exit.signal;
  // bwrap reports a child killed by signal N as exit status 128 + N.
  if (options.isolated && exitCode !== null && exitCode > 128 && exitCode < 160 && harnessDocument === null) {
    signal = signalName(exitCode - 128);
    exitCode = null;
  }

  return {
    backend: options.backendName,
    stagingDir: staged.dir,
    isolated: options.isolated,
    exitCode,
    signal,
    limitHit,
    cancelled,
    wallMs,
    cpuMs,
    peakMemoryKb,
    peakTasks,
    cpusAvailable: availableParallelism(),
    output,
    outputBytes,
    outputTruncated,
    harnessDocument,
    harnessDocumentError,
    stacks: stacksCollected ? diag.dumps : [],
    processes,
    diag: { ...diag.stats },
  };
}

const SIGNAL_NAMES: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  6: 'SIGABRT',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  13: 'SIGPIPE',
  15: 'SIGTERM',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
};

function signalName(number: number): string {
  return SIGNAL_NAMES[number] ?? `signal ${number}`;
}
