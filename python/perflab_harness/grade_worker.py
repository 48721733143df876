# Over 400 lines: the worker binds all it needs before exercise code runs, so it imports nothing of ours.
"""`python -m perflab_harness.grade_worker`: one side's code (the learner's files, or the
starter or reference tree served from memory), answering the grader's requests.

The grader (mode_grade.py) starts a fresh worker per sample and trusts nothing it says: this
module only has to be correct for honest code. It still binds everything its request loop
needs before any exercise code runs, so a learner module that rebinds `time`, `gc`, `pickle`,
`json`, builtins or this module's own globals changes nothing here.

Channel: two pipes whose numbers arrive as "REQUEST,REPLY" in PERFLAB_WORKER_FDS, which is
removed from the environment before exercise code runs. A frame is a 4-byte big-endian length
and a payload. Requests are pickles (they come from the trusted grader); replies are UTF-8
JSON, with Python values in the tagged encoding of `make_value_encoder`, so the grader never
unpickles what a worker sends.

Requests (dicts, key "op"), each answered by one reply frame unless noted:

- setup {tree}: `tree` is {path: source} for starter/reference workers (installed as an import
  hook, never written to disk) or None for the learner; puts the cwd first on sys.path.
- import {module}
- call {function, args, kwargs, loops}: calls `module.function(*args, **kwargs)` `loops`
  times and replies with the last result. args arrive inside this request, so nothing in the
  worker can know the input before the grader's clock runs.
- call_each {function, inputs}: one call per (args, kwargs); replies with the list of results.

A call's reply is one frame, {"ok": true, "value": ...}, and the grader's clock stops only
when that whole frame has arrived. Learner code can reach this loop's `send` (through
sys._getframe) and write a reply of its own before doing the work, so the grader also checks
the results a timed reply carries against results the reference computed beforehand: a
reply sent early carries no correct results and is a failed measurement, never a fast one.
- ready {}: gc.collect() (memory-per-instance baseline).
- instances {function, count}: keeps [function(i) for i in range(count)], gc.collect(),
  and says whether the instances have a __dict__.

Replies: {"ok": true, ...} or {"ok": false, "error": {"kind": ..., ...}} with kind one of
exception (type, message, traceback), exit (code), missing (message), unsupported (type),
too-deep, too-large, changed.
"""

import binascii
import gc
import importlib
import importlib.abc
import importlib.util
import json.encoder
import os
import pickle
import sys

FDS_ENV = "PERFLAB_WORKER_FDS"
HEADER_BYTES = 4
MAX_FRAME_BYTES = 64 * 1024 * 1024
# Nesting deeper than this is refused rather than risking recursion limits on either side
# (each level costs up to three levels of JSON).
MAX_VALUE_DEPTH = 150
# Containers and scalars in one result; beyond this the encoded reply would not fit a frame.
MAX_VALUE_NODES = 4_000_000
MAX_TEXT_CHARS = 2000
TRACEBACK_FRAMES = 6

# Py_TPFLAGS_HEAPTYPE: classes made by a `class` statement (as opposed to C types).
_HEAP_TYPE_FLAG = 1 << 9


class ValueNotSendable(Exception):
    """A value the tagged encoding cannot carry; `kind` is unsupported | too-deep | too-large."""

    def __init__(self, kind, type_name=None, nested=False):
        super().__init__(kind if type_name is None else f"{kind}: {type_name}")
        self.kind = kind
        self.type_name = type_name
        self.nested = nested  # inside the result rather than the result itself


def make_value_encoder():
    """Returns encode(value) -> JSON text of the tagged encoding.

    Tagged values are JSON arrays: ["none"], ["bool", b], ["int", HEX], ["float", REPR],
    ["str", s], ["bytes", BASE64], ["list"|"tuple"|"set"|"frozenset", [items]] and
    ["dict", [[key, value], ...]]. Ints travel as hex text (no digit limit, no precision
    loss), floats as repr text (nan, inf and -inf included). Subclasses of these types
    (Counter, defaultdict, OrderedDict, namedtuple, IntEnum) travel as their base type, read
    through the base type's own methods so that overridden methods are never called.

    Everything used is bound here, once, so the encoder keeps working however the program
    rebinds builtins or the json module afterwards; the grader also uses it, to check how
    long encoding a result should take.
    """
    type_of = type
    is_subclass = issubclass
    quote = json.encoder.encode_basestring_ascii
    to_base64 = binascii.b2a_base64
    int_format = int.__format__
    float_repr = float.__repr__
    exact_str = str.__str__
    dict_items = dict.items
    list_iter = list.__iter__
    tuple_iter = tuple.__iter__
    set_iter = set.__iter__
    frozenset_iter = frozenset.__iter__
    qualname_of = type.__dict__["__qualname__"].__get__
    none_type = type(None)
    sequences = (
        (list, "list", list_iter),
        (tuple, "tuple", tuple_iter),
        (set, "set", set_iter),
        (frozenset, "frozenset", frozenset_iter),
    )

    def encode(value):
        out = []
        nodes = [0]

        def walk(item, depth):
            if depth > MAX_VALUE_DEPTH:
                raise ValueNotSendable("too-deep")
            nodes[0] += 1
            if nodes[0] > MAX_VALUE_NODES:
                raise ValueNotSendable("too-large")
            kind = type_of(item)
            if kind is none_type:
                out.append('["none"]')
            elif kind is bool:
                out.append('["bool",true]' if item is True else '["bool",false]')
            elif is_subclass(kind, int):
                out.append('["int","' + int_format(item, "x") + '"]')
            elif is_subclass(kind, float):
                out.append('["float","' + float_repr(item) + '"]')
            elif is_subclass(kind, str):
                out.append('["str",' + quote(exact_str(item)) + "]")
            elif is_subclass(kind, (bytes, bytearray)):
                out.append('["bytes","' + to_base64(item, newline=False).decode("ascii") + '"]')
            elif is_subclass(kind, dict):
                out.append('["dict",[')
                first = True
                for key, member in dict_items(item):
                    out.append("[" if first else ",[")
                    first = False
                    walk(key, depth + 1)
                    out.append(",")
                    walk(member, depth + 1)
                    out.append("]")
                out.append("]]")
            else:
                for base, tag, iterate in sequences:
                    if is_subclass(kind, base):
                        out.append('["' + tag + '",[')
                        first = True
                        for member in iterate(item):
                            if not first:
                                out.append(",")
                            first = False
                            walk(member, depth + 1)
                        out.append("]]")
                        break
                else:
                    raise ValueNotSendable("unsupported", qualname_of(kind), nested=depth > 0)

        walk(value, 0)
        text = "".join(out)
        if len(text) > MAX_FRAME_BYTES - 64:
            raise ValueNotSendable("too-large")
        return text

    return encode


class _TreeLoader(importlib.abc.Loader):
    # No get_source and nothing put in linecache: tracebacks and the host's stack dumps then
    # name the file, line and function of starter, reference or hidden code, never its text.
    def __init__(self, filename, source):
        self._filename = filename
        self._source = source

    def create_module(self, spec):
        return None  # the default module object

    def exec_module(self, module):
        code = compile(self._source, self._filename or f"<{module.__name__}>", "exec", dont_inherit=True)
        exec(code, module.__dict__)  # noqa: S102 - this is what importing a module does


class TreeFinder(importlib.abc.MetaPathFinder):
    """Serves a tree of Python sources held in memory ({"pkg/mod.py": source}) as importable
    modules; folders without an __init__.py become empty packages, as they would on disk.
    A module's __file__ (and its name in tracebacks) is its path in the tree ("words.py")."""

    def __init__(self, files):
        self._modules = {}
        for path, source in files.items():
            if not path.endswith(".py"):
                continue
            parts = path[: -len(".py")].split("/")
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            if not parts or not all(part.isidentifier() for part in parts):
                continue
            self._modules[".".join(parts)] = (path, source, is_package)
        for name in list(self._modules):
            parts = name.split(".")
            for depth in range(1, len(parts)):
                self._modules.setdefault(".".join(parts[:depth]), (None, "", True))

    @property
    def filenames(self):
        return {filename for filename, _, _ in self._modules.values() if filename}

    def find_spec(self, fullname, path=None, target=None):
        entry = self._modules.get(fullname)
        if entry is None:
            return None
        filename, source, is_package = entry
        spec = importlib.util.spec_from_loader(
            fullname, _TreeLoader(filename, source), origin=filename, is_package=is_package
        )
        spec.has_location = filename is not None  # sets __file__
        return spec


def _park_high(fd):
    # Learner code tends to use low descriptors (dup2 onto 3, closerange(3, 64)); close-on-exec
    # keeps the channel out of every program the learner's code starts.
    from perflab_harness.sandbox_setup import park_high_fd

    return park_high_fd(fd)


def _make_non_dumpable():
    """No other process of the same uid may read this one's memory (/proc/PID/mem, ptrace):
    a starter or reference worker holds hidden source. Set before the tree arrives; exec
    makes a process dumpable again, so the grader's own setting does not carry over. Fails
    closed: a worker that cannot protect itself does not start."""
    import ctypes

    pr_set_dumpable = 4
    try:
        if ctypes.CDLL(None, use_errno=True).prctl(pr_set_dumpable, 0, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")
    except (OSError, AttributeError) as error:
        print(f"perflab grade worker: cannot make itself non-dumpable: {error}", file=sys.stderr)
        sys.exit(2)


def _die_with_parent():
    # When the sandbox runs out of memory, the kernel should pick a worker, not the grader
    # (which then reports the failure); an unprivileged process may raise its own score.
    try:
        with open("/proc/self/oom_score_adj", "w") as score:
            score.write("1000")
    except OSError:
        pass
    # A grader killed by the host must not leave a learner's endless loop running behind it.
    try:
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _exception_type_name(error_type):
    module = getattr(error_type, "__module__", None)
    name = getattr(error_type, "__qualname__", None) or getattr(error_type, "__name__", "?")
    if module in (None, "builtins", "__main__"):
        return str(name)
    return f"{module}.{name}"


def _clip(text):
    return text if len(text) <= MAX_TEXT_CHARS else text[: MAX_TEXT_CHARS - 1] + "…"


def serve(request_fd, reply_fd):
    """The request loop. Every name it uses after the first request is bound below."""
    read = os.read
    write = os.write
    exit_now = os._exit
    getcwd = os.getcwd
    loads = pickle.loads
    import_module = importlib.import_module
    collect = gc.collect
    gc_enabled = gc.isenabled
    gc_enable = gc.enable
    gc_disable = gc.disable
    get_attribute = getattr
    is_callable = callable
    from_bytes = int.from_bytes
    encode = make_value_encoder()
    quote = json.encoder.encode_basestring_ascii
    object_getattribute = object.__getattribute__
    type_of = type
    dictoffset_of = type.__dict__["__dictoffset__"].__get__
    flags_of = type.__dict__["__flags__"].__get__
    mro_of = type.__dict__["__mro__"].__get__
    namespace_of = type.__dict__["__dict__"].__get__
    qualname_of = type.__dict__["__qualname__"].__get__
    module_of = type.__dict__["__module__"].__get__
    is_instance = isinstance
    str_of = str
    repr_of = repr
    range_of = range
    length = len
    meta_path = sys.meta_path
    search_path = sys.path
    view_of = memoryview
    clip = _clip
    type_name_of = _exception_type_name
    not_sendable = ValueNotSendable
    system_exit = SystemExit
    tree_finder = TreeFinder
    import traceback

    extract_tb = traceback.extract_tb
    state = {"module": None, "tree_files": frozenset(), "kept": None}

    def read_exactly(count):
        chunks = []
        while count:
            chunk = read(request_fd, min(count, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            count -= length(chunk)
        return b"".join(chunks)

    def receive():
        header = read_exactly(HEADER_BYTES)
        if header is None:
            return None
        payload = read_exactly(from_bytes(header, "big"))
        return None if payload is None else loads(payload)

    def send(text):
        data = text.encode("utf-8")
        view = view_of(length(data).to_bytes(HEADER_BYTES, "big") + data)
        while view:
            view = view[write(reply_fd, view) :]

    def text(value):
        # JSON string for learner-controlled text, shortened; a broken __str__ is their bug,
        # not a reason to lose the reply.
        try:
            value = str_of(value)
        except BaseException:  # noqa: BLE001
            value = "<unprintable>"
        return quote(clip(value))

    def is_exercise_file(filename):
        return filename in state["tree_files"] or filename.startswith(getcwd() + "/")

    def short_traceback(error):
        try:
            frames = [frame for frame in extract_tb(error.__traceback__) if is_exercise_file(frame.filename)]
        except BaseException:  # noqa: BLE001 - the program may have broken traceback/linecache
            return ""
        lines = []
        prefix = getcwd() + "/"
        for frame in frames[-TRACEBACK_FRAMES:]:
            filename = frame.filename[length(prefix) :] if frame.filename.startswith(prefix) else frame.filename
            lines.append(f'  File "{filename}", line {frame.lineno}, in {frame.name}\n')
            if frame.line:
                lines.append(f"    {frame.line.strip()}\n")
        return "".join(lines)

    def failure(error):
        if is_instance(error, system_exit):
            try:
                code = repr_of(error.code)
            except BaseException:  # noqa: BLE001
                code = "?"
            return '{"ok":false,"error":{"kind":"exit","code":' + quote(clip(code)) + "}}"
        if is_instance(error, not_sendable):
            return (
                '{"ok":false,"error":{"kind":'
                + quote(error.kind)
                + ',"type":'
                + text(error.type_name or "")
                + ',"nested":'
                + ("true" if error.nested else "false")
                + "}}"
            )
        return (
            '{"ok":false,"error":{"kind":"exception","type":'
            + text(type_name_of(type_of(error)))
            + ',"message":'
            + text(error)
            + ',"traceback":'
            + quote(clip(short_traceback(error)))
            + "}}"
        )

    def missing(message):
        return '{"ok":false,"error":{"kind":"missing","message":' + quote(clip(message)) + "}}"

    def function_named(name):
        module = state["module"]
        try:
            function = get_attribute(module, name)
        except AttributeError:
            return None, missing(f"{module.__name__} has no function {name}")
        if not is_callable(function):
            return None, missing(f"{module.__name__}.{name} is not a function")
        return function, None

    def send_result(value):
        """Encodes the result and sends it as one frame. The grader's clock stops when the
        frame is complete, so encoding is inside it: nothing the program left running (a
        thread still filling the returned list) can finish its work after the clock stopped."""
        was_enabled = gc_enabled()
        gc_disable()
        try:
            encoded = encode(value)
            frame = '{"ok":true,"value":' + encoded + "}"
        except RuntimeError:
            # A dict or set changed size while it was being read: the program's own thread.
            frame = '{"ok":false,"error":{"kind":"changed"}}'
        finally:
            if was_enabled:
                gc_enable()
        send(frame)

    def has_dict(instance):
        cls = type_of(instance)
        if dictoffset_of(cls) != 0:
            return True
        # A class statement without __slots__ (or with "__dict__" in them) anywhere in the
        # MRO gives instances a __dict__.
        for klass in mro_of(cls):
            if not flags_of(klass) & _HEAP_TYPE_FLAG:
                continue
            slots = namespace_of(klass).get("__slots__")
            if slots is None:
                return True
            names = (slots,) if is_instance(slots, str) else slots
            try:
                if "__dict__" in names:
                    return True
            except TypeError:
                return True
        try:
            object_getattribute(instance, "__dict__")
        except AttributeError:
            return False
        return True

    def handle(request):
        op = request.get("op")
        if op == "setup":
            tree = request.get("tree")
            if tree is not None:
                finder = tree_finder(tree)
                meta_path.insert(0, finder)
                state["tree_files"] = frozenset(finder.filenames)
            cwd = getcwd()
            if cwd not in search_path:
                search_path.insert(0, cwd)
            return '{"ok":true}'
        if op == "import":
            state["module"] = import_module(request["module"])
            return '{"ok":true}'
        if op == "call":
            function, problem = function_named(request["function"])
            if problem:
                return problem
            args, kwargs = request["args"], request["kwargs"]
            result = None
            for _ in range_of(request["loops"]):
                result = function(*args, **kwargs)
            send_result(result)
            return None
        if op == "call_each":
            # One call per input, each input different: a learner cannot answer the later
            # calls of a timed batch from what the first one computed.
            function, problem = function_named(request["function"])
            if problem:
                return problem
            results = [function(*args, **kwargs) for args, kwargs in request["inputs"]]
            send_result(results)
            return None
        if op == "ready":
            collect()
            return '{"ok":true}'
        if op == "instances":
            factory, problem = function_named(request["function"])
            if problem:
                return problem
            kept = [factory(index) for index in range_of(request["count"])]
            state["kept"] = kept
            collect()
            if not kept:
                return '{"ok":true,"hasDict":null,"className":null}'
            cls = type_of(kept[0])
            class_name = f"{module_of(cls)}.{qualname_of(cls)}"
            return (
                '{"ok":true,"hasDict":'
                + ("true" if has_dict(kept[0]) else "false")
                + ',"className":'
                + text(class_name)
                + "}"
            )
        return missing(f"unknown request {op!r}")

    while True:
        try:
            request = receive()
        except BaseException:  # noqa: BLE001 - the grader went away mid-frame
            request = None
        if request is None:
            exit_now(0)  # the grader closed the channel: skip the program's atexit handlers
        try:
            reply = handle(request)
        except BaseException as error:  # noqa: BLE001 - SystemExit and KeyboardInterrupt too
            reply = failure(error)
        if reply is not None:
            try:
                send(reply)
            except OSError:
                exit_now(70)


def main():
    raw = os.environ.pop(FDS_ENV, "")
    try:
        request_fd, reply_fd = (int(part) for part in raw.split(","))
    except ValueError:
        print("perflab grade worker: started without its channel", file=sys.stderr)
        sys.exit(2)
    request_fd = _park_high(request_fd)
    reply_fd = _park_high(reply_fd)
    _make_non_dumpable()
    _die_with_parent()
    # What `python script.py` in the work dir would show, rather than this module's path.
    sys.argv = [""]
    serve(request_fd, reply_fd)


if __name__ == "__main__":
    main()
