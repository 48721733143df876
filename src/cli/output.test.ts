/**
 * The built `perflab` command writes all of its output before it exits, whatever stdout is:
 * a slow pipe (a reader that sleeps between small reads) gets the whole document, and errors
 * a command reports are whole sentences with the documented exit status. Real processes,
 * real sandbox (npm test builds dist/ first).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, fileWriter, scratchDir, spawnPerflab } from './cli.test-support.js';

const scratch = scratchDir('perflab-output');
const cliTmp = scratchDir('perflab-output-tmp');
const ENV = { ...process.env, NO_COLOR: '1', TMPDIR: cliTmp };
const write = fileWriter(scratch);

/** 3000 distinct functions: the profile's JSON document (function table, call tree, speedscope) is ~2 MB. */
function manyFunctionsScript(): string {
  const functions = Array.from(
    { length: 3000 },
    (_, i) => `def function_with_a_fairly_long_name_${i}(x):\n    return x + ${i}\n`,
  ).join('');
  return write(
    'many_functions.py',
    functions +
      'total = 0\nfor i in range(3000):\n    total += globals()[f"function_with_a_fairly_long_name_{i}"](i)\nprint(total)\n',
  );
}

/**
 * A reader that takes 4 KiB, then sleeps 3 ms, until EOF, and only then writes everything
 * to its stdout: a 2 MB document takes it about 1.5 s, long after perflab has finished its
 * work, so anything perflab has not written by the time it exits is lost.
 */
const SLOW_READER = `
const fs = require('node:fs');
const chunk = Buffer.alloc(4096);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const parts = [];
for (;;) {
  const n = fs.readSync(0, chunk, 0, chunk.length, null);
  if (n === 0) break;
  parts.push(Buffer.from(chunk.subarray(0, n)));
  Atomics.wait(sleeper, 0, 0, 3);
}
fs.writeFileSync(1, Buffer.concat(parts));
`;

describe('perflab output through a slow pipe', () => {
  it('delivers a profile --json document over 1 MB whole, and exits 0', () => {
    const script = manyFunctionsScript();
    const reader = write('slow-reader.cjs', SLOW_READER);
    const out = join(scratch, 'profile.json');
    // pipefail: the pipeline's status is perflab's (the reader exits 0).
    const result = spawnSync(
      'bash',
      [
        '-c',
        'set -o pipefail; "$0" "$1" profile "$2" --json | "$0" "$3" > "$4"',
        process.execPath,
        BIN,
        script,
        reader,
        out,
      ],
      { encoding: 'utf8', timeout: 120_000, env: ENV },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const text = readText(out);
    expect(text.length).toBeGreaterThan(1024 * 1024);
    const document = JSON.parse(text) as { schema: string; profile: { status: string } };
    expect(document.schema).toMatch(/^perflab\.cli\.profile\//);
    expect(document.profile.status).toBe('ok');
  });
});

describe('perflab output to a reader that goes away early', () => {
  it('profile --json | head -c 100: no EPIPE stack trace, exit status 0', () => {
    // ~2 MB: far more than the pipe holds, so writes are still queued when head exits.
    const script = manyFunctionsScript();
    const result = spawnSync(
      'bash',
      [
        '-c',
        'set -o pipefail; "$0" "$1" profile "$2" --json | head -c 100 > /dev/null',
        process.execPath,
        BIN,
        script,
      ],
      { encoding: 'utf8', timeout: 120_000, env: ENV },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('perflab timeit with no valid candidate', () => {
  it('names every candidate and why it is invalid, exit status 2, in text and JSON', () => {
    const file = write('candidates.py', 'LIMIT = 3\n\ndef needs_arg(n):\n    return n\n');
    const args = ['timeit', file, 'missing_function', 'needs_arg', 'broken(('];
    const text = spawnPerflab(args, { env: { TMPDIR: cliTmp } });
    expect(text.stderr).not.toMatch(/Reduce of empty array|internal error/);
    expect(text.stderr).toMatch(/missing_function.*NameError/);
    expect(text.stderr).toMatch(/needs_arg.*TypeError/);
    expect(text.stderr).toMatch(/broken\(\(.*not a valid Python expression/);
    expect(text.code).toBe(2);

    const json = spawnPerflab([...args, '--json'], { env: { TMPDIR: cliTmp } });
    expect(json.code).toBe(2);
    const document = JSON.parse(json.stdout) as { comparison: unknown; status: string; message: string };
    expect(document.comparison).toBeNull();
    expect(document.status).toBe('setup-error');
    for (const name of ['missing_function', 'needs_arg', 'broken(('])
      expect(document.message).toContain(name);
  });
});

function readText(path: string): string {
  return spawnSync('cat', [path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout;
}
