"""The grader's hidden material (docs/harness-protocol.md, "Grading mode"): the hidden
document read from its pipe (checked against hidden.schema.json, generated from core), and
the hidden test files, importable from memory, whose input functions make every check's
inputs. Exercise code, but trusted: it runs in the grader.
"""

import importlib
import json
import os
import pickle
import random
import sys

from perflab_contract import JsonSchemaValueException
from perflab_contract.hidden_validator import validate as validate_hidden_document
from perflab_harness.grade_worker import TreeFinder
from perflab_harness.sandbox_setup import SetupFailure

HIDDEN_SCHEMA = "perflab.hidden/1"
HIDDEN_FD_ENV = "PERFLAB_HIDDEN_FD"


class CheckProblem(Exception):
    """The check cannot be measured for a reason that is the exercise's (a broken hidden
    input function, a missing tree), not the learner's code."""


def read_hidden_document():
    # The variable stays: a normal run's environment has it too (with the pipe closed), and
    # workers get the grader's environment.
    raw_fd = os.environ.get(HIDDEN_FD_ENV)
    if raw_fd is None:
        raise SetupFailure(
            "harness", f"grade mode needs the hidden document on the descriptor named by {HIDDEN_FD_ENV}"
        )
    try:
        fd = int(raw_fd)
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(fd)
        document = json.loads(b"".join(chunks).decode("utf-8"))
    except (ValueError, OSError) as error:
        raise SetupFailure("harness", f"cannot read the hidden document: {error}") from None
    try:
        validate_hidden_document(document, name_prefix="hidden")
    except JsonSchemaValueException as error:
        raise SetupFailure("harness", f"the hidden document does not match {HIDDEN_SCHEMA}: {error.message}") from None
    # The seed of the hidden inputs travels here, on the pipe only the grader reads: the job
    # file is readable by learner code, and with the seed and the course's (public) input
    # functions it could compute every hidden input and its answer at import, untimed.
    return {"trees": document.get("trees", {}), "tests": document.get("tests", {}), "seed": document.get("seed")}


def _module_name(path):
    parts = path[: -len(".py")].split("/") if path.endswith(".py") else []
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) if parts and all(part.isidentifier() for part in parts) else None


class HiddenTests:
    """The hidden test files, importable in the grader from memory. Their input functions
    are trusted exercise code and run here, each with a freshly seeded random.Random."""

    def __init__(self, files):
        self._files = files
        sys.meta_path.insert(0, TreeFinder(files))

    def function(self, path, name):
        module_name = _module_name(path)
        if path not in self._files or module_name is None:
            raise CheckProblem(f"{path} is not among the exercise's hidden test files")
        try:
            module = importlib.import_module(module_name)
        except Exception as error:  # noqa: BLE001 - exercise code
            raise CheckProblem(f"the hidden test file {path} failed to load: {type(error).__name__}: {error}") from None
        function = getattr(module, name, None)
        if not callable(function):
            raise CheckProblem(f"the hidden test file {path} has no function {name}")
        return function

    @staticmethod
    def produce(function, *leading):
        try:
            return function(*leading)
        except Exception as error:  # noqa: BLE001 - exercise code
            raise CheckProblem(
                f"the hidden function {function.__name__} raised {type(error).__name__}: {error}"
            ) from None

    def make_input(self, function, seed, *leading):
        """(args, kwargs) from an input function called as f(*leading, rng)."""
        return _args_and_kwargs(self.produce(function, *leading, random.Random(seed)), function.__name__)

    def cases(self, function, seed):
        produced = self.produce(function, random.Random(seed))
        if not isinstance(produced, (list, tuple)):
            raise CheckProblem(f"the hidden function {function.__name__} must return a list of (args, kwargs)")
        return [_args_and_kwargs(case, function.__name__) for case in produced]


def _args_and_kwargs(produced, name):
    if not (isinstance(produced, (list, tuple)) and len(produced) == 2):
        raise CheckProblem(f"the hidden function {name} must produce (args, kwargs) pairs")
    args, kwargs = produced
    kwargs = {} if kwargs is None else kwargs
    if (
        not isinstance(args, (list, tuple))
        or not isinstance(kwargs, dict)
        or not all(isinstance(key, str) for key in kwargs)
    ):
        raise CheckProblem(f"the hidden function {name} must produce (args, kwargs) pairs: a list or tuple and a dict")
    try:
        pickle.dumps((args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # noqa: BLE001 - anything unpicklable
        raise CheckProblem(f"an input from {name} cannot be sent to a worker ({error}); use built-in types") from None
    return tuple(args), kwargs
