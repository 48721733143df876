/**
 * The first process of every run: joins the run's cgroups (so every descendant is counted),
 * closes every descriptor but the sandbox's own pipes, then execs the sandbox. Node hands a
 * child every descriptor its own process inherited without close-on-exec (a shell's
 * `exec 100>>file`, a server's parent's pipe), and neither bubblewrap nor the harness closes
 * them; learner code wrote into a root-owned host file through one.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { LAUNCH_INPUT_FD, SANDBOX_PIPE_COUNT } from './pipes.js';

/**
 * Perl where there is one (perl-base is essential on Debian and Ubuntu): it starts several
 * times faster than `python -I -S`, and the launcher is on every cold run's path (README has
 * the measurements). close_range(2) is syscall 436 on every architecture (Linux ≥ 5.9); on an
 * older kernel the launcher closes what /proc/self/fd lists instead. The Python version
 * (os.closerange: close_range or the same walk) is the fallback; both are tested.
 * argv after the source: <descriptors to keep> <number of cgroup files> <cgroup files...>
 * <command> <args...>
 */
export const PERL_LAUNCHER_SOURCE = [
  'my ($keep, $count) = splice(@ARGV, 0, 2);',
  'for my $path (splice(@ARGV, 0, $count)) {',
  '  sysopen(my $file, $path, 1) or die "perflab launcher: $path: $!\\n";',
  '  defined(syswrite($file, "$$\\n")) or die "perflab launcher: $path: $!\\n";',
  '  close($file);',
  '}',
  // syscall passes a string as a pointer: $keep must be made a number first.
  'if (syscall(436, $keep + 0, 0xffffffff, 0) != 0) {',
  '  opendir(my $dir, "/proc/self/fd") or die "perflab launcher: /proc/self/fd: $!\\n";',
  '  my @open = grep { /^\\d+$/ && $_ >= $keep } readdir($dir);',
  '  closedir($dir);',
  '  require POSIX;',
  '  POSIX::close($_) for @open;',
  '}',
  'exec { $ARGV[0] } @ARGV or die "perflab launcher: $ARGV[0]: $!\\n";',
].join('\n');

const PYTHON_LAUNCHER_SOURCE = [
  'import os, sys',
  'keep, count = int(sys.argv[1]), int(sys.argv[2])',
  'for path in sys.argv[3 : 3 + count]:',
  '    fd = os.open(path, os.O_WRONLY)',
  '    os.write(fd, b"%d\\n" % os.getpid())',
  '    os.close(fd)',
  'os.closerange(keep, 2**31 - 1)',
  'os.execvp(sys.argv[3 + count], sys.argv[3 + count :])',
].join('\n');

const PERL_PATHS = ['/usr/bin/perl', '/bin/perl'];
let perlPath: string | null | undefined;

/**
 * The launcher's command and the arguments before its own: perl when installed, else the
 * runtime's Python with `-I -S` (no environment, no site packages).
 */
export function launcherCommand(
  python: string,
  kind: 'auto' | 'perl' | 'python' = 'auto',
): { command: string; args: string[] } {
  if (kind !== 'python') {
    perlPath ??= PERL_PATHS.find((path) => existsSync(path)) ?? null;
    if (perlPath) return { command: perlPath, args: ['-e', PERL_LAUNCHER_SOURCE] };
    if (kind === 'perl') throw new Error('perl is not installed');
  }
  return { command: python, args: ['-I', '-S', '-c', PYTHON_LAUNCHER_SOURCE] };
}

export interface LauncherRequest {
  /** The runtime's Python, for the launcher where perl is missing. */
  python: string;
  /** Files the launcher writes its pid into before exec (the run's cgroup `*.procs`). */
  procsFiles: string[];
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Bytes for descriptor LAUNCH_INPUT_FD, which the launcher keeps open for the command. */
  launchInput?: Buffer;
}

export type SandboxChild = ChildProcessByStdio<Writable, Readable, Readable>;

/**
 * Starts `command` through the launcher, in its own process group, with the sandbox's pipes
 * (plus LAUNCH_INPUT_FD when there is launch input, written and closed at once).
 */
export function spawnThroughLauncher(request: LauncherRequest): SandboxChild {
  const descriptors = SANDBOX_PIPE_COUNT + (request.launchInput ? 1 : 0);
  const launcher = launcherCommand(request.python);
  const child = spawn(
    launcher.command,
    [
      ...launcher.args,
      String(descriptors),
      String(request.procsFiles.length),
      ...request.procsFiles,
      request.command,
      ...request.args,
    ],
    {
      env: request.env,
      stdio: Array.from({ length: descriptors }, () => 'pipe'),
      detached: true,
    },
  ) as unknown as SandboxChild;
  if (request.launchInput) {
    const input = (child.stdio as unknown as Writable[])[LAUNCH_INPUT_FD];
    input?.on('error', () => undefined);
    input?.end(request.launchInput);
  }
  return child;
}
