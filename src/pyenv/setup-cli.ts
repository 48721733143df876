/**
 * Run by `npm install` (the `prepare` script): installs bubblewrap where we are root with
 * apt, then makes the Python environment. It never fails the install: problems are
 * explained in one paragraph and `perflab doctor` shows them again later.
 */
import { ensurePythonEnvironment } from './setup.js';
import { ensureSystemPackages } from './system-packages.js';

const started = performance.now();
ensureSystemPackages((line) => console.log(line));
const result = ensurePythonEnvironment((line) => console.log(line));
switch (result.status) {
  case 'up-to-date':
    break;
  case 'created':
    console.log(`perflab: Python ${result.stamp.version} environment ready in .venv`);
    break;
  case 'no-python':
  case 'packages-failed':
    console.warn(`\nperflab: ${result.message}\n`);
    break;
}
if (process.env.PERFLAB_SETUP_TIMING)
  console.log(`perflab setup took ${(performance.now() - started).toFixed(0)} ms`);
