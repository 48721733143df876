import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

/** The repository root: two levels above this file in both src/pyenv and dist/pyenv. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VENV_DIR = join(PROJECT_ROOT, '.venv');
export const PYTHON_DIR = join(PROJECT_ROOT, 'python');
export const REQUIREMENTS_FILE = join(PYTHON_DIR, 'requirements.txt');
export const STAMP_FILE = join(VENV_DIR, 'perflab-stamp.json');
