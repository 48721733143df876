/**
 * The launcher every run starts through (launcher.ts): both versions close every descriptor
 * but the ones they are told to keep, join the given cgroup files, and exec the command with
 * the same pid. The end-to-end case (a perflab process holding fd 100) is in hostile.test.ts.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runtime } from '../test-support/sandboxes.js';
import { launcherCommand, PERL_LAUNCHER_SOURCE } from './launcher.js';
import { HIDDEN_FD, LAUNCH_INPUT_FD, RESULT_FD, SANDBOX_PIPE_COUNT } from './pipes.js';

const python = join(runtime.venvDir, 'bin', 'python');
const REPORT = `
import json, os
open_fds = []
for fd in range(3, 1024):
    try:
        os.fstat(fd)
        open_fds.append(fd)
    except OSError:
        pass
print(json.dumps({"pid": os.getpid(), "open": open_fds}))
`;

const hasPerl = existsSync('/usr/bin/perl') || existsSync('/bin/perl');
const kinds = hasPerl ? (['perl', 'python'] as const) : (['python'] as const);

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function expectLaunchKeepsOnlyPipes(launcher: { command: string; args: string[] }): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'perflab-launcher-'));
  const leak = openSync(join(dir, 'leak.txt'), 'a');
  const groupFiles = [join(dir, 'pids.procs'), join(dir, 'memory.procs')];
  for (const file of groupFiles) writeFileSync(file, '');
  try {
    // The sandbox's pipes and a launch input, and a stray descriptor at 100 as a shell's
    // `exec 100>>file` leaves it: not close-on-exec.
    const kept = LAUNCH_INPUT_FD + 1;
    const stdio: (number | 'pipe' | 'ignore')[] = Array.from({ length: 101 }, () => 'ignore');
    for (let fd = 0; fd < kept; fd++) stdio[fd] = 'pipe';
    stdio[100] = leak;
    const child = spawn(
      launcher.command,
      [...launcher.args, String(kept), String(groupFiles.length), ...groupFiles, python, '-I', '-c', REPORT],
      { stdio, env: { PATH: '/usr/bin:/bin' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as { pid: number; open: number[] };
    // Whatever else this test process inherited (a shell's fds) is gone too.
    expect(report.open).toEqual([RESULT_FD, HIDDEN_FD, LAUNCH_INPUT_FD]);
    expect(report.pid).toBe(child.pid);
    for (const file of groupFiles) expect(readFileSync(file, 'utf8')).toBe(`${child.pid}\n`);
  } finally {
    closeSync(leak);
  }
}

describe.each(kinds)('the %s launcher', (kind) => {
  it('keeps only the sandbox pipes, joins the group files, and execs in place', async () => {
    await expectLaunchKeepsOnlyPipes(launcherCommand(python, kind));
  });

  it('fails, without running the command, when it cannot join a group', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perflab-launcher-'));
    const launcher = launcherCommand(python, kind);
    const marker = join(dir, 'ran');
    const child = spawn(
      launcher.command,
      [
        ...launcher.args,
        String(SANDBOX_PIPE_COUNT),
        '1',
        join(dir, 'missing', 'cgroup.procs'),
        '/usr/bin/touch',
        marker,
      ],
      { stdio: 'ignore' },
    );
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
  });
});

it.runIf(hasPerl)(
  'the perl launcher closes what /proc/self/fd lists where close_range is missing',
  async () => {
    // Syscall -1 fails with ENOSYS, as close_range does on kernels before 5.9.
    const withoutCloseRange = PERL_LAUNCHER_SOURCE.replace('syscall(436,', 'syscall(-1,');
    expect(withoutCloseRange).not.toBe(PERL_LAUNCHER_SOURCE);
    await expectLaunchKeepsOnlyPipes({
      command: launcherCommand(python, 'perl').command,
      args: ['-e', withoutCloseRange],
    });
  },
);
