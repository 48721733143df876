import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sweepOrphanedStaging } from './execute.js';

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
