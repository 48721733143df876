/**
 * An exclusive run's CPU weight (issue 9, item 4b: a scaling check gets the cores perflab
 * gives it): RunCgroup.weightCpu moves the run's processes into a cpu group of their own with
 * the given cpu.shares, and remove() takes it away again. Needs writable cgroup v1 (root);
 * skipped elsewhere, like the other cgroup tests.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RunCgroup, cgroupsAvailable } from './cgroups.js';

const usable = (await cgroupsAvailable()) && existsSync('/sys/fs/cgroup/cpu/cpu.shares');

describe.skipIf(!usable)('cpu weight of a run', () => {
  it('moves the run into a cpu group with the asked-for cpu.shares, and removes it afterwards', async () => {
    const group = (await RunCgroup.create(`cpu-weight-test-${process.pid}`)) as RunCgroup;
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      for (const file of group.procsFiles()) writeFileSync(file, String(child.pid));
      expect(await group.weightCpu(4096)).toBe(true);
      const cpuLine = readFileSync(`/proc/${child.pid}/cgroup`, 'utf8')
        .split('\n')
        .find((line) => line.split(':')[1]?.split(',').includes('cpu')) as string;
      const cpuPath = cpuLine.split(':')[2] as string;
      expect(cpuPath).toContain(`perflab-cpu-weight-test-${process.pid}`);
      expect(readFileSync(`/sys/fs/cgroup/cpu${cpuPath}/cpu.shares`, 'utf8').trim()).toBe('4096');
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      await group.remove();
      expect(existsSync(`/sys/fs/cgroup/cpu${cpuPath}`)).toBe(false);
    } finally {
      child.kill('SIGKILL');
      await group.remove();
    }
  });
});
