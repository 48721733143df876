/** Where the Python that runs learner code lives. Found by src/pyenv, used by src/sandbox. */
export interface PythonRuntime {
  /** Absolute path of the project's virtual environment (`.venv`). */
  venvDir: string;
  /** `sys.base_prefix` of the interpreter the venv was made from: its stdlib lives there. */
  basePrefix: string;
  /** Python version as `major.minor.micro`. */
  version: string;
  /** The repository's `python/` folder: the harness package and its start-up hook. */
  harnessDir: string;
}
