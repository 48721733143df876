/**
 * The fallback backend for machines where bubblewrap cannot run: the harness runs as a plain
 * child process with rlimits, its own process group and a scratch environment. It is NOT
 * isolated: the program can read and write whatever the user running perflab can, and reach
 * the network. Every result and `perflab doctor` say so.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PythonRuntime } from '../core/runtime.js';
import { harnessEnvironment } from './environment.js';
import { executeRun } from './execute.js';
import type { ExecuteOptions, LaunchPlan } from './launch.js';
import type { SandboxOutcome, SandboxRunSpec } from './types.js';
import type { LaunchableSandbox } from './pool.js';

export class ProcessSandbox implements LaunchableSandbox {
  readonly name = 'process (not isolated)';
  readonly isolated = false;
  constructor(private readonly options: { runtime: PythonRuntime }) {}

  run(spec: SandboxRunSpec): Promise<SandboxOutcome> {
    return executeRun(spec, this.executeOptions());
  }

  executeOptions(): ExecuteOptions {
    const { runtime } = this.options;
    return {
      backendName: this.name,
      isolated: false,
      useCgroups: false,
      dropPrivileges: null,
      launcherPython: join(runtime.venvDir, 'bin', 'python'),
      plan: async (staged, launch): Promise<LaunchPlan> => {
        const workDir = join(staged.dir, 'work');
        await mkdir(workDir, { mode: 0o700 });
        const env = {
          ...harnessEnvironment({
            venvBin: join(runtime.venvDir, 'bin'),
            workDir,
            harnessDir: runtime.harnessDir,
            socketPath: staged.socketPath,
            extra: launch.env,
          }),
          PERFLAB_INPUT_DIR: staged.inputDir,
          PERFLAB_JOB_FILE: staged.jobFile,
          PERFLAB_WORK_DIR: workDir,
        };
        return {
          command: join(runtime.venvDir, 'bin', 'python'),
          args: ['-m', 'perflab_harness'],
          env,
          // perflab-harness: the harness's supervisor, which runs no learner code (harness-protocol.md).
          infrastructureCommands: ['perflab-harness'],
        };
      },
    };
  }
}
