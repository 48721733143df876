import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hostProcessesNaming, program, requireBwrap, stdoutOf } from '../test-support/sandboxes.js';
import { settleCleanups } from './cleanup.js';
import { dispatchRun } from './execute.js';
import { launchSandbox, type LaunchedSandbox } from './launch.js';
import { createStaging, JobFileError, sweepOrphanedStaging } from './staging.js';
import { WarmPool } from './pool.js';

describe('sweepOrphanedStaging', () => {
  let base = '';
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('removes the staging folders of processes that are gone, and only those', () => {
    base = mkdtempSync(join(tmpdir(), 'perflab-sweep-'));
    const exited = spawnSync('true');
    const deadPid = exited.pid as number;
    const live = spawn('sleep', ['30']);
    const livePid = live.pid as number;
    try {
      const make = (name: string) => {
        mkdirSync(join(base, name, 'input'), { recursive: true });
        writeFileSync(join(base, name, 'input', 'main.py'), 'print(1)\n');
      };
      make(`run-${deadPid}-aaaaaa`);
      make(`run-${livePid}-bbbbbb`);
      make(`run-${process.pid}-cccccc`);
      make('run-dddddd'); // no owner pid, recent: maybe a run of an older perflab still going
      make('run-eeeeee'); // no owner pid, two days old: an orphan
      const twoDaysAgoS = Date.now() / 1000 - 2 * 24 * 3600;
      utimesSync(join(base, 'run-eeeeee'), twoDaysAgoS, twoDaysAgoS);
      make('unrelated');

      expect(sweepOrphanedStaging(base)).toBe(2);
      expect(readdirSync(base).sort()).toEqual(
        [`run-${livePid}-bbbbbb`, `run-${process.pid}-cccccc`, 'run-dddddd', 'unrelated'].sort(),
      );
    } finally {
      live.kill('SIGKILL');
    }
  });

  it('does nothing where the folder does not exist', () => {
    base = join(tmpdir(), 'perflab-sweep-missing');
    expect(sweepOrphanedStaging(base)).toBe(0);
  });
});

describe('the staging base', () => {
  const savedTmpdir = process.env.TMPDIR;
  let parent = '';
  afterEach(() => {
    process.env.TMPDIR = savedTmpdir;
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    rmSync(parent, { recursive: true, force: true });
  });

  const uid = process.getuid?.() ?? 'user';

  it('is not used when another user could have made it (mode 0777): runs go to a fresh private folder', () => {
    parent = mkdtempSync(join(tmpdir(), 'perflab-base-'));
    const planted = join(parent, `perflab-runs-${uid}`);
    mkdirSync(planted);
    chmodSync(planted, 0o777);
    process.env.TMPDIR = parent;
    const staged = createStaging();
    try {
      expect(staged.dir.startsWith(`${planted}/`)).toBe(false);
      expect(readdirSync(planted)).toEqual([]);
      const base = dirname(staged.dir);
      const stat = lstatSync(base);
      expect(stat.isDirectory() && !stat.isSymbolicLink()).toBe(true);
      expect(stat.mode & 0o777).toBe(0o700);
      expect(stat.uid).toBe(process.getuid?.());
    } finally {
      rmSync(staged.dir, { recursive: true, force: true });
    }
  });

  it('is not used when it is a symbolic link', () => {
    parent = mkdtempSync(join(tmpdir(), 'perflab-base-'));
    const elsewhere = join(parent, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, join(parent, `perflab-runs-${uid}`));
    process.env.TMPDIR = parent;
    const staged = createStaging();
    try {
      expect(readdirSync(elsewhere)).toEqual([]);
      expect(lstatSync(dirname(staged.dir)).isSymbolicLink()).toBe(false);
    } finally {
      rmSync(staged.dir, { recursive: true, force: true });
    }
  });
});

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

async function expectNothingLeftOf(launched: LaunchedSandbox): Promise<void> {
  await settleCleanups();
  expect(pidAlive(launched.child.pid as number)).toBe(false);
  // bwrap's bind mounts name the staging folder on its command line.
  expect(hostProcessesNaming(launched.staged.dir)).toEqual([]);
  expect(existsSync(launched.staged.dir)).toBe(false);
  if (launched.cgroup) expect(launched.cgroup.exists()).toBe(false);
}

describe('a warm sandbox whose staging folder was tampered with', () => {
  const backend = requireBwrap();
  let victim = '';
  afterEach(() => rmSync(victim, { recursive: true, force: true }));

  it('fails the run without writing through planted links, and is discarded', async () => {
    victim = mkdtempSync(join(tmpdir(), 'perflab-victim-'));
    const victimDir = join(victim, 'root-only');
    mkdirSync(victimDir, { mode: 0o700 });
    const victimFile = join(victim, 'config');
    writeFileSync(victimFile, 'original');
    const launched = await launchSandbox(backend.executeOptions(), 64);
    // What a local user who controlled the base could do while the sandbox waits: swap the
    // run folder for one whose input and job.json lead elsewhere.
    renameSync(launched.staged.dir, `${launched.staged.dir}.moved`);
    mkdirSync(launched.staged.dir);
    symlinkSync(victimDir, join(launched.staged.dir, 'input'));
    symlinkSync(victimFile, join(launched.staged.dir, 'job.json'));
    mkdirSync(join(launched.staged.dir, 'ipc'));
    try {
      await expect(dispatchRun(launched, program('print("owned")\n'))).rejects.toThrow(/staging/);
      expect(readdirSync(victimDir)).toEqual([]);
      expect(readFileSync(victimFile, 'utf8')).toBe('original');
      await expectNothingLeftOf(launched);
    } finally {
      rmSync(`${launched.staged.dir}.moved`, { recursive: true, force: true });
      rmSync(launched.staged.dir, { recursive: true, force: true });
    }
  });

  it('does not write through a job.json replaced by a link, even in the original folder', async () => {
    victim = mkdtempSync(join(tmpdir(), 'perflab-victim-'));
    const victimFile = join(victim, 'config');
    writeFileSync(victimFile, 'original');
    const launched = await launchSandbox(backend.executeOptions(), 64);
    rmSync(launched.staged.jobFile);
    symlinkSync(victimFile, launched.staged.jobFile);
    await expect(dispatchRun(launched, program('print("owned")\n'))).rejects.toThrow(/job\.json/);
    expect(readFileSync(victimFile, 'utf8')).toBe('original');
    await expectNothingLeftOf(launched);
  });
});

describe('a job whose files cannot be staged', () => {
  const backend = requireBwrap();

  it.each([
    ['"."', [{ path: '.', content: 'x' }], '"."'],
    [
      '"dir/" and "dir/x"',
      [
        { path: 'dir/', content: '' },
        { path: 'dir/x', content: 'x' },
      ],
      '"dir/"',
    ],
    [
      '"d" and "d/e"',
      [
        { path: 'd', content: 'x' },
        { path: 'd/e', content: 'y' },
      ],
      '"d/e"',
    ],
    [
      '"d/e" and "d"',
      [
        { path: 'd/e', content: 'y' },
        { path: 'd', content: 'x' },
      ],
      '"d"',
    ],
  ])(
    '%s: after launch, the sandbox is discarded with an error naming the path',
    async (_name, files, named) => {
      const launched = await launchSandbox(backend.executeOptions(), 64);
      const spec = { ...program('print(1)\n'), files: [...program('').files, ...files] };
      const failure = dispatchRun(launched, spec);
      await expect(failure).rejects.toBeInstanceOf(JobFileError);
      await expect(failure).rejects.toThrow(named);
      await expectNothingLeftOf(launched);
    },
  );

  it('fails from the warm pool too, without using up a ready sandbox, and the next run works', async () => {
    const pool = new WarmPool(backend, { size: 1 });
    try {
      const spec = {
        ...program('print(1)\n'),
        files: [{ path: 'd', content: 'x' }, { path: 'd/e', content: 'y' }, ...program('').files],
      };
      await expect(pool.run(spec)).rejects.toBeInstanceOf(JobFileError);
      const outcome = await pool.run(program('print("next")\n'));
      expect(stdoutOf(outcome)).toBe('next\n');
    } finally {
      await pool.close();
    }
  });
});
