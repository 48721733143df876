/**
 * The stack-dump channel's bounds, driven from Node clients (the in-sandbox flood is in
 * hostile.test.ts): it listens only while asked, and caps connections and bytes per run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiagServer, MAX_CONNECTIONS, MAX_TOTAL_BYTES } from './diag-server.js';

/** Connects, sends `payload`, and resolves once the connection is over (or failed). */
function send(path: string, payload: Buffer): Promise<'sent' | 'failed'> {
  return new Promise((resolve) => {
    const socket = connect(path);
    let failed = false;
    socket.on('error', () => {
      failed = true;
    });
    socket.on('close', () => resolve(failed ? 'failed' : 'sent'));
    socket.on('connect', () => socket.end(payload));
  });
}

const stackDocument = JSON.stringify({
  schema: 'perflab.stacks/1',
  pid: 7,
  ppid: 1,
  argv: ['main.py'],
  threads: [{ name: 'MainThread', ident: 1, daemon: false, isMain: true, frames: [] }],
});

describe('DiagServer', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses connections while the host is not asking for stacks', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perflab-diag-'));
    const diag = DiagServer.create(join(dir, 'diag.sock'));
    expect(await send(join(dir, 'diag.sock'), Buffer.from(stackDocument))).toBe('failed');
    await diag.open();
    await send(join(dir, 'diag.sock'), Buffer.from(stackDocument));
    await diag.stopAccepting();
    expect(await send(join(dir, 'diag.sock'), Buffer.from(stackDocument))).toBe('failed');
    await diag.close();
    expect(diag.dumps.map((d) => d.pid)).toEqual([7]);
  });

  it('keeps at most its connection and byte budget from 400 connections of 500 KB', async () => {
    // The reproduction grew the server by 175 MB.
    dir = mkdtempSync(join(tmpdir(), 'perflab-diag-'));
    const path = join(dir, 'diag.sock');
    const diag = DiagServer.create(path);
    await diag.open();
    const payload = Buffer.alloc(500 * 1024, 'x');
    await Promise.all(Array.from({ length: 400 }, () => send(path, payload)));
    await diag.close();
    expect(diag.stats.connections).toBeLessThanOrEqual(MAX_CONNECTIONS);
    expect(diag.stats.connections + diag.stats.refusedConnections).toBeGreaterThan(MAX_CONNECTIONS);
    expect(diag.stats.bytesReceived).toBeLessThanOrEqual(MAX_TOTAL_BYTES);
    expect(diag.stats.peakBufferedBytes).toBeLessThanOrEqual(MAX_TOTAL_BYTES);
    expect(diag.dumps).toEqual([]);
  });
});
