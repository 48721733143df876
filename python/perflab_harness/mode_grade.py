# Over 400 lines: one Grader whose six checks share its worker lifecycle and integrity rules (below).
"""grade: the verification engine's measurements (docs/harness-protocol.md, "Grading mode").

The harness process becomes the grader. It never imports learner code: every piece of
learner, starter or reference code runs in a fresh worker process (grade_process.py,
grade_worker.py), and the grader only sends inputs, keeps the time with its own clock, reads
memory from /proc and compares results. The hidden material (reference and starter trees,
hidden test files) arrives on a pipe and stays in this process's memory; this process is
made non-dumpable so that workers cannot read it through /proc (even where they run as the
grader's own uid, which is the case when the grader does not run as root).

Integrity (issue 9). Every figure is the grader's: time runs from sending a request to the
last byte of a reply that must carry the results of every call it timed, and those results
are checked against results the reference computed beforehand (a reply written early by
learner code carries none and fails the check). Workers never overlap: each side's worker is
ended, with everything it left running (sweep_strays), before the next one starts, so no
reference or starter worker is alive while learner code runs, and learner code cannot slow a
starter batch down. Every worker is non-dumpable; when the grader runs as root (the harness
gives it `worker_identity`), the learner, starter and reference run as three different uids.

Decisions (pass/fail, thresholds, statistics, growth fits) are the host's: this module
reports raw measurements, one per check, in the job's order. A check that fails to measure
reports an `error` sentence and the grader moves on to the next check.
"""

import math
import os
import random
import signal
import sys
import time

from perflab_harness import job as job_module
from perflab_harness import result
from perflab_harness.grade_fetch_server import LatencyServer
from perflab_harness.grade_hidden import CheckProblem, HiddenTests, read_hidden_document
from perflab_harness.grade_process import LEARNER, REFERENCE, STARTER, WorkerFailure, WorkerProcess
from perflab_harness.grade_values import describe_pair, describe_value, summarize_args, values_match
from perflab_harness.program import ProgramOutcome
from perflab_harness.sandbox_setup import PR_SET_DUMPABLE, SetupFailure, prctl

FETCH_SOCKET_ENV = "PERFLAB_FETCH_SOCKET"

DEFAULT_REQUEST_TIMEOUT_S = 30.0
# speed: loops per timed request, the same for both sides. Enough that the faster side's
# batch dwarfs the per-request overhead (about 20 µs) and timer noise, but the slower
# side's batch must stay affordable when the two differ a hundredfold.
MIN_BATCH_S = 0.05
# Timed batches use a distinct input per call, so their length is capped: hidden speed inputs
# should take at least a millisecond or so per call (docs/authoring.md).
MAX_DISTINCT_LOOPS = 64
DISTINCT_INPUT_STRIDE = 100_000
# Round 0's call index DISTINCT_INPUT_STRIDE - 1 is never timed (batches hold at most 64 calls).
CALIBRATION_SEED_OFFSET = DISTINCT_INPUT_STRIDE - 1
CALIBRATION_ATTEMPTS = 6
# growth: seeds of a size's repeats, so that each repeat gets an input of its own.
REPEAT_SEED_STRIDE = 10_000
# growth: a call this slow ends the series (larger sizes would only be slower).
GROWTH_STOP_S = 5.0
# Results of speed, growth, overlap and cpu-scaling checks: floats within 1e-6 relative,
# because a faster algorithm may legitimately add floats in a different order.
RESULT_COMPARE = "approx"


PR_SET_CHILD_SUBREAPER = 36
# uid (and gid) offsets from worker_identity per side, when the grader runs as root.
IDENTITY_OFFSETS = {LEARNER: 0, STARTER: 1, REFERENCE: 2}


_SPIN_SOURCE = "import sys, time\nn = int(sys.argv[1]); total = 0\nfor i in range(n):\n    total += i * i % 7\n"
_SPIN_ITERATIONS = 1_500_000


def _parallel_capacity(cpus):
    """The speed-up k busy processes get over one right now (1.0 … cpus): the same fixed
    pure-Python loop run once alone, then k times at once."""
    import subprocess
    import sys

    def timed(copies):
        started = time.perf_counter()
        processes = [
            subprocess.Popen([sys.executable, "-I", "-S", "-c", _SPIN_SOURCE, str(_SPIN_ITERATIONS)])
            for _ in range(copies)
        ]
        for process in processes:
            process.wait()
        return time.perf_counter() - started

    if cpus <= 1:
        return 1.0
    alone_s = timed(1)
    together_s = timed(cpus)
    return max(1.0, min(float(cpus), cpus * alone_s / together_s))


def empty_fields():
    return {"measurements": []}


def run(context):
    work_dir = context.work_dir
    # _run_job put the work dir (the learner's files) first on sys.path for the program.
    # The grader imports modules lazily (and runs hidden test code that imports); none of
    # them may come from the learner's files.
    sys.path[:] = [
        path
        for path in sys.path
        if path not in ("", ".")
        and os.path.abspath(path) not in (work_dir, os.path.abspath(job_module.input_dir_path()))
    ]
    _make_non_dumpable()
    _become_subreaper()
    # The host asks every process of a run that times out for its stacks (SIGUSR1). The
    # grader's would show hidden test code at work; the workers still answer for themselves
    # (exec resets a handler, so they get sitecustomize's again).
    signal.signal(signal.SIGUSR1, lambda signum, frame: None)
    hidden = read_hidden_document()
    grade = parse_grade_section(context.job.grade, hidden_seed=hidden["seed"])
    identity = getattr(context, "worker_identity", None)
    if identity is None and os.geteuid() == 0 and getattr(context.job, "drop_privileges", None) is not None:
        # Fail closed: a root grader that was meant to drop privileges must not run learner
        # code as root.
        raise SetupFailure("harness", "grade mode runs as root but was given no identity for its workers")
    grader = Grader(hidden, grade, job_module.input_dir_path(), worker_identity=identity)
    measurements = context.run.mode_fields["measurements"]
    for check in grade["checks"]:
        # Appended one by one: should the grader itself die, the finished checks still count.
        measurements.append(grader.run_check(check))
    return ProgramOutcome(exit_code=0)


def _grader_prctl(option, value, what):
    """A prctl the grader cannot do without: fail closed when the kernel refuses."""
    try:
        prctl(option, value)
    except (OSError, AttributeError) as error:
        raise SetupFailure("harness", f"cannot make the grader {what}: {error}") from None


def _make_non_dumpable():
    # Without it, a worker could read the hidden material from /proc.
    _grader_prctl(PR_SET_DUMPABLE, 0, "non-dumpable")


def _become_subreaper():
    """Orphans of learner code (a daemon that left the worker's session) become the grader's
    children instead of the sandbox init's, so sweep_strays finds and ends them."""
    _grader_prctl(PR_SET_CHILD_SUBREAPER, 1, "a subreaper")


def side_identity(worker_identity, side):
    """The (uid, gid) a side's workers run as: one uid per side, from worker_identity."""
    if worker_identity is None:
        return None
    uid, gid = worker_identity
    offset = IDENTITY_OFFSETS[side]
    return uid + offset, gid + offset


# -- the job's grade section ------------------------------------------------------------------


def parse_grade_section(grade, hidden_seed=None):
    """The job's grade section (already checked against job.schema.json by job.parse_job).
    The seed is the hidden document's when it has one (the host sends it there); grade.seed
    in the job is only a fallback for older hosts."""
    seed = grade.get("seed") if hidden_seed is None else hidden_seed
    if seed is None:
        raise job_module.BadJob("grade needs a seed: an integer in the hidden document (or grade.seed)")
    timeout_s = grade.get("requestTimeoutS", DEFAULT_REQUEST_TIMEOUT_S)
    return {"seed": seed, "checks": grade["checks"], "requestTimeoutS": float(timeout_s)}


# -- the checks -----------------------------------------------------------------------------------


def _module_of(call):
    return call.rpartition(".")[0]


def blank_measurement(check):
    kind = check["kind"]
    fields = {
        "correctness": {"cases": []},
        "speed": {"baselineS": [], "candidateS": [], "loopsPerSample": 0, "wrongResult": None},
        "growth": {"learner": [], "reference": [] if check.get("withReference") else None, "stoppedAtN": None},
        "memory-per-instance": {"bytesPerInstance": None, "hasDict": None, "className": None},
        "overlap": {"wallS": None, "maxInFlight": 0, "requestsServed": 0, "resultOk": False},
        "cpu-scaling": {
            "learnerS": [],
            "serialS": [],
            "capacity": [],
            "cpusAvailable": result.cpus_available(),
            "resultOk": False,
        },
    }[kind]
    return {"id": check["id"], "kind": kind, **fields, "error": None}


class Grader:
    def __init__(self, hidden, grade, input_dir, worker_identity=None):
        self.worker_identity = worker_identity
        self.trees = hidden["trees"]
        self.tests = HiddenTests(hidden["tests"])
        self.seed = grade["seed"]
        self.timeout_s = grade["requestTimeoutS"]
        self.input_dir = input_dir

    def run_check(self, check):
        measurement = blank_measurement(check)
        handler = {
            "correctness": self._correctness,
            "speed": self._speed,
            "growth": self._growth,
            "memory-per-instance": self._memory_per_instance,
            "overlap": self._overlap,
            "cpu-scaling": self._cpu_scaling,
        }[check["kind"]]
        try:
            handler(check, measurement)
        except WorkerFailure as failure:
            measurement["error"] = failure.sentence
        except CheckProblem as problem:
            measurement["error"] = f"the exercise's check {check['id']} is broken: {problem}"
        except Exception as error:  # noqa: BLE001 - a grader bug costs this check only
            measurement["error"] = f"the grader failed on check {check['id']}: {type(error).__name__}: {error}"
        return measurement

    def worker(self, side, extra_env=None):
        tree = None
        if side != LEARNER:
            tree = self.trees.get(side)
            if tree is None:
                raise CheckProblem(f"the hidden material has no {side} tree")
        return WorkerProcess(
            side, self.input_dir, tree=tree, extra_env=extra_env, identity=side_identity(self.worker_identity, side)
        )

    def _imported_worker(self, side, call, extra_env=None):
        worker = self.worker(side, extra_env)
        try:
            worker.start(self.timeout_s)
            worker.import_module(_module_of(call), self.timeout_s)
        except BaseException:
            worker.close()
            raise
        return worker

    def _timed_call(self, side, call, args, kwargs, loops=1, timeout_s=None, extra_env=None):
        """A fresh worker for one timed sample."""
        worker = self._imported_worker(side, call, extra_env)
        with worker:
            return worker.call(call, args, kwargs, loops, timeout_s or self.timeout_s)

    # correctness ---------------------------------------------------------------------------

    def _correctness(self, check, measurement):
        call = check["call"]
        compare = check.get("compare") or "equal"
        cases = self.tests.cases(self.tests.function(check["casesFile"], "cases"), self.seed)
        with self._imported_worker(REFERENCE, call) as reference:
            expected = []
            for index, (args, kwargs) in enumerate(cases):
                try:
                    expected.append(reference.call(call, args, kwargs, 1, self.timeout_s).value)
                except WorkerFailure as failure:
                    raise CheckProblem(f"case {index}: {failure.sentence}") from None
        for index, (args, kwargs) in enumerate(cases):
            case = {
                "index": index,
                "passed": False,
                "argsSummary": summarize_args(args, kwargs),
                "expectedRepr": describe_value(expected[index]),
                "actualRepr": None,
                "error": None,
            }
            # A fresh worker per case: nothing computed for one case can be reused in the next.
            try:
                worker = self._imported_worker(LEARNER, call)
            except WorkerFailure as failure:
                measurement["error"] = failure.sentence  # importing fails the same way for every case
                return
            with worker:
                try:
                    actual = worker.call(call, args, kwargs, 1, self.timeout_s).value
                except WorkerFailure as failure:
                    case["error"] = failure.sentence
                    measurement["cases"].append(case)
                    if failure.timed_out:
                        measurement["error"] = f"stopped after case {index}: {failure.sentence}"
                        return
                    continue
            case["passed"] = values_match(expected[index], actual, compare)
            if not case["passed"]:
                case["expectedRepr"], case["actualRepr"] = describe_pair(expected[index], actual, compare)
            else:
                case["actualRepr"] = describe_value(actual)
            measurement["cases"].append(case)

    # speed -------------------------------------------------------------------------------------

    def _speed(self, check, measurement):
        call, baseline = check["call"], check["baseline"]
        make_input = self.tests.function(check["inputFile"], check["inputFunction"])
        sides = [baseline, LEARNER]
        # Calibration gets an input no timed batch uses: an answer the learner's calibration
        # worker left in a file cannot serve a timed call.
        args, kwargs = self.tests.make_input(make_input, self.seed + CALIBRATION_SEED_OFFSET)
        per_call_s = {}
        needed_loops = {}
        for side in sides:
            needed_loops[side], per_call_s[side] = self._calibrate(side, call, args, kwargs)
        # Each side gets its own number of calls per batch, as timeit does: enough for a batch
        # of about MIN_BATCH_S, so a 100× slower side is not made to run 100× as long.
        loops = {side: max(1, min(needed_loops[side], MAX_DISTINCT_LOOPS)) for side in sides}
        measurement["loopsPerSample"] = loops[LEARNER]
        timeouts = {side: self.timeout_s + 4 * loops[side] * per_call_s[side] for side in sides}
        # A different input for every call of every batch, so no call can reuse what an
        # earlier one computed (memoising identical calls would fake a speed-up).
        inputs = [
            [
                self.tests.make_input(make_input, self.seed + round_index * DISTINCT_INPUT_STRIDE + call_index)
                for call_index in range(max(loops.values()))
            ]
            for round_index in range(check["rounds"])
        ]
        # The result of every call the learner's batches will make, computed now by the
        # reference, whose worker then ends: no reference worker is alive while learner code
        # runs, and a timed reply counts only if it carries all of these results.
        expected = self._reference_results(call, [batch[: loops[LEARNER]] for batch in inputs], timeouts[LEARNER])
        order_rng = random.Random(self.seed)
        for round_index in range(check["rounds"]):
            order = list(sides)
            order_rng.shuffle(order)
            outcomes = {}
            for side in order:
                # A fresh worker per side and round, ended with all it started before the other
                # side's begins: learner code cannot stop, slow down or read the starter's.
                with self._imported_worker(side, call) as worker:
                    outcomes[side] = worker.call_each(call, inputs[round_index][: loops[side]], timeouts[side])
            learner_inputs = inputs[round_index][: loops[LEARNER]]
            for (args, kwargs), wanted, actual in zip(
                learner_inputs, expected[round_index], outcomes[LEARNER].value, strict=False
            ):
                if not values_match(wanted, actual, RESULT_COMPARE):
                    expected_repr, actual_repr = describe_pair(wanted, actual, RESULT_COMPARE)
                    measurement["wrongResult"] = {
                        "argsSummary": summarize_args(args, kwargs),
                        "expectedRepr": expected_repr,
                        "actualRepr": actual_repr,
                    }
                    return
            measurement["baselineS"].append(outcomes[baseline].elapsed_s / loops[baseline])
            measurement["candidateS"].append(outcomes[LEARNER].elapsed_s / loops[LEARNER])

    def _reference_results(self, call, batches, timeout_s):
        """The reference's result for every input of every batch, from one worker that is
        ended before this returns. Its failure is the exercise's, not the learner's."""
        with self._imported_worker(REFERENCE, call) as reference:
            try:
                return [reference.call_each(call, batch, timeout_s).value for batch in batches]
            except WorkerFailure as failure:
                raise CheckProblem(failure.sentence) from None

    def _calibrate(self, side, call, args, kwargs):
        """(loops for a batch of at least MIN_BATCH_S, seconds per call), like timeit's
        autorange, in one fresh worker."""
        with self._imported_worker(side, call) as worker:
            loops = 1
            for _ in range(CALIBRATION_ATTEMPTS):
                elapsed_s = worker.call(call, args, kwargs, loops, self.timeout_s + 4 * loops * MIN_BATCH_S).elapsed_s
                if elapsed_s >= MIN_BATCH_S or loops >= MAX_DISTINCT_LOOPS:
                    break
                # Aim past the target from what this batch showed, growing at most 100-fold:
                # a first call is often slower than the rest (cold caches, lazy imports).
                wanted = math.ceil(loops * MIN_BATCH_S * 1.2 / max(elapsed_s, 1e-9))
                loops = min(MAX_DISTINCT_LOOPS, max(loops * 2, min(wanted, loops * 100)))
            return loops, elapsed_s / loops

    # growth ------------------------------------------------------------------------------------

    def _growth(self, check, measurement):
        call, repeats = check["call"], check["repeats"]
        make_input = self.tests.function(check["inputFile"], check["inputFunction"])
        # A distinct input for each repeat (same size): a repeat cannot return what an
        # earlier one computed, and the best of them is still a time for size n.
        inputs = [
            [
                self.tests.make_input(make_input, self.seed + size_index + repeat * REPEAT_SEED_STRIDE, n)
                for repeat in range(repeats)
            ]
            for size_index, n in enumerate(check["sizes"])
        ]
        # The reference first, for every input, its workers ended before learner code runs:
        # every timed learner reply is checked against these results.
        expected = []
        if check["withReference"]:
            for n, size_inputs in zip(check["sizes"], inputs, strict=True):
                best_s, too_slow, values = self._growth_point(REFERENCE, call, size_inputs)
                if best_s is None:
                    break  # the reference did not finish this size: larger ones are not measured
                measurement["reference"].append({"n": n, "timeS": best_s})
                expected.append(values)
                if too_slow:
                    break
        else:
            with self._imported_worker(REFERENCE, call) as reference:
                for size_inputs in inputs:
                    try:
                        expected.append(reference.call_each(call, size_inputs, self.timeout_s).value)
                    except WorkerFailure as failure:
                        if failure.timed_out and expected:
                            break  # larger sizes are not measured
                        raise CheckProblem(failure.sentence) from None
        for size_index, (n, size_inputs, wanted) in enumerate(zip(check["sizes"], inputs, expected, strict=False)):
            best_s, too_slow, values = self._growth_point(LEARNER, call, size_inputs)
            if best_s is None:
                measurement["stoppedAtN"] = n  # did not finish in time: this size is not measured
                return
            for _input, want, got in zip(size_inputs, wanted, values, strict=False):
                if not values_match(want, got, RESULT_COMPARE):
                    # A reply without the right result is no measurement: it may have been
                    # written before the work was done.
                    expected_repr, actual_repr = describe_pair(want, got, RESULT_COMPARE)
                    measurement["error"] = (
                        f"{call} returned a different result from the reference solution for n={n}: "
                        f"{actual_repr}, expected {expected_repr}"
                    )
                    return
            measurement["learner"].append({"n": n, "timeS": best_s})
            if too_slow:
                if size_index + 1 < len(check["sizes"]):
                    measurement["stoppedAtN"] = check["sizes"][size_index + 1]
                return

    def _growth_point(self, side, call, size_inputs):
        """(best time, whether a call exceeded GROWTH_STOP_S, results) over one call per input
        in a fresh worker, or (None, True, None) when a call did not finish within the
        request timeout."""
        best_s = None
        values = []
        with self._imported_worker(side, call) as worker:
            for args, kwargs in size_inputs:
                try:
                    outcome = worker.call(call, args, kwargs, 1, self.timeout_s)
                except WorkerFailure as failure:
                    if failure.timed_out:
                        return None, True, None
                    raise
                values.append(outcome.value)
                best_s = outcome.elapsed_s if best_s is None else min(best_s, outcome.elapsed_s)
                if outcome.elapsed_s > GROWTH_STOP_S:
                    return best_s, True, values
        return best_s, False, values

    # memory-per-instance ---------------------------------------------------------------------

    def _memory_per_instance(self, check, measurement):
        call, count = check["call"], check["count"]
        with self._imported_worker(LEARNER, call) as worker:
            worker.ready(self.timeout_s)
            before_bytes = worker.rss_bytes()
            has_dict, class_name = worker.instances(call, count, self.timeout_s)
            after_bytes = worker.rss_bytes()
        measurement["bytesPerInstance"] = (after_bytes - before_bytes) / count
        measurement["hasDict"] = has_dict
        measurement["className"] = class_name

    # overlap ---------------------------------------------------------------------------------

    def _overlap(self, check, measurement):
        call = check["call"]
        make_input = self.tests.function(check["inputFile"], check["inputFunction"])
        args, kwargs = self.tests.make_input(make_input, self.seed)
        server = LatencyServer(check["latencyMs"] / 1000)
        try:
            env = {FETCH_SOCKET_ENV: server.socket_path}
            expected = self._timed_call(REFERENCE, call, args, kwargs, extra_env=env).value
            with self._imported_worker(LEARNER, call, env) as worker:
                server.reset()  # fetches made while importing do not count
                outcome = worker.call(call, args, kwargs, 1, self.timeout_s)
                max_in_flight, served = server.counts()
        finally:
            server.close()
        measurement["wallS"] = outcome.elapsed_s
        measurement["maxInFlight"] = max_in_flight
        measurement["requestsServed"] = served
        measurement["resultOk"] = values_match(expected, outcome.value, RESULT_COMPARE)

    # cpu-scaling -----------------------------------------------------------------------------

    def _cpu_scaling(self, check, measurement):
        call, serial_call = check["call"], check["serialCall"]
        make_input = self.tests.function(check["inputFile"], check["inputFunction"])
        order_rng = random.Random(self.seed)
        all_match = True
        for round_index in range(check["rounds"]):
            args, kwargs = self.tests.make_input(make_input, self.seed + round_index)
            order = [(LEARNER, call), (REFERENCE, serial_call)]
            order_rng.shuffle(order)
            outcomes = {side: self._timed_call(side, function, args, kwargs) for side, function in order}
            all_match = all_match and values_match(outcomes[REFERENCE].value, outcomes[LEARNER].value, RESULT_COMPARE)
            measurement["learnerS"].append(outcomes[LEARNER].elapsed_s)
            measurement["serialS"].append(outcomes[REFERENCE].elapsed_s)
            measurement["resultOk"] = all_match
            # What the machine can give right now: another program's load shrinks it, and no
            # learner should be failed for a speed-up the machine could not have given.
            measurement["capacity"].append(_parallel_capacity(measurement["cpusAvailable"]))
