/**
 * Where a learner's progress, saved code and job history live: one SQLite database in a data
 * dir shared by `perflab serve` and the terminal commands, so the browser and the terminal
 * show the same progress. Only Node built-ins here: main.ts imports this at every start.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The per-user perflab folder: $PERFLAB_HOME, default ~/.perflab. */
export function perflabHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.PERFLAB_HOME || join(homedir(), '.perflab');
}

/** The data dir of the per-user perflab folder. */
export function homeDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(perflabHome(env), 'data');
}

/** The data dir when no --data-dir is given: $PERFLAB_DATA_DIR, else $PERFLAB_HOME/data. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PERFLAB_DATA_DIR || homeDataDir(env);
}
