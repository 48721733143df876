/**
 * The output cap and the result document of a run, on made-up bytes (the contract and hostile
 * suites check the same through real runs).
 */
import { describe, expect, it } from 'vitest';
import { HarnessDocumentReader, OutputCollector } from './run-output.js';
import type { OutputChunk } from './types.js';

function collector(capBytes: number) {
  const calls = { capReached: 0, streamed: [] as OutputChunk[] };
  const output = new OutputCollector(
    capBytes,
    performance.now(),
    () => calls.capReached++,
    (chunk) => calls.streamed.push(chunk),
  );
  return { output, calls };
}

describe('OutputCollector', () => {
  it('keeps both streams in arrival order and streams each chunk as it comes', () => {
    const { output, calls } = collector(1024);
    output.listener('stdout')(Buffer.from('a'));
    output.listener('stderr')(Buffer.from('b'));
    output.listener('stdout')(Buffer.from('c'));
    expect(output.chunks.map((c) => `${c.stream}:${c.text}`)).toEqual(['stdout:a', 'stderr:b', 'stdout:c']);
    expect(calls.streamed).toEqual(output.chunks);
    expect(output.bytes).toBe(3);
    expect(output.truncated).toBe(false);
    expect(calls.capReached).toBe(0);
  });

  it('cuts the chunk that crosses the cap at the cap, says so once, and keeps nothing after', () => {
    const { output, calls } = collector(10);
    const stdout = output.listener('stdout');
    stdout(Buffer.from('12345678'));
    stdout(Buffer.from('abcdef'));
    stdout(Buffer.from('more'));
    expect(output.chunks.map((c) => c.text)).toEqual(['12345678', 'ab']);
    expect(output.bytes).toBe(10);
    expect(output.truncated).toBe(true);
    expect(calls.capReached).toBe(1);
  });

  it('counts a chunk that ends exactly at the cap as within it', () => {
    const { output, calls } = collector(4);
    output.listener('stdout')(Buffer.from('1234'));
    expect(output.truncated).toBe(false);
    output.listener('stdout')(Buffer.from('5'));
    expect(output.truncated).toBe(true);
    expect(output.chunks.map((c) => c.text)).toEqual(['1234']);
    expect(calls.streamed).toHaveLength(1);
  });
});

describe('HarnessDocumentReader', () => {
  it('parses a document that arrived in pieces', () => {
    const reader = new HarnessDocumentReader();
    reader.take(Buffer.from('{"schema": "perflab.har'));
    reader.take(Buffer.from('ness/1", "exitCode": 0}'));
    expect(reader.parse()).toEqual({ document: { schema: 'perflab.harness/1', exitCode: 0 }, error: null });
  });

  it('says when no document arrived', () => {
    expect(new HarnessDocumentReader().parse()).toEqual({
      document: null,
      error: 'no harness document arrived (the program ended the process itself, or was killed)',
    });
  });

  it('says when the document is not JSON', () => {
    const reader = new HarnessDocumentReader();
    reader.take(Buffer.from('{"cut off'));
    const parsed = reader.parse();
    expect(parsed.document).toBeNull();
    expect(parsed.error).toMatch(/^the harness document is not JSON: /);
  });

  it('refuses a document over 128 MiB without keeping it', () => {
    const reader = new HarnessDocumentReader();
    const mebibyte = Buffer.alloc(1024 * 1024, 0x20);
    for (let i = 0; i <= 128; i++) reader.take(mebibyte);
    expect(reader.parse()).toEqual({
      document: null,
      error: `the harness document was larger than ${128 * 1024 * 1024} bytes`,
    });
  });
});
