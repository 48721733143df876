import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { PythonRuntime } from '../core/runtime.js';
import { PYTHON_DIR, STAMP_FILE, VENV_DIR } from './paths.js';

export const stampSchema = z.object({
  schema: z.literal('perflab.venv-stamp/1'),
  requirementsSha256: z.string(),
  baseExecutable: z.string(),
  basePrefix: z.string(),
  version: z.string(),
  packagesInstalled: z.boolean(),
});
export type VenvStamp = z.infer<typeof stampSchema>;

export function readStamp(): VenvStamp | null {
  try {
    return stampSchema.parse(JSON.parse(readFileSync(STAMP_FILE, 'utf8')));
  } catch {
    return null;
  }
}

export class RuntimeMissingError extends Error {
  override name = 'RuntimeMissingError';
}

/** The runtime made by `npm install`; throws with the fix when it is missing. */
export function loadRuntime(): PythonRuntime {
  const stamp = readStamp();
  if (!stamp || !existsSync(join(VENV_DIR, 'bin', 'python'))) {
    throw new RuntimeMissingError(
      'The Python environment (.venv) is missing. Run `npm install` in the perflab folder ' +
        '(it needs Python ≥ 3.10 on PATH), then `npx perflab doctor` to check.',
    );
  }
  return { venvDir: VENV_DIR, basePrefix: stamp.basePrefix, version: stamp.version, harnessDir: PYTHON_DIR };
}
