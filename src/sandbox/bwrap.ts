/**
 * The isolated backend: bubblewrap. Each run gets fresh namespaces (mount, PID, network,
 * IPC, UTS, and user when not root), a read-only view of only the system directories and
 * the interpreter, private size-limited tmpfs for /work, /tmp and /dev/shm, a scratch
 * environment, no inherited descriptors, and a seccomp filter (seccomp.ts: no new
 * namespaces, mounts, ptrace or other kernel surface Python never needs). When started as
 * root the harness drops to a random unprivileged uid before learner code runs, so per-user
 * rlimits apply and no file of the host is writable by ownership.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import type { PythonRuntime } from '../core/runtime.js';
import { executeRun } from './execute.js';
import type { ExecuteOptions, LaunchPlan } from './launch.js';
import { LAUNCH_INPUT_FD } from './pipes.js';
import type { StagedRun } from './staging.js';
import { seccompFilter } from './seccomp.js';
import type { SandboxOutcome, SandboxRunSpec } from './types.js';
import type { LaunchableSandbox } from './pool.js';
import { harnessEnvironment } from './environment.js';

const SANDBOX_VENV = '/perflab/venv';
/** System files a Python program may need; everything else under /etc stays invisible. */
const ETC_FILES = [
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/localtime',
  '/etc/nsswitch.conf',
];
/**
 * Unprivileged uids for root-started sandboxes; random per run so concurrent runs never share
 * a process count. Each run owns a block of UIDS_PER_RUN uids (the grader runs learner, starter
 * and reference workers as uid, uid + 1 and uid + 2), so blocks are aligned: two runs get either
 * the same block or disjoint ones, never overlapping ones.
 */
const SANDBOX_UID_RANGE = [200_000, 260_000] as const;
const UIDS_PER_RUN = 3;

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** True when bubblewrap exists and can create the namespaces we need on this machine. */
export function bwrapWorks(): { ok: boolean; reason: string } {
  const userArgs = isRoot() ? [] : ['--unshare-user'];
  const probe = spawnSync(
    'bwrap',
    [
      ...userArgs,
      '--ro-bind',
      '/',
      '/',
      '--unshare-pid',
      '--unshare-net',
      '--unshare-ipc',
      '--proc',
      '/proc',
      'true',
    ],
    { encoding: 'utf8', timeout: 5000 },
  );
  if (probe.error) return { ok: false, reason: `bwrap is not installed (${probe.error.message})` };
  if (probe.status !== 0)
    return { ok: false, reason: `bwrap cannot create namespaces here: ${probe.stderr.trim()}` };
  return { ok: true, reason: 'bubblewrap works' };
}

function systemMounts(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const top of ['/bin', '/sbin', '/lib', '/lib32', '/lib64']) {
    if (!existsSync(top)) continue;
    const stat = lstatSync(top);
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(top), top);
    else args.push('--ro-bind', top, top);
  }
  for (const file of ETC_FILES) if (existsSync(file)) args.push('--ro-bind', file, file);
  return args;
}

/**
 * bwrap creates missing parents of a mount point with mode 0700, which would hide the
 * interpreter from the unprivileged uid; create them world-traversable first.
 */
function traversableParents(paths: string[]): string[] {
  const dirs = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) dirs.add(`/${parts.slice(0, i).join('/')}`);
  }
  return [...dirs]
    .filter((dir) => dir !== '/usr' && !dir.startsWith('/usr/'))
    .sort((a, b) => a.length - b.length)
    .flatMap((dir) => ['--perms', '0755', '--dir', dir]);
}

function buildBwrapArgs(runtime: PythonRuntime, staged: StagedRun, scratchMb: number): string[] {
  const scratchBytes = String(scratchMb * 1024 * 1024);
  const namespaceArgs = [
    '--unshare-ipc',
    '--unshare-pid',
    '--unshare-net',
    '--unshare-uts',
    '--unshare-cgroup-try',
  ];
  const privilegeArgs = isRoot()
    ? ['--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID']
    : ['--unshare-user'];
  return [
    ...namespaceArgs,
    ...privilegeArgs,
    '--die-with-parent',
    '--new-session',
    '--hostname',
    'perflab',
    ...systemMounts(),
    ...traversableParents([runtime.basePrefix, `${SANDBOX_VENV}/x`]),
    '--ro-bind',
    runtime.basePrefix,
    runtime.basePrefix,
    '--ro-bind',
    runtime.venvDir,
    SANDBOX_VENV,
    '--ro-bind',
    runtime.harnessDir,
    '/perflab/harness',
    '--ro-bind',
    staged.inputDir,
    '/perflab/input',
    '--ro-bind',
    staged.jobFile,
    '/perflab/job.json',
    '--ro-bind',
    staged.ipcDir,
    '/perflab/ipc',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--perms',
    '1777',
    '--size',
    scratchBytes,
    '--tmpfs',
    '/dev/shm',
    '--perms',
    '1777',
    '--size',
    scratchBytes,
    '--tmpfs',
    '/tmp',
    '--perms',
    '0777',
    '--size',
    scratchBytes,
    '--tmpfs',
    '/work',
    '--chdir',
    '/work',
    '--clearenv',
  ];
}

export interface BwrapSandboxOptions {
  runtime: PythonRuntime;
  /** The seccomp filter of seccomp.ts (default on); off only to measure what it costs. */
  seccomp?: boolean;
}

export class BwrapSandbox implements LaunchableSandbox {
  readonly name = 'bubblewrap';
  readonly isolated = true;
  constructor(private readonly options: BwrapSandboxOptions) {}

  run(spec: SandboxRunSpec): Promise<SandboxOutcome> {
    return executeRun(spec, this.executeOptions());
  }

  executeOptions(): ExecuteOptions {
    const root = isRoot();
    const uid =
      SANDBOX_UID_RANGE[0] +
      UIDS_PER_RUN * randomInt(0, Math.floor((SANDBOX_UID_RANGE[1] - SANDBOX_UID_RANGE[0]) / UIDS_PER_RUN));
    return {
      backendName: this.name,
      isolated: true,
      useCgroups: root,
      dropPrivileges: root ? { uid, gid: uid } : null,
      launcherPython: join(this.options.runtime.venvDir, 'bin', 'python'),
      plan: (staged, launch): LaunchPlan => {
        const env = harnessEnvironment({
          venvBin: `${SANDBOX_VENV}/bin`,
          workDir: '/work',
          harnessDir: '/perflab/harness',
          socketPath: '/perflab/ipc/diag.sock',
          extra: launch.env,
        });
        const envArgs = Object.entries(env).flatMap(([key, value]) => ['--setenv', key, value]);
        // bwrap reads the filter from this descriptor, closes it, and applies it (with
        // no_new_privs) to everything it starts: learner code never holds the descriptor.
        const seccomp = this.options.seccomp !== false;
        return {
          command: 'bwrap',
          args: [
            ...buildBwrapArgs(this.options.runtime, staged, launch.scratchMb),
            ...(seccomp ? ['--seccomp', String(LAUNCH_INPUT_FD)] : []),
            ...envArgs,
            `${SANDBOX_VENV}/bin/python`,
            '-m',
            'perflab_harness',
          ],
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
          // perflab-harness: the harness's supervisor, which runs no learner code (harness-protocol.md).
          infrastructureCommands: ['bwrap', 'perflab-harness'],
          launchInput: seccomp ? seccompFilter() : undefined,
        };
      },
    };
  }
}
