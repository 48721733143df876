/**
 * Run by `npm run build`: rewrites python/perflab_harness/schemas/*.json from core's zod
 * documents, then has the venv's fastjsonschema compile them into python/perflab_contract/.
 * On a fresh clone the build runs before `.venv` exists; the committed validators stand
 * until then (python/tests/test_contract.py says when they are stale).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeHarnessSchemas } from './harness-schemas.js';
import { PYTHON_DIR, VENV_DIR } from './paths.js';

for (const file of writeHarnessSchemas())
  console.log(`perflab: wrote python/perflab_harness/schemas/${file}`);

const python = join(VENV_DIR, 'bin', 'python');
if (existsSync(python)) {
  const compiled = spawnSync(python, ['-m', 'perflab_contract.generate'], {
    cwd: PYTHON_DIR,
    stdio: 'inherit',
  });
  if (compiled.status !== 0) {
    console.warn(
      'perflab: could not regenerate python/perflab_contract (is fastjsonschema installed in .venv?)',
    );
  }
  // The sandbox mounts python/ read-only, so a validator rewritten without its .pyc would be
  // compiled again on every run; compileall skips files that are up to date.
  spawnSync(python, ['-m', 'compileall', '-q', PYTHON_DIR], { stdio: 'ignore' });
}
