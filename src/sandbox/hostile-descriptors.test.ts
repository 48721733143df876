/**
 * Hostile programs hunting for descriptors of the host, against the isolated backend
 * (README.md › "No host descriptor reaches a run"). When bubblewrap is missing this suite
 * fails (requireBwrap), it does not skip.
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { program, requireBwrap, stdoutOf } from '../test-support/sandboxes.js';
import { HIDDEN_FD, RESULT_FD } from './pipes.js';

const sandbox = requireBwrap();
const PERFLAB_BIN = fileURLToPath(new URL('../../bin/perflab.js', import.meta.url));

/** Runs `perflab run` as a separate process holding extra descriptors at the given numbers. */
function runCliWithDescriptors(
  args: string[],
  descriptors: Record<number, number>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const highest = Math.max(2, ...Object.keys(descriptors).map(Number));
  // Node's stdio array puts each descriptor at its index in the child without close-on-exec,
  // exactly as a shell's `exec 100>>file` does for the programs it starts.
  const stdio: (number | 'ignore' | 'pipe')[] = Array.from({ length: highest + 1 }, () => 'ignore');
  stdio[1] = 'pipe';
  stdio[2] = 'pipe';
  for (const [at, fd] of Object.entries(descriptors)) stdio[Number(at)] = fd;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PERFLAB_BIN, ...args], { stdio });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('hostile programs in the bubblewrap sandbox', () => {
  let hostDir: string;

  beforeAll(() => {
    hostDir = mkdtempSync(join(tmpdir(), 'perflab-hostile-'));
    writeFileSync(join(hostDir, 'secret.txt'), 'host-secret-contents');
  });

  afterAll(() => rmSync(hostDir, { recursive: true, force: true }));

  it('inherits no file descriptors from the host', async () => {
    const fd = openSync(join(hostDir, 'secret.txt'), 'r');
    try {
      const source = `
import os
leaked = []
for fd in range(3, 256):
    try:
        leaked.append(os.read(fd, 100))
    except OSError:
        pass
print(leaked)
`;
      const out = stdoutOf(await sandbox.run(program(source)));
      expect(out).not.toContain('host-secret');
    } finally {
      closeSync(fd);
    }
  });

  it('reaches no descriptor the perflab process inherited (fd 100 on a host file)', async () => {
    // The reproduction: `( exec 100>>leak.txt; npx perflab run probe.py )` let learner
    // code write into the host file through fd 100.
    const leakFile = join(hostDir, 'leak.txt');
    writeFileSync(leakFile, '');
    const { dev, ino } = statSync(leakFile);
    const probeDir = join(hostDir, 'fd-probe');
    mkdirSync(probeDir);
    writeFileSync(
      join(probeDir, 'probe.py'),
      `
import json, os, sys
dev, ino = int(sys.argv[1]), int(sys.argv[2])
open_fds, same_file = [], []
for fd in range(3, 1024):
    try:
        st = os.fstat(fd)
    except OSError:
        continue
    open_fds.append(fd)
    if (st.st_dev, st.st_ino) == (dev, ino):
        same_file.append(fd)
try:
    os.write(100, b"learner code was here\\n")
    wrote = True
except OSError:
    wrote = False
print("PROBE", json.dumps({"open": open_fds, "sameFile": same_file, "wrote100": wrote}))
`,
    );
    const leakFd = openSync(leakFile, 'a');
    try {
      const result = await runCliWithDescriptors(
        ['run', join(probeDir, 'probe.py'), '--sandbox', 'bwrap', '--', String(dev), String(ino)],
        { 100: leakFd },
      );
      const line = /^PROBE (.*)$/m.exec(result.stdout)?.[1];
      expect(line, result.stdout + result.stderr).toBeDefined();
      const probe = JSON.parse(line as string) as { open: number[]; sameFile: number[]; wrote100: boolean };
      expect(probe.sameFile).toEqual([]);
      expect(probe.wrote100).toBe(false);
      // What else is open belongs to the harness itself (its result channel), never to the host
      // shell: no descriptor below 1000 but stdio.
      expect(probe.open.filter((fd) => fd < 1000)).toEqual([]);
      expect(readFileSync(leakFile, 'utf8')).toBe('');
    } finally {
      closeSync(leakFd);
    }
  });

  it("cannot reach the host's pipes through bubblewrap's init process (pid 1)", async () => {
    // bwrap's pid 1 inside the namespace started with the same descriptors as the harness.
    const source = `
import os
print("pid1", open("/proc/1/comm").read().strip())
for fd in (${RESULT_FD}, ${HIDDEN_FD}):
    for flags in (os.O_RDONLY, os.O_WRONLY):
        try:
            os.close(os.open(f"/proc/1/fd/{fd}", flags))
            print("opened", fd)
        except OSError as e:
            print("refused", fd, type(e).__name__)
`;
    const out = stdoutOf(await sandbox.run(program(source)));
    expect(out).toContain('pid1 bwrap');
    expect(out).not.toContain('opened');
    expect(out.match(/refused/g)?.length).toBe(4);
  });
});
