import { describe, expect, it } from 'vitest';
import {
  candidateList,
  isText,
  jobFiles,
  MAX_FILE_BYTES,
  readUploads,
  refusal,
  splitArgs,
  toBase64,
  type Upload,
} from './uploads';

describe('splitArgs', () => {
  it('splits on white space and keeps quoted parts whole, like a shell', () => {
    expect(splitArgs(`--size 1000 "a file.csv" 'single quoted' plain`)).toEqual([
      '--size',
      '1000',
      'a file.csv',
      'single quoted',
      'plain',
    ]);
  });

  it('unescapes inside double quotes only, and keeps empty quoted arguments', () => {
    expect(splitArgs(String.raw`"say \"hi\"" 'a\b' ""`)).toEqual(['say "hi"', String.raw`a\b`, '']);
    expect(splitArgs('   ')).toEqual([]);
  });
});

describe('refusal', () => {
  const empty = { count: 0, totalBytes: 0 };

  it('admits a file within every limit', () => {
    expect(refusal({ name: 'data.csv', size: MAX_FILE_BYTES }, empty)).toBeNull();
  });

  it('refuses main.py (the editor holds it), a file over 1 MiB, 5 MiB in all, or a 50th file', () => {
    expect(refusal({ name: 'main.py', size: 10 }, empty)).toMatch(/script in the editor is main.py/);
    expect(refusal({ name: 'big.bin', size: MAX_FILE_BYTES + 1 }, empty)).toMatch(/files are limited to/);
    expect(refusal({ name: 'more.csv', size: 2 }, { count: 3, totalBytes: 5 * 1024 * 1024 - 1 })).toMatch(
      /over .* in all/,
    );
    expect(refusal({ name: 'x.csv', size: 1 }, { count: 49, totalBytes: 0 })).toBe(
      'x.csv: at most 49 files can be uploaded.',
    );
  });
});

describe('isText and toBase64', () => {
  it('reads UTF-8 without NUL bytes as text, anything else as binary', () => {
    expect(isText(new TextEncoder().encode('naïve π\n'))).toBe(true);
    expect(isText(new Uint8Array([0x61, 0x00, 0x62]))).toBe(false);
    expect(isText(new Uint8Array([0xff, 0xfe]))).toBe(false);
  });

  it('encodes binary data as standard base64, also past the 32 KiB step', () => {
    expect(toBase64(new Uint8Array([0, 255, 1]))).toBe('AP8B');
    const big = new Uint8Array(0x8000 * 2 + 3).map((_, i) => i % 251);
    expect(atob(toBase64(big))).toBe(String.fromCharCode(...big));
  });
});

describe('readUploads', () => {
  it('reads text as text and binary as base64, and names each refused file', async () => {
    const existing: Upload[] = [{ path: 'old.csv', content: 'x', base64: false, sizeBytes: 1 }];
    const { added, errors } = await readUploads(
      [
        new File(['a,b\n1,2\n'], 'table.csv'),
        new File([new Uint8Array([0, 1, 2])], 'blob.bin'),
        new File(['print()'], 'main.py'),
      ],
      existing,
    );
    expect(added).toEqual([
      { path: 'table.csv', content: 'a,b\n1,2\n', base64: false, sizeBytes: 8 },
      { path: 'blob.bin', content: 'AAEC', base64: true, sizeBytes: 3 },
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^main.py:/);
  });

  it('counts the files it has just read against the total', async () => {
    const half = 'x'.repeat(MAX_FILE_BYTES);
    const chosen = Array.from({ length: 6 }, (_, i) => new File([half], `part${i}.txt`));
    const { added, errors } = await readUploads(chosen, []);
    expect(added.map((u) => u.path)).toEqual([
      'part0.txt',
      'part1.txt',
      'part2.txt',
      'part3.txt',
      'part4.txt',
    ]);
    expect(errors).toEqual([expect.stringMatching(/^part5.txt would take the upload over/)]);
  });
});

describe('jobFiles and candidateList', () => {
  it('sends main.py first, then each upload with its encoding', () => {
    const uploads: Upload[] = [{ path: 'blob.bin', content: 'AAEC', base64: true, sizeBytes: 3 }];
    expect(jobFiles('print(1)', uploads)).toEqual([
      { path: 'main.py', content: 'print(1)' },
      { path: 'blob.bin', content: 'AAEC', base64: true },
    ]);
  });

  it('takes one candidate a line, trimmed, without blank lines', () => {
    expect(candidateList('  primes_slow \n\n primes_sieve\n')).toEqual(['primes_slow', 'primes_sieve']);
  });
});
