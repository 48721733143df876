"""perflab start-up hook: runs in every Python process of a sandboxed run (PYTHONPATH).

It must cost next to nothing and never break or disturb the program: it imports nothing
that is not already loaded at start-up, and the SIGUSR1 stack dump loads its code from
perflab_stackdump.py only when the signal arrives.
"""


def _perflab_install():
    import os  # already imported by site
    import sys

    # Applied, then removed: nothing in the environment may tell learner code it is being
    # graded. The harness hands it on to the runs of repeat mode itself.
    interval_s = os.environ.pop("PERFLAB_SWITCH_INTERVAL_S", None)
    if interval_s:
        try:
            sys.setswitchinterval(float(interval_s))
        except (ValueError, TypeError):
            pass
    if not os.environ.get("PERFLAB_DIAG_SOCKET"):
        return
    import _signal  # built in and already loaded; `signal` would import enum

    dump_code_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "perflab_stackdump.py")
    loaded = {}

    def on_sigusr1(signum, frame):
        # Runs between two bytecodes of whatever the program was doing: never raise.
        try:
            if "send" not in loaded:
                namespace = {"__name__": "perflab_stackdump", "__file__": dump_code_path}
                with open(dump_code_path, "rb") as source:
                    exec(compile(source.read(), dump_code_path, "exec"), namespace)
                loaded["send"] = namespace["send_stack_dump"]
            loaded["send"]()
        except Exception:  # noqa: BLE001
            pass

    try:
        _signal.signal(_signal.SIGUSR1, on_sigusr1)
    except (ValueError, OSError):
        pass  # not the main thread of the main interpreter: no handler, no harm


_perflab_install()
del _perflab_install
