import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import assert_well_formed, make_job


def run_plain_python(work_dir, entry="main.py", argv=()):
    """What `cd WORK && python WORK/ENTRY ARGV` prints: the reference for "like Python"."""
    return subprocess.run(
        [sys.executable, str(work_dir / entry), *argv],
        cwd=work_dir,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"},
    )


def test_runs_main_block_with_argv_and_file(harness):
    result = harness.run(
        {
            "main.py": """
                import os, sys
                import helper
                if __name__ == "__main__":
                    print(sys.argv[1:], os.path.basename(__file__), os.getcwd() == os.path.dirname(__file__))
                    print(helper.VALUE, sys.path[0] == os.getcwd())
            """,
            "helper.py": "VALUE = 42\n",
        },
        make_job(argv=["a", "b c"]),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "['a', 'b c'] main.py True\n42 True\n"
    assert_well_formed(result.document, "run")
    assert result.document["exitCode"] == 0
    assert result.document["exception"] is None
    assert result.document["setupError"] is None


@pytest.mark.parametrize(
    ("statement", "expected_code", "expected_stderr"),
    [
        ("sys.exit()", 0, ""),
        ("sys.exit(3)", 3, ""),
        ("sys.exit(256 + 7)", 7, ""),
        ("sys.exit('goodbye')", 1, "goodbye\n"),
        ("raise SystemExit(None)", 0, ""),
    ],
)
def test_system_exit_codes_propagate(harness, statement, expected_code, expected_stderr):
    result = harness.run({"main.py": f"import sys\nprint('before')\n{statement}\nprint('after')\n"}, make_job())
    assert result.returncode == expected_code
    assert result.stdout == "before\n"
    assert result.stderr == expected_stderr
    assert result.document["exitCode"] == expected_code
    assert result.document["exception"] is None


def test_uncaught_exception_prints_traceback_exactly_like_python(harness):
    files = {
        "main.py": """
            from shapes import area

            def main():
                print("computing")
                return area(-1)

            main()
        """,
        "shapes.py": """
            class ShapeError(ValueError):
                pass

            def area(side):
                if side < 0:
                    raise ShapeError(f"negative side {side}")
                return side * side
        """,
    }
    result = harness.run(files, make_job())
    reference = run_plain_python(result.work_dir)
    assert result.returncode == 1 == reference.returncode
    assert result.stdout == reference.stdout == "computing\n"
    assert result.stderr == reference.stderr
    assert "perflab_harness" not in result.stderr and "runpy" not in result.stderr
    exception = result.document["exception"]
    assert exception["type"] == "shapes.ShapeError"
    assert exception["message"] == "negative side -1"
    assert exception["traceback"] == reference.stderr
    assert (exception["file"], exception["line"]) == ("shapes.py", 6)
    assert result.document["exitCode"] == 1


def test_chained_exception_matches_python(harness):
    files = {
        "main.py": """
            def parse(text):
                try:
                    return int(text)
                except ValueError as error:
                    raise RuntimeError("bad input") from error

            parse("x")
        """
    }
    result = harness.run(files, make_job())
    reference = run_plain_python(result.work_dir)
    assert result.stderr == reference.stderr
    assert "The above exception was the direct cause" in result.stderr
    assert result.document["exception"]["type"] == "RuntimeError"


def test_syntax_error_in_entry_reported_with_file_and_line(harness):
    result = harness.run({"main.py": "print('ok')\nx = = 1\n"}, make_job())
    reference = run_plain_python(result.work_dir)
    assert result.returncode == 1
    assert result.stderr == reference.stderr
    assert result.stderr.rstrip().endswith("SyntaxError: invalid syntax")
    assert "Traceback" not in result.stderr
    exception = result.document["exception"]
    assert exception["type"] == "SyntaxError"
    assert (exception["file"], exception["line"]) == ("main.py", 2)


def test_syntax_error_in_imported_module(harness):
    result = harness.run({"main.py": "import broken\n", "broken.py": "def f(:\n    pass\n"}, make_job())
    reference = run_plain_python(result.work_dir)
    assert result.stderr == reference.stderr
    exception = result.document["exception"]
    assert (exception["type"], exception["file"], exception["line"]) == ("SyntaxError", "broken.py", 1)


def test_non_utf8_source_is_a_setup_error(harness):
    result = harness.run({"main.py": "print('caf\xe9')\n".encode("latin-1")}, make_job())
    assert result.returncode == 1
    assert_well_formed(result.document, "run")
    setup_error = result.document["setupError"]
    assert setup_error["kind"] == "not-utf8"
    assert "main.py" in setup_error["message"] and "line 1" in setup_error["message"]


def test_declared_latin1_source_is_accepted(harness):
    source = "# -*- coding: latin-1 -*-\nprint('caf\xe9')\n".encode("latin-1")
    result = harness.run({"main.py": source}, make_job())
    assert result.returncode == 0, result.stderr
    assert result.stdout == "café\n"


def test_missing_entry_is_a_setup_error(harness):
    result = harness.run({"other.py": "print(1)\n"}, make_job(mode="profile"))
    assert result.returncode == 1
    assert_well_formed(result.document, "profile")
    assert result.document["setupError"]["kind"] == "entry-missing"
    assert "other.py" in result.document["setupError"]["message"]


@pytest.mark.parametrize(
    "job",
    [
        "{not json",
        {"schema": "perflab.job/0", "mode": "run", "entry": "main.py", "argv": []},
        {"schema": "perflab.job/1", "mode": "run", "entry": "../escape.py", "argv": []},
        {"schema": "perflab.job/1", "mode": "timeit", "entry": "main.py", "argv": []},
    ],
)
def test_bad_job_exits_2(harness, job):
    result = harness.run({"main.py": "print(1)\n"}, job)
    assert result.returncode == 2
    assert result.stdout == ""
    mode = job.get("mode", "run") if isinstance(job, dict) else "run"
    assert_well_formed(result.document, mode)
    assert result.document["setupError"]["kind"] == "bad-job"
    assert result.document["exitCode"] == 2


def test_document_written_after_threads_and_learner_atexit(harness):
    files = {
        "main.py": """
            import atexit, os, sys, threading, time

            def late_worker():
                time.sleep(0.3)
                print("worker finished", flush=True)

            atexit.register(lambda: print("learner atexit", flush=True))
            threading.Thread(target=late_worker).start()
            print("main finished", flush=True)
            raise SystemExit(5)
        """
    }
    process, read_fd = harness.start(files, make_job())
    stdout, _ = process.communicate(timeout=30)
    with os.fdopen(read_fd, "rb") as pipe:
        document = pipe.read()
    assert stdout.decode() == "main finished\nworker finished\nlearner atexit\n"
    assert process.returncode == 5
    assert b'"exitCode":5' in document


def test_result_fd_is_parked_high_and_not_inherited(harness):
    hidden_read, hidden_write = os.pipe()  # the grading pipe the host opens for every run
    files = {
        "main.py": """
            import os, subprocess, sys
            print("env", "PERFLAB_RESULT_FD" in os.environ)
            hidden_fd = int(sys.argv[1])
            print("hidden fd open", hidden_fd in [int(fd) for fd in os.listdir("/proc/self/fd")])
            list_fds = "import os; print(sorted(int(f) for f in os.listdir('/proc/self/fd')))"
            child = subprocess.run([sys.executable, "-c", list_fds], capture_output=True, text=True, close_fds=False)
            print("child", child.stdout.strip())
            os.closerange(3, 100)  # learner code that tidies up descriptors
        """
    }
    job = make_job(argv=[str(hidden_read)])
    result = harness.run(files, job, env={"PERFLAB_HIDDEN_FD": str(hidden_read)}, extra_fds=(hidden_read,))
    os.close(hidden_read)
    os.close(hidden_write)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "env False"
    assert lines[1] == "hidden fd open False"
    child_fds = eval(lines[2].split(" ", 1)[1])  # noqa: S307 - our own test output
    assert all(fd < 10 for fd in child_fds), child_fds
    assert_well_formed(result.document, "run")


def test_fork_child_does_not_write_a_second_document(harness):
    files = {
        "main.py": """
            import os
            pid = os.fork()
            if pid == 0:
                print("child")  # and falls off the end of the script like the parent
            else:
                os.waitpid(pid, 0)
                print("parent")
        """
    }
    result = harness.run(files, make_job())
    assert sorted(result.stdout.split()) == ["child", "parent"]
    assert result.document["exitCode"] == 0  # json.loads would fail on two documents


def test_symlinks_in_input_are_not_copied(harness, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("host secret\n")
    (harness.input_dir / "data").mkdir()
    (harness.input_dir / "data" / "real.txt").write_text("real\n")
    os.symlink(secret, harness.input_dir / "link.txt")
    os.symlink(tmp_path, harness.input_dir / "data" / "dir-link")
    files = {
        "main.py": """
            import os
            for root, dirs, names in os.walk("."):
                for name in sorted(dirs + names):
                    print(os.path.join(root, name), os.path.islink(os.path.join(root, name)))
        """
    }
    result = harness.run(files, make_job())
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.splitlines()) == ["./data False", "./data/real.txt False", "./main.py False"]


def test_rlimits_are_applied(harness):
    job = make_job()
    job["rlimits"].update({"openFiles": 128, "fileSizeBytes": 1 << 20, "cpuSeconds": 30})
    files = {
        "main.py": """
            import resource
            for name in ("RLIMIT_NOFILE", "RLIMIT_FSIZE", "RLIMIT_CPU", "RLIMIT_CORE"):
                print(name, resource.getrlimit(getattr(resource, name)))
        """
    }
    result = harness.run(files, job)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "RLIMIT_NOFILE (128, 128)",
        f"RLIMIT_FSIZE ({1 << 20}, {1 << 20})",
        "RLIMIT_CPU (30, 31)",
        "RLIMIT_CORE (0, 0)",
    ]


@pytest.mark.parametrize("start_method", ["spawn", "forkserver", "fork"])
def test_multiprocessing_pool_works_from_learner_script(harness, start_method):
    files = {
        "main.py": f"""
            import multiprocessing

            def square(x):
                return x * x

            if __name__ == "__main__":
                multiprocessing.set_start_method("{start_method}")
                with multiprocessing.Pool(2) as pool:
                    print(sum(pool.map(square, range(10))))
        """
    }
    result = harness.run(files, make_job())
    assert result.returncode == 0, result.stderr
    assert result.stdout == "285\n"
    assert result.document["exitCode"] == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="dropping privileges needs root")
def test_drop_privileges_gives_the_learner_its_own_work_dir(tmp_path):
    import shutil
    import tempfile

    from conftest import HarnessRunner

    # Under a world-searchable folder: pytest's tmp_path is private to root.
    base = Path(tempfile.mkdtemp(prefix="perflab-drop-", dir="/tmp"))
    base.chmod(0o755)
    try:
        runner = HarnessRunner(base)
        job = make_job(dropPrivileges={"uid": 61001, "gid": 61001})
        files = {
            "main.py": """
                import os
                print(os.getuid(), os.getgid(), os.getgroups())
                with open("written.txt", "w") as output:
                    output.write("mine")
            """
        }
        result = runner.run(files, job)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "61001 61001 []\n"
        for name in (".", "main.py", "written.txt"):
            assert os.stat(runner.work_dir / name).st_uid == 61001
        assert result.document["exitCode"] == 0
    finally:
        shutil.rmtree(base)
