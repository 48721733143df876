/**
 * The process boundary between the harness and learner code (issue 9, items 2 and 4): learner
 * code runs in a process of its own that holds only fd 0, 1 and 2, and the figures a verdict
 * rests on (exit status, peak memory, CPU) are measured by the harness's supervisor from
 * outside that process. Real Python in the real bubblewrap sandbox, root-started as in CI, so
 * learner code runs under another uid than the supervisor.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { mainPyJob, requireBwrap, stdoutOf } from '../test-support/sandboxes.js';
import { WarmPool } from '../sandbox/pool.js';
import { Runner } from './runner.js';

const queue = createMemoryQueue({ concurrency: 2 });
const runner = new Runner(requireBwrap(), queue);
const pool = new WarmPool(requireBwrap(), { size: 1 });
const pooledRunner = new Runner(pool, queue);
afterAll(async () => {
  await pool.close?.();
  queue.close();
});

/** Every descriptor the process holds, except the one listing /proc/self/fd itself. */
const LIST_FDS = `
import os
fds = []
for name in os.listdir("/proc/self/fd"):
    try:
        target = os.readlink(f"/proc/self/fd/{name}")
    except OSError:
        continue  # the listing's own descriptor, already closed
    if not target.startswith("/proc/"):
        fds.append(int(name))
print(sorted(fds))
`;

/** 300 MB that really is resident (bytes(n) would be calloc'd and never touched). */
const ALLOCATE_300_MB = `
big = b"\\x01" * (300 * 1024 * 1024)
del big
`;

/** The published attack: the document's memory figures come from a function learner code can replace. */
const REPLACE_RESOURCE_USAGE = `
import sys
result = sys.modules.get("perflab_harness.result")
if result is not None:
    result.resource_usage_fields = lambda: {"selfMaxRssKb": 20000, "childrenMaxRssKb": 0, "cpuUserMs": 1, "cpuSystemMs": 1}
`;

/**
 * Everything learner code can try to forge the result: write a fake document (exit 0, 19.5 MB)
 * to every descriptor it can find, and walk the frames and the heap for the harness's run
 * object and channel, rewriting what it finds. Then it exits with status 3.
 */
const FORGE_EVERYTHING = `
import gc, json, os, sys
fake = json.dumps({"schema": "perflab.harness/1", "mode": "run", "python": {"version": "3", "implementation": "CPython", "executable": "x"},
    "cpusAvailable": 1, "exitCode": 0, "exception": None, "setupError": None, "selfMaxRssKb": 20000,
    "childrenMaxRssKb": 0, "cpuUserMs": 1, "cpuSystemMs": 1, "harnessWallMs": 1}).encode()
for fd in range(3, 1100):
    try:
        os.write(fd, fake)
        os.close(fd)
    except OSError:
        pass
frame = sys._getframe()
while frame is not None:
    for value in list(frame.f_locals.values()):
        if hasattr(value, "exit_code"):
            value.exit_code = 0
    frame = frame.f_back
for obj in gc.get_objects():
    try:
        if hasattr(obj, "result_fd") and isinstance(obj.result_fd, int):
            os.write(obj.result_fd, fake)
            os.close(obj.result_fd)
            obj.result_fd = None
        if hasattr(obj, "exit_code"):
            obj.exit_code = 0
    except Exception:
        pass
sys.stdout.flush()
os._exit(3)
`;

/** Probes the process that started learner code's process: the supervisor in the new layout. */
const PROBE_SUPERVISOR = `
import json, os, signal
ppid = os.getppid()
def attempt(action):
    try:
        action()
        return "ok"
    except OSError as error:
        return type(error).__name__
def read_mem():
    with open(f"/proc/{ppid}/maps") as maps:
        start = int(maps.readline().split("-")[0], 16)
    with open(f"/proc/{ppid}/mem", "rb") as mem:
        mem.seek(start)
        mem.read(16)
def read_environ():
    with open(f"/proc/{ppid}/environ", "rb") as environ:
        environ.read()
def list_fds():
    os.listdir(f"/proc/{ppid}/fd")
def environ_block():
    # Unreadable (0400, root's) when the process is non-dumpable after dropping privileges.
    try:
        with open("/proc/self/environ", "rb") as environ:
            return environ.read()
    except PermissionError:
        return b""
with open(f"/proc/{ppid}/comm") as comm:
    name = comm.read().strip()
print(json.dumps({
    "uid": os.getuid(),
    "supervisorName": name,
    "mem": attempt(read_mem),
    "environ": attempt(read_environ),
    "fds": attempt(list_fds),
    "kill": attempt(lambda: os.kill(ppid, signal.SIGTERM)),
    "switchIntervalVisible": "PERFLAB_SWITCH_INTERVAL_S" in os.environ,
    "switchIntervalInEnvironBlock": b"PERFLAB_SWITCH_INTERVAL_S" in environ_block(),
}))
`;

/**
 * Runs a program that holds 300 MB and then tries `attack`; checks that the peak the memory
 * checks read (verify/program-checks.ts programPeakMb) still shows the 300 MB.
 */
async function runAfterAllocating300Mb(attack: string) {
  const report = await runner.run(mainPyJob('run', ALLOCATE_300_MB + attack, { limits: { memoryMb: 1024 } }));
  const doc = report.document;
  if (!doc) throw new Error(report.documentError ?? 'no document');
  expect(Math.max(doc.selfMaxRssKb, doc.childrenMaxRssKb)).toBeGreaterThanOrEqual(300 * 1024);
  return report;
}

describe('process boundary: learner code runs apart from the harness', () => {
  it.each([
    ['cold', runner],
    ['warm pool', pooledRunner],
  ])('(%s) learner code holds only fd 0, 1 and 2', async (_name, which) => {
    const report = await which.run(mainPyJob('run', LIST_FDS));
    expect(report.status).toBe('ok');
    expect(stdoutOf(report.outcome)).toBe('[0, 1, 2]\n');
  });

  it('learner code holds only fd 0, 1 and 2 in profile and memory modes too', async () => {
    for (const mode of ['profile', 'memory'] as const) {
      const report = await runner.run(mainPyJob(mode, LIST_FDS));
      expect(report.status, mode).toBe('ok');
      expect(stdoutOf(report.outcome), mode).toBe('[0, 1, 2]\n');
    }
  });

  it('replacing resource_usage_fields does not change the reported peak memory', async () => {
    const report = await runAfterAllocating300Mb(REPLACE_RESOURCE_USAGE);
    expect(report.status).toBe('ok');
  });

  it('a program that forges documents and rewrites the harness objects it finds cannot change its exit status or peak memory', async () => {
    const report = await runAfterAllocating300Mb(FORGE_EVERYTHING);
    expect(report.exitCode).toBe(3);
    expect(report.status).toBe('program-failed');
    expect(report.document?.exitCode).toBe(3);
  });

  it('learner code cannot read the supervisor’s memory, environment or descriptors, nor signal it', async () => {
    const report = await runner.run(
      mainPyJob('run', PROBE_SUPERVISOR, {
        env: { PERFLAB_SWITCH_INTERVAL_S: '0.0001' },
      }),
    );
    expect(report.status).toBe('ok');
    const probe = JSON.parse(stdoutOf(report.outcome)) as Record<string, unknown>;
    expect(probe.supervisorName).toBe('perflab-harness');
    expect(probe.uid).not.toBe(0);
    expect(probe).toMatchObject({
      mem: 'PermissionError',
      environ: 'PermissionError',
      fds: 'PermissionError',
      kill: 'PermissionError',
      switchIntervalVisible: false,
      switchIntervalInEnvironBlock: false,
    });
  });

  it('the race check’s switch interval reaches every repeated run, but no variable says so', async () => {
    const source = [
      'import os, sys',
      'try:',
      '    environ_block = open("/proc/self/environ", "rb").read()',
      'except PermissionError:  # non-dumpable after dropping privileges',
      '    environ_block = b""',
      'print(sys.getswitchinterval(), "PERFLAB_SWITCH_INTERVAL_S" in os.environ, b"SWITCH_INTERVAL" in environ_block)',
    ].join('\n');
    const report = await runner.run(
      mainPyJob('repeat', source, {
        modeOptions: { repeat: { times: 5, timeoutS: 10 } },
        env: { PERFLAB_SWITCH_INTERVAL_S: '0.0001' },
      }),
    );
    expect(report.status).toBe('ok');
    const outcomes = report.document?.outcomes ?? [];
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.count).toBe(5);
    const [interval, inEnviron, inBlock] = (outcomes[0]?.stdout ?? '').trim().split(' ');
    expect(Math.abs(Number(interval) - 0.0001)).toBeLessThan(2e-6);
    expect([inEnviron, inBlock]).toEqual(['False', 'False']);
  });

  it('a program that kills itself still gets a document with the kernel’s figures', async () => {
    const report = await runner.run(
      mainPyJob(
        'profile',
        'import os, signal\nx = b"a" * (50 * 1024 * 1024)\nos.kill(os.getpid(), signal.SIGKILL)\n',
      ),
    );
    expect(report.status).toBe('program-failed');
    expect(report.signal).toBe('SIGKILL');
    expect(report.message).toBe('the program was killed by SIGKILL');
    const doc = report.document;
    if (!doc) throw new Error(report.documentError ?? 'no document');
    expect(doc.selfMaxRssKb).toBeGreaterThanOrEqual(50 * 1024);
    expect(doc.functions).toEqual([]);
  });
});
