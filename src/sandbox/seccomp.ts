/**
 * The seccomp filter every bubblewrap sandbox runs under (`bwrap --seccomp FD`): a classic-BPF
 * program, written out here instruction by instruction (no libseccomp, no native code), that
 * the kernel runs on every system call of the sandboxed process tree. It takes away what a
 * Python program never needs and what a kernel attack or a sandbox escape usually starts with:
 *
 * - new namespaces: `unshare`, `setns`, and `clone` with any CLONE_NEW* flag → EPERM. The
 *   learner's uid could otherwise create a user namespace and be "root" in it, reaching kernel
 *   code (netfilter, mount, …) that is only reachable with capabilities. `clone3` → ENOSYS: its
 *   flags sit in a struct in memory, which seccomp cannot read, so it is refused as "not
 *   implemented" and glibc (2.34+) falls back to `clone`, whose flags seccomp can check.
 * - mounts: `mount`, `umount2`, `pivot_root` and the new mount API (`open_tree`, `move_mount`,
 *   `fsopen`, `fsconfig`, `fsmount`, `fspick`, `mount_setattr`) → EPERM.
 * - other processes' memory: `ptrace`, `process_vm_readv`, `process_vm_writev` → EPERM. The
 *   harness, graders and reference workers share the sandbox; a learner's process must not read
 *   or drive them. (A sampling profiler such as py-spy needs ptrace/process_vm_readv; when it
 *   comes, it must run outside the learner's filter, not by loosening this one.)
 * - kernel attack surface no program here uses: the key store (`keyctl`, `add_key`,
 *   `request_key`), `bpf`, `userfaultfd` (a classic tool for winning kernel races),
 *   `perf_event_open`, `open_by_handle_at` (a container escape), `kexec_load`,
 *   `kexec_file_load`, `init_module`, `finit_module`, `delete_module` → EPERM.
 *
 * A system call made through another architecture's calling convention (the i386 `int 0x80`
 * entry or the x32 ABI on x86_64) has other numbers, so a filter that only knows the 64-bit
 * numbers could be bypassed with it: such calls kill the process. Everything else is allowed.
 *
 * The filter is inherited by every process of the sandbox and cannot be removed; bwrap applies
 * it (with no_new_privs) just before it executes the harness, after its own setup.
 */

/**
 * One instruction, `struct sock_filter` of <linux/filter.h>, 8 bytes in the machine's byte
 * order (little-endian on both architectures we support):
 *
 *   offset 0  u16 code   operation: class | size | mode (loads) or class | op | source (jumps)
 *   offset 2  u8  jt     conditional jumps: instructions to skip when the test is true
 *   offset 3  u8  jf     … and when it is false (jumps go forward only, at most 255)
 *   offset 4  u32 k      the constant: an offset to load, a value to compare, a return value
 */
const SOCK_FILTER_BYTES = 8;

// Opcodes of <linux/bpf_common.h>.
const BPF_LD = 0x00;
const BPF_JMP = 0x05;
const BPF_RET = 0x06;
const BPF_W = 0x00; // load 32 bits
const BPF_ABS = 0x20; // from an absolute offset in struct seccomp_data
const BPF_JEQ = 0x10; // jump if A == k
const BPF_JGE = 0x30; // jump if A >= k (unsigned)
const BPF_JSET = 0x40; // jump if A & k != 0
const BPF_K = 0x00; // compare with the constant k

/**
 * struct seccomp_data, what the program reads (offsets in bytes):
 *   0  int nr        system call number
 *   4  u32 arch      AUDIT_ARCH_* of the calling convention used
 *   8  u64 instruction_pointer
 *  16  u64 args[6]   arguments; args[0]'s low 32 bits at 16 on little-endian machines
 */
const SECCOMP_DATA_OFFSET = { nr: 0, arch: 4, arg0Low: 16 } as const;

// <linux/audit.h>
export const AUDIT_ARCH_X86_64 = 0xc000003e;
export const AUDIT_ARCH_AARCH64 = 0xc00000b7;
/** x32 system calls on x86_64 carry this bit in their number (__X32_SYSCALL_BIT). */
const X32_SYSCALL_BIT = 0x40000000;

// <linux/seccomp.h> return values; for ERRNO the low 16 bits are the errno.
export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
const EPERM = 1;
const ENOSYS = 38;

/**
 * CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
 * CLONE_NEWNET. (CLONE_NEWTIME, 0x80, exists only for unshare and clone3: in clone's flags the
 * low byte is the exit signal, so 0x80 there is not a namespace flag.)
 */
const CLONE_NEW_FLAGS =
  0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000;

/** System calls refused with EPERM, by name, with their numbers per architecture. */
export const DENIED_SYSCALLS: Readonly<Record<string, { x86_64: number; aarch64: number }>> = {
  // namespaces (clone with CLONE_NEW* flags is checked separately)
  unshare: { x86_64: 272, aarch64: 97 },
  setns: { x86_64: 308, aarch64: 268 },
  // mounts
  mount: { x86_64: 165, aarch64: 40 },
  umount2: { x86_64: 166, aarch64: 39 },
  pivot_root: { x86_64: 155, aarch64: 41 },
  open_tree: { x86_64: 428, aarch64: 428 },
  move_mount: { x86_64: 429, aarch64: 429 },
  fsopen: { x86_64: 430, aarch64: 430 },
  fsconfig: { x86_64: 431, aarch64: 431 },
  fsmount: { x86_64: 432, aarch64: 432 },
  fspick: { x86_64: 433, aarch64: 433 },
  mount_setattr: { x86_64: 442, aarch64: 442 },
  // other processes' memory
  ptrace: { x86_64: 101, aarch64: 117 },
  process_vm_readv: { x86_64: 310, aarch64: 270 },
  process_vm_writev: { x86_64: 311, aarch64: 271 },
  // kernel surface no program here needs
  keyctl: { x86_64: 250, aarch64: 219 },
  add_key: { x86_64: 248, aarch64: 217 },
  request_key: { x86_64: 249, aarch64: 218 },
  bpf: { x86_64: 321, aarch64: 280 },
  userfaultfd: { x86_64: 323, aarch64: 282 },
  perf_event_open: { x86_64: 298, aarch64: 241 },
  open_by_handle_at: { x86_64: 304, aarch64: 265 },
  kexec_load: { x86_64: 246, aarch64: 104 },
  kexec_file_load: { x86_64: 320, aarch64: 294 },
  init_module: { x86_64: 175, aarch64: 105 },
  finit_module: { x86_64: 313, aarch64: 273 },
  delete_module: { x86_64: 176, aarch64: 106 },
};

/** clone (flags in args[0] on both) and clone3 (flags in memory: refused as ENOSYS). */
export const CLONE_SYSCALLS = {
  clone: { x86_64: 56, aarch64: 220 },
  clone3: { x86_64: 435, aarch64: 435 },
} as const;

type Arch = 'x86_64' | 'aarch64';

/** An instruction whose jump targets may still be labels; resolved by `assemble`. */
interface Instruction {
  code: number;
  jt: number | string;
  jf: number | string;
  k: number;
}
type Line = Instruction | { label: string };

const load = (offset: number): Instruction => ({ code: BPF_LD | BPF_W | BPF_ABS, jt: 0, jf: 0, k: offset });
/** `if (A == value) goto ifEqual else goto otherwise` (0 = the next instruction). */
const jumpIfEqual = (
  value: number,
  ifEqual: number | string,
  otherwise: number | string = 0,
): Instruction => ({
  code: BPF_JMP | BPF_JEQ | BPF_K,
  jt: ifEqual,
  jf: otherwise,
  k: value,
});
const jumpIfAtLeast = (value: number, ifAtLeast: string, otherwise: number | string = 0): Instruction => ({
  code: BPF_JMP | BPF_JGE | BPF_K,
  jt: ifAtLeast,
  jf: otherwise,
  k: value,
});
const jumpIfAnyBit = (bits: number, ifAny: string, otherwise: string): Instruction => ({
  code: BPF_JMP | BPF_JSET | BPF_K,
  jt: ifAny,
  jf: otherwise,
  k: bits,
});
const ret = (value: number): Instruction => ({ code: BPF_RET | BPF_K, jt: 0, jf: 0, k: value });

/** The system-call table of one architecture: A holds the number when it starts. */
function archTable(arch: Arch): Line[] {
  return [
    jumpIfEqual(CLONE_SYSCALLS.clone3[arch], 'enosys'),
    jumpIfEqual(CLONE_SYSCALLS.clone[arch], 'clone-flags'),
    ...Object.values(DENIED_SYSCALLS).map((numbers) => jumpIfEqual(numbers[arch], 'eperm')),
    ret(SECCOMP_RET_ALLOW),
  ];
}

/** The program, as readable lines with labels. */
function program(): Line[] {
  return [
    load(SECCOMP_DATA_OFFSET.arch),
    jumpIfEqual(AUDIT_ARCH_X86_64, 'x86_64'),
    jumpIfEqual(AUDIT_ARCH_AARCH64, 'aarch64'),
    ret(SECCOMP_RET_KILL_PROCESS), // i386 (int 0x80), arm32, anything else: not a 64-bit Python's call
    { label: 'x86_64' },
    load(SECCOMP_DATA_OFFSET.nr),
    jumpIfAtLeast(X32_SYSCALL_BIT, 'kill'), // the x32 ABI: same kernel, other numbers
    ...archTable('x86_64'),
    { label: 'aarch64' },
    load(SECCOMP_DATA_OFFSET.nr),
    ...archTable('aarch64'),
    { label: 'clone-flags' },
    load(SECCOMP_DATA_OFFSET.arg0Low), // clone's flags (all CLONE_NEW* bits are in the low 32)
    jumpIfAnyBit(CLONE_NEW_FLAGS, 'eperm', 'allow'),
    { label: 'allow' },
    ret(SECCOMP_RET_ALLOW),
    { label: 'eperm' },
    ret(SECCOMP_RET_ERRNO | EPERM),
    { label: 'enosys' },
    ret(SECCOMP_RET_ERRNO | ENOSYS),
    { label: 'kill' },
    ret(SECCOMP_RET_KILL_PROCESS),
  ];
}

/** Resolves labels into forward jump distances and checks each fits in a u8. */
function assemble(lines: Line[]): { code: number; jt: number; jf: number; k: number }[] {
  const positions = new Map<string, number>();
  const instructions: Instruction[] = [];
  for (const line of lines) {
    if ('label' in line) positions.set(line.label, instructions.length);
    else instructions.push(line);
  }
  return instructions.map((instruction, index) => {
    const distance = (target: number | string): number => {
      if (typeof target === 'number') return target;
      const position = positions.get(target);
      if (position === undefined) throw new Error(`seccomp program: no label "${target}"`);
      const skip = position - (index + 1);
      if (skip < 0 || skip > 255)
        throw new Error(`seccomp program: jump to "${target}" out of range (${skip})`);
      return skip;
    };
    return {
      code: instruction.code,
      jt: distance(instruction.jt),
      jf: distance(instruction.jf),
      k: instruction.k,
    };
  });
}

let cached: Buffer | null = null;

/** The filter as bwrap reads it from `--seccomp FD`: an array of struct sock_filter. */
export function seccompFilter(): Buffer {
  if (cached) return cached;
  const instructions = assemble(program());
  const bytes = Buffer.alloc(instructions.length * SOCK_FILTER_BYTES);
  instructions.forEach(({ code, jt, jf, k }, index) => {
    const at = index * SOCK_FILTER_BYTES;
    bytes.writeUInt16LE(code, at);
    bytes.writeUInt8(jt, at + 2);
    bytes.writeUInt8(jf, at + 3);
    bytes.writeUInt32LE(k >>> 0, at + 4);
  });
  cached = bytes;
  return bytes;
}
