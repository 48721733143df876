/**
 * `perflab serve` as a user starts it (the built bin/perflab.js; npm test builds dist/ first):
 * it refuses to run learner code unisolated unless told, rejects a malformed --public-url,
 * and warns loudly when it listens where other machines can reach it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exposedWarning } from './serve.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'perflab.js');
const dataDir = mkdtempSync(join(tmpdir(), 'perflab-serve-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function serve(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', PERFLAB_SANDBOX: '', PERFLAB_PUBLIC_URL: '' },
  });
  return { code: result.status, stderr: result.stderr };
}

describe('perflab serve', () => {
  it('exits 3 rather than serve with the unisolated process backend, saying what to install and which flag', () => {
    const { code, stderr } = serve('--sandbox', 'process');
    expect(code, stderr).toBe(3);
    expect(stderr).toMatch(/unisolated/);
    expect(stderr).toMatch(/apt-get install bubblewrap/);
    expect(stderr).toMatch(/--allow-unisolated/);
  });

  it('refuses a --public-url that is not an http(s) origin (exit 2)', () => {
    for (const url of ['perflab.example.org', 'ftp://x.example', 'https://x.example/path']) {
      const { code, stderr } = serve('--public-url', url);
      expect(code, `${url}: ${stderr}`).toBe(2);
      expect(stderr).toMatch(/--public-url (must|is an origin)/);
    }
  });

  it('warns loudly for an address other machines can reach, not for loopback', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20']) {
      const warning = exposedWarning(host);
      expect(warning, host).toMatch(/WARNING/);
      expect(warning, host).toMatch(/no accounts/);
      expect(warning, host).toMatch(/--public-url/);
    }
    for (const host of ['127.0.0.1', 'localhost', '::1']) expect(exposedWarning(host), host).toBeNull();
  });
});
