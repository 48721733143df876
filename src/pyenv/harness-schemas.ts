/**
 * The harness contract as JSON Schema, generated from the zod documents in core: the Python
 * harness validates the documents it receives against these files, and its tests validate
 * every document it produces against them, so the contract is written once (in core).
 *
 * The files are committed (python/perflab_harness/schemas/) because the harness runs from
 * the source tree without Node; `npm run build` rewrites them, and harness-schemas.test.ts
 * fails when the committed files differ from what core generates now.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  harnessResultSchema,
  hiddenDocumentSchema,
  jobDocumentSchema,
  stackDumpSchema,
} from '../core/documents.js';
import { PYTHON_DIR } from './paths.js';

export const HARNESS_SCHEMA_DIR = join(PYTHON_DIR, 'perflab_harness', 'schemas');

/**
 * io 'input': what zod accepts when it parses (unknown keys allowed, optional fields may be
 * absent), which is the contract on both sides. Draft 7, because that is the newest draft
 * fastjsonschema (the harness's validator) implements.
 */
const SCHEMAS = {
  'job.schema.json': jobDocumentSchema,
  'hidden.schema.json': hiddenDocumentSchema,
  'result.schema.json': harnessResultSchema,
  'stacks.schema.json': stackDumpSchema,
} as const;

export type HarnessSchemaFile = keyof typeof SCHEMAS;

/** Each schema file's text as core generates it now (stable key order, trailing newline). */
export function generateHarnessSchemas(): Record<HarnessSchemaFile, string> {
  const entries = Object.entries(SCHEMAS).map(([file, schema]) => [
    file,
    `${JSON.stringify(z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }), null, 2)}\n`,
  ]);
  return Object.fromEntries(entries) as Record<HarnessSchemaFile, string>;
}

/** The schema files that differ from the committed ones (or are missing). */
export function staleHarnessSchemas(dir = HARNESS_SCHEMA_DIR): HarnessSchemaFile[] {
  return Object.entries(generateHarnessSchemas())
    .filter(([file, text]) => {
      try {
        return readFileSync(join(dir, file), 'utf8') !== text;
      } catch {
        return true;
      }
    })
    .map(([file]) => file as HarnessSchemaFile);
}

export function writeHarnessSchemas(dir = HARNESS_SCHEMA_DIR): HarnessSchemaFile[] {
  const stale = staleHarnessSchemas(dir);
  const generated = generateHarnessSchemas();
  for (const file of stale) writeFileSync(join(dir, file), generated[file]);
  return stale;
}
