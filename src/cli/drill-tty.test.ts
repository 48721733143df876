/**
 * `perflab drill` on a real terminal: a pseudo-terminal (Python's pty module, from the
 * project's venv) presses single keys in raw mode — Space reveals, 3 grades, Ctrl-C quits —
 * and after the command has exited, `stty -a` on the same terminal shows it back in
 * canonical mode with echo. (Node also resets the terminal when it exits, so that check holds
 * whoever restores it; the DrillInput test below shows `close()` itself leaves raw mode,
 * which matters while the command still runs: the summary, a crash's message.)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { LOCAL_LEARNER_ID } from '../store/index.js';
import { BIN, ROOT, scratchDir, withDataDirStore } from './cli.test-support.js';
import { DrillInput } from './drill/input.js';

const PYTHON = join(ROOT, '.venv', 'bin', 'python');

/**
 * Runs `command` in a shell on a pseudo-terminal; for each [text, keys] step waits until the
 * output shows `text` (10 s at most), then types `keys`; prints everything the terminal showed.
 */
const DRIVER = `
import json, os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp("sh", ["sh", "-c", sys.argv[1]])
seen = b""
def read_until(text, seconds):
    global seen
    end = time.time() + seconds
    while time.time() < end and (text is None or text.encode() not in seen):
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            seen += chunk
for text, keys in json.loads(sys.argv[2]):
    read_until(text, 10)
    os.write(fd, keys.encode())
read_until(None, 10)
os.waitpid(pid, 0)
sys.stdout.write(seen.decode("utf-8", "replace"))
`;

function onTerminal(command: string, steps: [string, string][]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(PYTHON, ['-c', DRIVER, command, JSON.stringify(steps)], { timeout: 60_000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout.replace(/\r/g, '')),
    ),
  );
}

describe('perflab drill on a terminal', () => {
  it('reads single keys in raw mode, and Ctrl-C leaves the terminal as it was, with the grade kept', async () => {
    const scratch = scratchDir('perflab-drill-tty');
    const dataDir = mkdtempSync(join(scratch, 'data-'));
    const shell =
      `NO_COLOR=1 PERFLAB_HOME='${scratch}' PERFLAB_DATA_DIR='${dataDir}' '${process.execPath}' '${BIN}' drill --module 03; ` +
      'echo "exit=$?"; stty -a';
    const screen = await onTerminal(shell, [
      ['Space/Enter reveal', ' '],
      ['3 good', '3'],
      ['✓ good', '\u0003'],
    ]);
    expect(screen).toMatch(/^Answer$/m);
    expect(screen).toMatch(/Reviewed 1 ·/);
    expect(screen).toContain('exit=130');
    expect(screen).not.toMatch(/\n\s+at /);
    // stty lists a mode that is off with a leading "-": both must be on again.
    const modes = screen.slice(screen.indexOf('exit=130')).split(/\s+/);
    expect(modes).toContain('icanon');
    expect(modes).toContain('echo');
    await withDataDirStore(dataDir, async (store) =>
      expect(await store.getDrillCards(LOCAL_LEARNER_ID)).toHaveLength(1),
    );
  }, 90_000);
});

describe('DrillInput on a terminal', () => {
  it('turns raw mode on for single keys, reads Ctrl-C as interrupt, and turns raw mode off on close', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: vi.fn() });
    const input = new DrillInput(stdin as unknown as NodeJS.ReadStream);
    expect(input.keys).toBe(true);
    expect(stdin.setRawMode).toHaveBeenLastCalledWith(true);
    stdin.write(' 3\u0003');
    expect(await input.next()).toEqual({ type: 'reveal' });
    expect(await input.next()).toEqual({ type: 'numbers', values: [3] });
    expect(await input.next()).toEqual({ type: 'interrupt' });
    // Once interrupted, every later read says so again: no flow can miss it.
    expect(await input.next()).toEqual({ type: 'interrupt' });
    input.close();
    expect(stdin.setRawMode).toHaveBeenLastCalledWith(false);
  });

  it('gives a timeout when nothing comes in time, and keeps what comes after for the next read', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: vi.fn() });
    const input = new DrillInput(stdin as unknown as NodeJS.ReadStream);
    expect(await input.next(20)).toEqual({ type: 'timeout' });
    stdin.write('f');
    expect(await input.next(1000)).toEqual({ type: 'full' });
    input.close();
  });
});
