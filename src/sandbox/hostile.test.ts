/**
 * Hostile programs against the isolated backend. Each case asserts containment, then that
 * the host is unaffected and the next run works. These never run against the process
 * backend: a fork bomb or kill(-1) without isolation would take the machine down.
 * When bubblewrap is missing this suite fails (requireBwrap), it does not skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { program, requireBwrap, stdoutOf } from '../test-support/sandboxes.js';
import type { SandboxOutcome } from './types.js';

const sandbox = requireBwrap();

async function expectNextRunWorks(): Promise<void> {
  const outcome = await sandbox.run(program('print("still fine")\n'));
  expect(stdoutOf(outcome)).toBe('still fine\n');
  expect(outcome.exitCode).toBe(0);
}

function hostProcessesWithMarker(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return pids;
}

describe('hostile programs in the bubblewrap sandbox', () => {
  let hostDir: string;
  let sentinel: ChildProcess;
  let server: Server;
  let serverPort = 0;
  let serverConnections = 0;

  beforeAll(async () => {
    hostDir = mkdtempSync(join(tmpdir(), 'perflab-hostile-'));
    writeFileSync(join(hostDir, 'secret.txt'), 'host-secret-contents');
    sentinel = spawn('sleep', ['600'], { stdio: 'ignore' });
    server = createServer((socket) => {
      serverConnections++;
      socket.end('hello from the host');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverPort = (server.address() as { port: number }).port;
  });

  afterAll(() => {
    sentinel.kill('SIGKILL');
    server.close();
    rmSync(hostDir, { recursive: true, force: true });
  });

  it('contains a fork bomb', async () => {
    const outcome = await sandbox.run(
      program('import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n', {
        limits: { wallS: 5, tasks: 64 },
      }),
    );
    expect(['process-limit', 'timeout', 'cpu-limit']).toContain(outcome.limitHit);
    expect(outcome.peakTasks).toBeLessThanOrEqual(64 + 8);
    await expectNextRunWorks();
  });

  it('contains a memory bomb', async () => {
    const outcome = await sandbox.run(
      program('data = []\nwhile True:\n    data.append(b"x" * (64 * 1024 * 1024))\n', {
        limits: { memoryMb: 256 },
      }),
    );
    const exception = (outcome.harnessDocument as { exception?: { type: string } } | null)?.exception?.type;
    expect(outcome.limitHit === 'memory-limit' || exception === 'MemoryError').toBe(true);
    await expectNextRunWorks();
  });

  it('contains a thread bomb', async () => {
    const source =
      'import threading, time\nwhile True:\n    threading.Thread(target=time.sleep, args=(100,), daemon=True).start()\n';
    const outcome = await sandbox.run(program(source, { limits: { tasks: 128 } }));
    const exception = (outcome.harnessDocument as { exception?: { type: string } } | null)?.exception?.type;
    expect(outcome.limitHit === 'process-limit' || exception === 'RuntimeError').toBe(true);
    expect(outcome.peakTasks).toBeLessThanOrEqual(128 + 8);
    await expectNextRunWorks();
  });

  it.each([
    ['with newlines', 'while True:\n    print("flood " * 20)\n'],
    ['without newlines', 'import sys\nwhile True:\n    sys.stdout.write("z" * 65536)\n'],
    ['on stderr', 'import sys\nwhile True:\n    sys.stderr.write("e" * 1000)\n'],
  ])('contains an output flood %s', async (_name, source) => {
    const outcome = await sandbox.run(program(source, { limits: { outputKb: 256 } }));
    expect(outcome.limitHit).toBe('output-limit');
    expect(outcome.outputBytes).toBeLessThanOrEqual(256 * 1024);
    await expectNextRunWorks();
  });

  it.each([
    ['the work dir', 'fill.bin'],
    ['/tmp', '/tmp/fill.bin'],
    ['/dev/shm', '/dev/shm/fill.bin'],
  ])('contains a disk fill of %s', async (_name, target) => {
    const source = `
import errno
try:
    with open(${JSON.stringify(target)}, "wb") as f:
        while True:
            f.write(b"d" * (1024 * 1024))
            f.flush()
except OSError as e:
    print("stopped:", errno.errorcode[e.errno])
`;
    const outcome = await sandbox.run(program(source, { limits: { scratchMb: 32, fileSizeMb: 1024 } }));
    expect(stdoutOf(outcome)).toMatch(/stopped: (ENOSPC|EFBIG)/);
    await expectNextRunWorks();
  });

  it('cannot read host files by absolute path', async () => {
    const source = `
import sys
for path in sys.argv[1:]:
    try:
        print(path, open(path).read()[:40])
    except OSError as e:
        print(path, "blocked", type(e).__name__)
`;
    const outcome = await sandbox.run(
      program(source, {
        argv: [
          join(hostDir, 'secret.txt'),
          '/etc/shadow',
          '/root/.bashrc',
          join(process.cwd(), 'package.json'),
        ],
      }),
    );
    const out = stdoutOf(outcome);
    expect(out).not.toContain('host-secret-contents');
    expect(out.match(/blocked/g)?.length).toBe(4);
  });

  it('cannot write outside its scratch dirs', async () => {
    const source = `
for path in ["/usr/perflab-owned", "/perflab/input/x", "/perflab/harness/x", "/etc/x", "/x", "/perflab/venv/x"]:
    try:
        open(path, "w").write("owned")
        print(path, "WROTE")
    except OSError:
        print(path, "blocked")
`;
    const out = stdoutOf(await sandbox.run(program(source)));
    expect(out).not.toContain('WROTE');
    expect(out.match(/blocked/g)?.length).toBe(6);
    expect(existsSync('/usr/perflab-owned')).toBe(false);
  });

  it('cannot reach a server on the host loopback', async () => {
    const source = `
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
    print("connected", s.recv(100))
except OSError as e:
    print("blocked", type(e).__name__)
`;
    const before = serverConnections;
    const outcome = await sandbox.run(program(source, { argv: [String(serverPort)] }));
    expect(stdoutOf(outcome)).toMatch(/^blocked/);
    expect(serverConnections).toBe(before);
  });

  it('sees only its own processes in /proc', async () => {
    const source = `
import os
pids = [p for p in os.listdir("/proc") if p.isdigit()]
print(len(pids) < 10, any("sleep" in open(f"/proc/{p}/cmdline").read() for p in pids))
`;
    expect(stdoutOf(await sandbox.run(program(source)))).toBe('True False\n');
  });

  it('cannot signal processes outside the sandbox, and kill(-1) kills only itself', async () => {
    const source = `
import os, signal, sys
try:
    os.kill(int(sys.argv[1]), signal.SIGKILL)
    print("signalled")
except ProcessLookupError:
    print("no such process")
os.kill(-1, signal.SIGKILL)
`;
    const outcome: SandboxOutcome = await sandbox.run(program(source, { argv: [String(sentinel.pid)] }));
    expect(stdoutOf(outcome)).toContain('no such process');
    expect(sentinel.exitCode).toBeNull();
    expect(() => process.kill(sentinel.pid as number, 0)).not.toThrow();
    await expectNextRunWorks();
  });

  it('leaves no double-forked daemon behind', async () => {
    const marker = `perflab-daemon-${Date.now()}`;
    const source = `
import os, subprocess, sys, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        subprocess.Popen(["sleep", "300"], start_new_session=True)
        os.execvp("${'python3'}", ["python3", "-c", "import time; time.sleep(300)", "${marker}"])
    os._exit(0)
time.sleep(0.5)
print("parent done")
`;
    const outcome = await sandbox.run(program(source));
    expect(stdoutOf(outcome)).toContain('parent done');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(hostProcessesWithMarker(marker)).toEqual([]);
  });

  it('does not follow links planted in the work dir when cleaning up', async () => {
    const canary = join(hostDir, 'canary.txt');
    writeFileSync(canary, 'alive');
    const source = `
import os, sys
os.symlink(sys.argv[1], "link-to-host-dir")
os.symlink("/", "link-to-root")
os.symlink(sys.argv[1] + "/canary.txt", "result.json")
print("planted")
`;
    const outcome = await sandbox.run(program(source, { argv: [hostDir] }));
    expect(stdoutOf(outcome)).toBe('planted\n');
    expect(readFileSync(canary, 'utf8')).toBe('alive');
    expect(existsSync(join(hostDir, 'secret.txt'))).toBe(true);
  });

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

  it('cannot see secrets in the host environment', async () => {
    process.env.AWS_SECRET_ACCESS_KEY = 'host-env-secret';
    try {
      const source =
        'import os\nprint([v for v in os.environ.values() if "secret" in v])\nprint(open("/proc/1/environ","rb").read())\n';
      const out = stdoutOf(await sandbox.run(program(source)));
      expect(out).not.toContain('host-env-secret');
    } finally {
      delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });
});
