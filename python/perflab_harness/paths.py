"""Where a piece of code lives: the learner's work dir, the standard library, installed
packages, the interpreter itself, or the harness (whose frames learners never see)."""

import os
import runpy
import sysconfig

HARNESS_DIR = os.path.dirname(os.path.abspath(__file__))

# runpy is frozen in 3.11+, so its code objects say "<frozen runpy>" rather than a path.
_RUNPY_FILES = frozenset({"<frozen runpy>", os.path.abspath(runpy.__file__)})

# cProfile labels C functions with this pseudo file name.
BUILTIN_FILE = "~"


def is_harness_file(filename):
    """True for code of this package and of runpy, which sits between us and the entry."""
    return filename in _RUNPY_FILES or filename.startswith(HARNESS_DIR + os.sep)


def _unique_dirs(paths):
    dirs = []
    for path in paths:
        if path:
            normalized = os.path.abspath(path)
            if normalized not in dirs:
                dirs.append(normalized)
    return dirs


class CodeLocator:
    """Classifies code files and turns work-dir paths into the relative form the host shows."""

    def __init__(self, work_dir):
        self.work_dir = os.path.abspath(work_dir)
        install_paths = sysconfig.get_paths()
        self._site_dirs = _unique_dirs([install_paths.get("purelib"), install_paths.get("platlib")])
        # In a venv "platstdlib" is the venv's lib dir, which holds site-packages: that is why
        # site-packages is tested before the standard library.
        self._stdlib_dirs = _unique_dirs([install_paths.get("stdlib"), install_paths.get("platstdlib")])

    def is_under_work_dir(self, filename):
        return filename.startswith(self.work_dir + os.sep)

    def display_path(self, filename):
        """Relative to the work dir when under it; anything else unchanged."""
        if self.is_under_work_dir(filename):
            return filename[len(self.work_dir) + 1 :]
        return filename

    def origin(self, filename):
        """One of user | stdlib | site-packages | builtin (the protocol's `origin`)."""
        if filename == BUILTIN_FILE:
            return "builtin"
        if filename.startswith("<frozen "):
            return "stdlib"
        if _is_under_any(filename, self._site_dirs) or "/site-packages/" in filename or "/dist-packages/" in filename:
            return "site-packages"
        if self.is_under_work_dir(filename):
            return "user"
        if _is_under_any(filename, self._stdlib_dirs):
            return "stdlib"
        # "<string>" from the learner's own exec(), files the program wrote to /tmp, ...
        return "user"


def _is_under_any(filename, dirs):
    return any(filename.startswith(d + os.sep) for d in dirs)
