/**
 * The sandbox's seccomp filter (seccomp.ts): first the program itself, run by a small
 * classic-BPF interpreter on chosen system calls; then the real filter loaded by bubblewrap
 * (`--seccomp 9`) around real Python, where every probe is also run once WITHOUT the filter,
 * so each assertion is shown to depend on the filter and not on something else refusing the
 * call; then the filter in perflab's own bubblewrap sandbox, as learner code meets it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LAUNCH_INPUT_FD } from './pipes.js';
import { program, requireBwrap, runtime, stderrOf, stdoutOf } from '../test-support/sandboxes.js';
import {
  AUDIT_ARCH_AARCH64,
  AUDIT_ARCH_X86_64,
  CLONE_SYSCALLS,
  DENIED_SYSCALLS,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  seccompFilter,
} from './seccomp.js';

const EPERM = SECCOMP_RET_ERRNO | 1;
const ENOSYS = SECCOMP_RET_ERRNO | 38;
const CLONE_NEWUSER = 0x10000000;
const CLONE_NEWNET = 0x40000000;
/** What glibc's fork() and pthread_create() pass to clone: no namespace flags. */
const FORK_FLAGS = 0x01200011; // CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD
const THREAD_FLAGS = 0x003d0f00; // CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | …

/** Runs the filter as the kernel would on one system call (struct seccomp_data, little-endian). */
function decide(filter: Buffer, call: { arch: number; nr: number; arg0?: number }): number {
  const data = Buffer.alloc(64);
  data.writeInt32LE(call.nr, 0);
  data.writeUInt32LE(call.arch, 4);
  data.writeBigUInt64LE(BigInt(call.arg0 ?? 0), 16);
  let a = 0;
  for (let pc = 0; pc < filter.length / 8;) {
    const code = filter.readUInt16LE(pc * 8);
    const jt = filter.readUInt8(pc * 8 + 2);
    const jf = filter.readUInt8(pc * 8 + 3);
    const k = filter.readUInt32LE(pc * 8 + 4);
    switch (code) {
      case 0x20: // BPF_LD | BPF_W | BPF_ABS
        a = data.readUInt32LE(k);
        pc += 1;
        break;
      case 0x15: // BPF_JMP | BPF_JEQ | BPF_K
        pc += 1 + (a === k ? jt : jf);
        break;
      case 0x35: // BPF_JMP | BPF_JGE | BPF_K
        pc += 1 + (a >= k ? jt : jf);
        break;
      case 0x45: // BPF_JMP | BPF_JSET | BPF_K
        pc += 1 + ((a & k) !== 0 ? jt : jf);
        break;
      case 0x06: // BPF_RET | BPF_K
        return k;
      default:
        throw new Error(`unexpected opcode 0x${code.toString(16)} at ${pc}`);
    }
  }
  throw new Error('the program ran off its end');
}

describe('the seccomp program', () => {
  const filter = seccompFilter();
  const arches = [
    ['x86_64', AUDIT_ARCH_X86_64],
    ['aarch64', AUDIT_ARCH_AARCH64],
  ] as const;

  it('is a whole number of 8-byte instructions, short enough for the kernel (≤ 4096)', () => {
    expect(filter.length % 8).toBe(0);
    expect(filter.length / 8).toBeGreaterThan(10);
    expect(filter.length / 8).toBeLessThanOrEqual(4096);
  });

  it.each(arches)('on %s refuses every listed call with EPERM and allows ordinary ones', (name, arch) => {
    for (const numbers of Object.values(DENIED_SYSCALLS))
      expect(decide(filter, { arch, nr: numbers[name] })).toBe(EPERM);
    // read, write, openat, mmap, futex, wait4, execve, exit_group, getpid
    const ordinary =
      name === 'x86_64' ? [0, 1, 257, 9, 202, 61, 59, 231, 39] : [63, 64, 56, 222, 98, 260, 221, 94, 172];
    for (const nr of ordinary) expect(decide(filter, { arch, nr })).toBe(SECCOMP_RET_ALLOW);
  });

  it.each(arches)(
    'on %s: clone3 → ENOSYS; clone with a CLONE_NEW* flag → EPERM, without → allowed',
    (name, arch) => {
      expect(decide(filter, { arch, nr: CLONE_SYSCALLS.clone3[name] })).toBe(ENOSYS);
      const clone = CLONE_SYSCALLS.clone[name];
      expect(decide(filter, { arch, nr: clone, arg0: FORK_FLAGS })).toBe(SECCOMP_RET_ALLOW);
      expect(decide(filter, { arch, nr: clone, arg0: THREAD_FLAGS })).toBe(SECCOMP_RET_ALLOW);
      expect(decide(filter, { arch, nr: clone, arg0: FORK_FLAGS | CLONE_NEWUSER })).toBe(EPERM);
      expect(decide(filter, { arch, nr: clone, arg0: 0x11 | CLONE_NEWNET })).toBe(EPERM);
      // The exit signal lives in the low byte: SIGCHLD | 0x80 is not CLONE_NEWTIME for clone.
      expect(decide(filter, { arch, nr: clone, arg0: 0x91 })).toBe(SECCOMP_RET_ALLOW);
    },
  );

  it('kills calls through a foreign calling convention (i386 int 0x80, x32, arm32)', () => {
    expect(decide(filter, { arch: 0x40000003, nr: 1 })).toBe(SECCOMP_RET_KILL_PROCESS); // i386
    expect(decide(filter, { arch: 0x40000028, nr: 1 })).toBe(SECCOMP_RET_KILL_PROCESS); // arm
    expect(decide(filter, { arch: AUDIT_ARCH_X86_64, nr: 0x40000000 + 272 })).toBe(SECCOMP_RET_KILL_PROCESS);
  });
});

/** Probes each refused call in a forked child, so a call that succeeds cannot change the prober. */
const PROBE = String.raw`
import ctypes, errno, json, os, signal, sys, time
numbers = json.loads(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
CLONE_NEWUSER, CLONE_NEWNS = 0x10000000, 0x00020000

def outcome(result):
    return "ok" if result >= 0 else errno.errorcode.get(ctypes.get_errno(), str(ctypes.get_errno()))

def syscall(nr, *args):
    ctypes.set_errno(0)
    return outcome(libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args]))

def in_child(action):
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            text = action()
        except BaseException as error:
            text = "raised " + repr(error)
        os.write(write_end, text.encode())
        os._exit(0)
    os.close(write_end)
    text = os.read(read_end, 1000).decode()
    os.close(read_end)
    os.waitpid(pid, 0)
    return text

def raw_clone():
    ctypes.set_errno(0)
    pid = libc.syscall(ctypes.c_long(numbers["clone"]), ctypes.c_long(CLONE_NEWUSER | signal.SIGCHLD), 0, 0, 0, 0)
    if pid == 0:
        os._exit(0)
    if pid > 0:
        os.waitpid(pid, 0)
    return outcome(pid)

secret = ctypes.create_string_buffer(b"the reference solution", 32)
sleeper = os.fork()
if sleeper == 0:
    time.sleep(60)
    os._exit(0)

class Iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("length", ctypes.c_size_t)]

def read_sleeper_memory():
    local = ctypes.create_string_buffer(32)
    here = Iovec(ctypes.addressof(local), 32)
    there = Iovec(ctypes.addressof(secret), 32)
    ctypes.set_errno(0)
    result = libc.process_vm_readv(sleeper, ctypes.byref(here), 1, ctypes.byref(there), 1, 0)
    return outcome(result)

ctypes.set_errno(0)
results = {
    "unshare(CLONE_NEWUSER)": in_child(lambda: outcome(libc.unshare(CLONE_NEWUSER))),
    "unshare(CLONE_NEWNS)": in_child(lambda: outcome(libc.unshare(CLONE_NEWNS))),
    "clone(CLONE_NEWUSER)": in_child(raw_clone),
    "mount(tmpfs)": in_child(lambda: outcome(libc.mount(b"none", b"/tmp", b"tmpfs", 0, None))),
    "ptrace(PTRACE_TRACEME)": in_child(lambda: outcome(libc.ptrace(0, 0, None, None))),
    "ptrace(PTRACE_ATTACH)": in_child(lambda: outcome(libc.ptrace(16, sleeper, None, None))),
    "process_vm_readv": in_child(read_sleeper_memory),
    "clone3": in_child(lambda: syscall(numbers["clone3"], 0, 0)),
}
if "--all" in sys.argv:
    for name, nr in numbers["denied"].items():
        results[name + "(0, …)"] = in_child(lambda nr=nr: syscall(nr, 0, 0, 0, 0, 0, 0))
os.kill(sleeper, signal.SIGKILL)
os.waitpid(sleeper, 0)
results["fds"] = sorted(int(fd) for fd in os.listdir("/proc/self/fd"))
print(json.dumps(results))
`;

/** Ordinary concurrency a course exercise uses: each must still work under the filter. */
const WORKLOADS = String.raw`
import asyncio, concurrent.futures, multiprocessing, subprocess, sys, threading

def square(x):
    return x * x

def main():
    results = []
    threads = [threading.Thread(target=results.append, args=(i,)) for i in range(8)]
    for t in threads: t.start()
    for t in threads: t.join()
    assert sorted(results) == list(range(8)), results
    for method in ("fork", "spawn", "forkserver"):
        with multiprocessing.get_context(method).Pool(2) as pool:
            assert pool.map(square, range(5)) == [0, 1, 4, 9, 16], method
    with concurrent.futures.ProcessPoolExecutor(2) as pool:
        assert list(pool.map(square, range(3))) == [0, 1, 4]
    out = subprocess.run([sys.executable, "-c", "print(6 * 7)"], capture_output=True, text=True, check=True)
    assert out.stdout == "42\n", out
    async def both():
        proc = await asyncio.create_subprocess_exec(sys.executable, "-c", "print('child')", stdout=asyncio.subprocess.PIPE)
        line, _ = await proc.communicate()
        await asyncio.sleep(0.01)
        return line
    assert asyncio.run(both()) == b"child\n"
    print("all workloads ok")

if __name__ == "__main__":
    main()
`;

function arch(): 'x86_64' | 'aarch64' {
  if (process.arch === 'x64') return 'x86_64';
  if (process.arch === 'arm64') return 'aarch64';
  throw new Error(`no seccomp numbers for ${process.arch}`);
}

function probeNumbers(): string {
  const a = arch();
  return JSON.stringify({
    clone: CLONE_SYSCALLS.clone[a],
    clone3: CLONE_SYSCALLS.clone3[a],
    denied: Object.fromEntries(Object.entries(DENIED_SYSCALLS).map(([name, n]) => [name, n[a]])),
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'perflab-seccomp-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Python under bare bubblewrap with every capability (so that without the filter mount,
 * unshare and ptrace succeed), the filter passed on fd 9 when `withFilter`. The code runs
 * from a file (/tmp/w/main.py), as multiprocessing's spawn needs an importable __main__.
 */
function bwrapPython(
  code: string,
  args: string[],
  withFilter: boolean,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(scratch, 'run-'));
  writeFileSync(join(dir, 'main.py'), code);
  const bwrapArgs = [
    ...(root ? [] : ['--unshare-user']),
    '--cap-add',
    'ALL',
    '--unshare-pid',
    '--die-with-parent',
    '--ro-bind',
    '/',
    '/',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
    // The private /tmp would hide a checkout under /tmp (CI clones there): show the venv again.
    '--ro-bind',
    runtime.venvDir,
    runtime.venvDir,
    '--ro-bind',
    dir,
    '/tmp/w',
    ...(withFilter ? ['--seccomp', '9'] : []),
    `${runtime.venvDir}/bin/python`,
    '/tmp/w/main.py',
    ...args,
  ];
  const child = spawn('bwrap', bwrapArgs, {
    stdio: ['ignore', 'pipe', 'pipe', 'ignore', 'ignore', 'ignore', 'ignore', 'ignore', 'ignore', 'pipe'],
  });
  if (withFilter) (child.stdio as unknown as Writable[])[9]?.end(seccompFilter());
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const NAMED_PROBES = [
  'unshare(CLONE_NEWUSER)',
  'unshare(CLONE_NEWNS)',
  'clone(CLONE_NEWUSER)',
  'mount(tmpfs)',
  'ptrace(PTRACE_TRACEME)',
  'ptrace(PTRACE_ATTACH)',
  'process_vm_readv',
];

describe('the seccomp filter under bubblewrap (--seccomp 9)', () => {
  requireBwrap();

  it('without the filter, every probe succeeds (so the next test depends on the filter)', async () => {
    const run = await bwrapPython(PROBE, [probeNumbers()], false);
    expect(run.stderr).toBe('');
    const results = JSON.parse(run.stdout) as Record<string, string>;
    for (const name of NAMED_PROBES) expect([name, results[name]]).toEqual([name, 'ok']);
    expect(results.clone3).not.toBe('ENOSYS');
  });

  it('with the filter: namespaces, mount, ptrace, process_vm_readv and every listed call → EPERM; clone3 → ENOSYS; fd 9 is gone', async () => {
    const run = await bwrapPython(PROBE, [probeNumbers(), '--all'], true);
    expect(run.stderr).toBe('');
    const results = JSON.parse(run.stdout) as Record<string, unknown>;
    for (const name of NAMED_PROBES) expect([name, results[name]]).toEqual([name, 'EPERM']);
    for (const name of Object.keys(DENIED_SYSCALLS))
      expect([name, results[`${name}(0, …)`]]).toEqual([name, 'EPERM']);
    expect(results.clone3).toBe('ENOSYS');
    // bwrap read the filter from fd 9 and closed it: the program holds only its stdio (and the listing's own fd).
    expect(results.fds).not.toContain(9);
  });

  it('with the filter: threads, multiprocessing (fork, spawn, forkserver), subprocess and asyncio still work', async () => {
    const run = await bwrapPython(WORKLOADS, [], true);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('all workloads ok\n');
    expect(run.status).toBe(0);
  });
});

describe("the seccomp filter in perflab's bubblewrap sandbox", () => {
  const sandbox = requireBwrap();

  it('learner code cannot create namespaces, mount, ptrace or read another process: EPERM', async () => {
    const outcome = await sandbox.run(program(PROBE, { argv: [probeNumbers()] }));
    expect(stderrOf(outcome)).toBe('');
    const results = JSON.parse(stdoutOf(outcome)) as Record<string, unknown>;
    for (const name of NAMED_PROBES) expect([name, results[name]]).toEqual([name, 'EPERM']);
    expect(results.clone3).toBe('ENOSYS');
    // The filter arrived on this descriptor; bwrap read and closed it before the harness started.
    expect(results.fds).not.toContain(LAUNCH_INPUT_FD);
  });

  it('learner code still runs threads, multiprocessing, subprocess and asyncio', async () => {
    const outcome = await sandbox.run(program(WORKLOADS));
    expect(stderrOf(outcome)).toBe('');
    expect(stdoutOf(outcome)).toBe('all workloads ok\n');
    expect(outcome.exitCode).toBe(0);
  });
});
