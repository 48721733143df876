/** The environment every harness process starts with: built from scratch, nothing of the host's. */
import { HIDDEN_FD, RESULT_FD } from './pipes.js';

export interface HarnessEnvironmentOptions {
  venvBin: string;
  workDir: string;
  harnessDir: string;
  socketPath: string;
  extra?: Record<string, string>;
}

export function harnessEnvironment(options: HarnessEnvironmentOptions): Record<string, string> {
  const extra = Object.fromEntries(
    Object.entries(options.extra ?? {}).filter(([key]) => /^PERFLAB_[A-Z0-9_]+$/.test(key)),
  );
  return {
    PATH: `${options.venvBin}:/usr/local/bin:/usr/bin:/bin`,
    HOME: options.workDir,
    USER: 'learner',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TERM: 'dumb',
    PYTHONPATH: `${options.harnessDir}/startup:${options.harnessDir}`,
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONIOENCODING: 'utf-8',
    PERFLAB_RESULT_FD: String(RESULT_FD),
    PERFLAB_HIDDEN_FD: String(HIDDEN_FD),
    PERFLAB_DIAG_SOCKET: options.socketPath,
    ...extra,
  };
}
