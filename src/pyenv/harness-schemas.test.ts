import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateHarnessSchemas, staleHarnessSchemas } from './harness-schemas.js';

describe('harness JSON Schemas', () => {
  it('the committed files are what the zod documents generate now (run `npm run build` when not)', () => {
    expect(staleHarnessSchemas()).toEqual([]);
  });

  it('names a file that differs from the zod documents', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perflab-schemas-'));
    for (const [file, text] of Object.entries(generateHarnessSchemas())) writeFileSync(join(dir, file), text);
    expect(staleHarnessSchemas(dir)).toEqual([]);
    const job = JSON.parse(readFileSync(join(dir, 'job.schema.json'), 'utf8')) as { required: string[] };
    job.required = job.required.filter((field) => field !== 'entry');
    writeFileSync(join(dir, 'job.schema.json'), JSON.stringify(job, null, 2) + '\n');
    expect(staleHarnessSchemas(dir)).toEqual(['job.schema.json']);
  });

  it('carries the constraints the harness relies on', () => {
    const job = JSON.parse(generateHarnessSchemas()['job.schema.json']) as Record<string, unknown>;
    const text = JSON.stringify(job);
    // The grade checks reach the harness through the job document's grade section.
    expect(text).toContain('cpu-scaling');
    expect(text).toContain('requestTimeoutS');
    expect(job.required).toEqual(expect.arrayContaining(['schema', 'mode', 'entry', 'argv', 'rlimits']));
  });
});
