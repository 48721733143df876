"""timeit: compare expressions, each sample timed in a fresh interpreter.

Every round runs each candidate once, in a shuffled order, each in its own new process
(perflab_harness.timeit_worker), so that no candidate profits from caches, memory layout or
CPU frequency left behind by another, and slow drift (thermal, noisy neighbours) spreads
evenly over the candidates. The first round calibrates each candidate's loop count the way
timeit's autorange does; later rounds reuse it, so every sample of a candidate times the
same amount of work.
"""

import json
import os
import random
import subprocess
import sys

from perflab_harness.paths import HARNESS_DIR
from perflab_harness.sandbox_setup import SetupFailure

BAD_JOB_EXIT_CODE = 2


def empty_fields():
    return {"gcEnabled": False, "candidates": []}


def run(context):
    job = context.job
    candidates = job.timeit_candidates
    loops_per_sample = [None] * len(candidates)
    samples_s = [[] for _ in candidates]
    context.run.mode_fields = {"gcEnabled": job.timeit_gc_enabled, "candidates": []}
    shuffler = random.Random()
    for round_index in range(job.timeit_rounds):
        order = list(range(len(candidates)))
        shuffler.shuffle(order)
        # Candidates that cannot be timed, by index: the first round tries every candidate
        # before giving up, so the error names each invalid one and why, not only the first.
        invalid = {}
        for index in order:
            if invalid and round_index > 0:
                break
            result = _run_worker(context, candidates[index], loops_per_sample[index])
            kind = result.get("kind")
            if kind == "ok":
                loops_per_sample[index] = result["loops"]
                samples_s[index].append(result["totalS"] / result["loops"])
            elif kind == "entry-exception":
                # The entry module itself fails to import: that is the program's error.
                context.run.exit_code = result.get("exitCode", 1)
                context.run.exception = result["exception"]
                return None
            else:
                invalid[index] = result.get("message", f"the timing process for {candidates[index]!r} failed")
        if invalid:
            messages = [invalid[index] for index in sorted(invalid)]
            if len(messages) == 1:
                message = messages[0]
            else:
                message = f"{len(messages)} of {len(candidates)} timeit candidates cannot be timed: " + "; ".join(
                    messages
                )
            print(f"perflab: {message}", file=sys.stderr)
            context.run.fail_setup("bad-job", message, BAD_JOB_EXIT_CODE)
            return None
    context.run.mode_fields["candidates"] = [
        {"expr": expression, "loopsPerSample": loops_per_sample[index], "samplesS": samples_s[index]}
        for index, expression in enumerate(candidates)
    ]
    return None


def _run_worker(context, expression, loops):
    job = context.job
    request = {
        "entryPath": context.entry_path,
        "workDir": context.work_dir,
        "argv": job.argv,
        "expr": expression,
        "loops": loops,
        "minBatchS": job.timeit_min_batch_s,
        "gcEnabled": job.timeit_gc_enabled,
    }
    read_fd, write_fd = os.pipe()
    try:
        # Started from the harness's own folder so that `-m perflab_harness...` finds this
        # package before any same-named file of the learner; the worker then moves to /work.
        worker = subprocess.Popen(
            [sys.executable, "-m", "perflab_harness.timeit_worker", json.dumps(request), str(write_fd)],
            cwd=os.path.dirname(HARNESS_DIR),
            stdin=subprocess.DEVNULL,
            pass_fds=(write_fd,),
        )
    except OSError as error:
        os.close(read_fd)
        os.close(write_fd)
        raise SetupFailure("harness", f"cannot start a timing worker: {error}") from None
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as result_pipe:
        data = result_pipe.read()
    exit_code = worker.wait()
    try:
        return json.loads(data.decode("utf-8"))
    except ValueError:
        return {
            "kind": "worker-failed",
            "message": f"the timing process for {expression!r} ended (exit status {exit_code}) without a result:"
            " the program may have ended the process itself (os._exit) or been killed",
        }
