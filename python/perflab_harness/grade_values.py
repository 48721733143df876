"""Values in the grader: decoding what workers send (hostile input), comparing results with
the expected ones, and the short descriptions a learner sees (never the test source)."""

import binascii
import math
import reprlib

# The worker refuses deeper values; anything deeper here is a forged reply.
MAX_DECODE_DEPTH = 160

APPROX_REL_TOL = 1e-6
APPROX_ABS_TOL = 1e-9

SUMMARY_CHARS = 300
REPR_CHARS = 400

_SEQUENCE_TAGS = {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}


class BadValue(Exception):
    """A reply's value does not follow the tagged encoding."""


def _int(payload):
    if type(payload) is not str:
        raise BadValue("malformed int")
    try:
        return int(payload, 16)
    except ValueError:
        raise BadValue("malformed int") from None


def _float(payload):
    if type(payload) is not str:
        raise BadValue("malformed float")
    try:
        return float(payload)
    except ValueError:
        raise BadValue("malformed float") from None


def _str(payload):
    if type(payload) is not str:
        raise BadValue("malformed str")
    return payload


def _bool(payload):
    if type(payload) is not bool:
        raise BadValue("malformed bool")
    return payload


def _bytes(payload):
    if type(payload) is not str:
        raise BadValue("malformed bytes")
    try:
        return binascii.a2b_base64(payload.encode("ascii"))
    except (ValueError, binascii.Error):
        raise BadValue("malformed bytes") from None


_SCALARS = {"int": _int, "float": _float, "str": _str, "bool": _bool, "bytes": _bytes}


def decode_value(tagged, depth=0):
    """The Python value of one tagged-encoding node (see grade_worker.make_value_encoder).
    Every node is checked: a worker can send anything."""
    if depth > MAX_DECODE_DEPTH:
        raise BadValue("value nested too deeply")
    if type(tagged) is not list or not tagged:
        raise BadValue("value node is not a tagged array")
    tag = tagged[0]
    if tag == "none" and len(tagged) == 1:
        return None
    if len(tagged) != 2 or type(tag) is not str:
        raise BadValue("malformed value node")
    payload = tagged[1]
    scalar = _SCALARS.get(tag)
    if scalar is not None:
        return scalar(payload)
    if type(payload) is not list:
        raise BadValue(f"malformed {tag!r} node")
    if tag in _SEQUENCE_TAGS:
        try:
            return _SEQUENCE_TAGS[tag](_decode_items(payload, depth + 1))
        except TypeError:
            raise BadValue(f"unhashable member in a {tag}") from None
    if tag == "dict":
        result = {}
        for pair in payload:
            if type(pair) is not list or len(pair) != 2:
                raise BadValue("malformed dict entry")
            key = decode_value(pair[0], depth + 1)
            try:
                result[key] = decode_value(pair[1], depth + 1)
            except TypeError:
                raise BadValue("unhashable dict key") from None
        return result
    raise BadValue(f"unknown value tag {tag!r}")


def _decode_items(payload, depth):
    items = []
    append = items.append
    scalars = _SCALARS
    for node in payload:
        # Flat lists of scalars are the common large result: decoded without recursion.
        if type(node) is list and len(node) == 2 and type(node[0]) is str and node[0] in scalars:
            append(scalars[node[0]](node[1]))
        else:
            append(decode_value(node, depth))
    return items


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numbers_match(expected, actual, approx):
    if isinstance(expected, float) and isinstance(actual, float) and math.isnan(expected) and math.isnan(actual):
        return True
    if approx and (isinstance(expected, float) or isinstance(actual, float)):
        try:
            return math.isclose(expected, actual, rel_tol=APPROX_REL_TOL, abs_tol=APPROX_ABS_TOL)
        except OverflowError:
            return expected == actual
    return expected == actual


def _sorted_if_sequence(value):
    if not isinstance(value, (list, tuple)):
        return value
    try:
        return sorted(value)
    except TypeError:
        # Mixed types: any total order does, as long as both sides get the same one.
        return sorted(value, key=repr)


def values_match(expected, actual, compare="equal"):
    """Python equality (so 1 == 1.0 and a Counter equals a dict), except that NaN equals NaN,
    `approx` compares floats within a relative 1e-6, and `sorted` ignores the order of a
    list or tuple result."""
    if compare == "sorted":
        return _match(_sorted_if_sequence(expected), _sorted_if_sequence(actual), approx=False)
    return _match(expected, actual, approx=compare == "approx")


def _match(expected, actual, approx):
    if _is_number(expected) and _is_number(actual):
        return _numbers_match(expected, actual, approx)
    if isinstance(expected, (list, tuple)):
        return (
            type(actual) is type(expected)
            and len(actual) == len(expected)
            and all(_match(e, a, approx) for e, a in zip(expected, actual, strict=True))
        )
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or len(actual) != len(expected):
            return False
        for key, value in expected.items():
            if key not in actual or not _match(value, actual[key], approx):
                return False
        return True
    return expected == actual


def first_difference(expected, actual, compare="equal"):
    """(path, expected part, actual part) for the first place inside a list, tuple or dict
    result where the two differ; None when the difference is at the top or there is none."""
    if compare == "sorted":
        expected, actual = _sorted_if_sequence(expected), _sorted_if_sequence(actual)
    approx = compare == "approx"
    path = []
    while True:
        if isinstance(expected, dict) and isinstance(actual, dict):
            step = _dict_difference(expected, actual, approx)
        elif isinstance(expected, (list, tuple)) and type(actual) is type(expected):
            step = _sequence_difference(expected, actual, approx)
        else:
            step = None
        if step is None:
            break
        label, expected, actual, final = step
        path.append(label)
        if final:
            break
    if not path:
        return None
    return "".join(path), expected, actual


_MISSING = object()


def _dict_difference(expected, actual, approx):
    for key, value in expected.items():
        if key not in actual:
            return f"[{_short(key)}]", value, _MISSING, True
        if not _match(value, actual[key], approx):
            return f"[{_short(key)}]", value, actual[key], False
    for key, value in actual.items():
        if key not in expected:
            return f"[{_short(key)}]", _MISSING, value, True
    return None


def _sequence_difference(expected, actual, approx):
    for index, (e, a) in enumerate(zip(expected, actual, strict=False)):
        if not _match(e, a, approx):
            return f"[{index}]", e, a, False
    if len(expected) != len(actual):
        index = min(len(expected), len(actual))
        return (
            f"[{index}]",
            expected[index] if index < len(expected) else _MISSING,
            actual[index] if index < len(actual) else _MISSING,
            True,
        )
    return None


_repr = reprlib.Repr()
_repr.maxlevel = 4
_repr.maxdict = 8
_repr.maxlist = 10
_repr.maxtuple = 10
_repr.maxset = 10
_repr.maxfrozenset = 10
_repr.maxstring = 80
_repr.maxlong = 60
_repr.maxother = 80


def _short(value, limit=80):
    text = "(missing)" if value is _MISSING else _repr.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_value(value, limit=REPR_CHARS):
    """A short repr, with the size of a large container so that a cut repr still says it."""
    text = _short(value, limit)
    if isinstance(value, (list, tuple, dict, set, frozenset, str, bytes)) and len(value) > 10:
        unit = "characters" if isinstance(value, str) else "bytes" if isinstance(value, bytes) else "items"
        text += f" ({type(value).__name__} of {len(value)} {unit})"
    return text


def describe_pair(expected, actual, compare="equal"):
    """expectedRepr and actualRepr, each pointing at the first difference inside them."""
    expected_text = describe_value(expected)
    actual_text = describe_value(actual)
    difference = first_difference(expected, actual, compare)
    if difference is not None:
        path, expected_part, actual_part = difference
        expected_text += f"; at {path}: {_short(expected_part, 160)}"
        actual_text += f"; at {path}: {_short(actual_part, 160)}"
    return expected_text, actual_text


def summarize_args(args, kwargs):
    parts = [_short(arg, 160) + _size_note(arg) for arg in args]
    parts += [f"{name}={_short(value, 160)}{_size_note(value)}" for name, value in kwargs.items()]
    text = "(" + ", ".join(parts) + ")"
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 2] + "…)"


def _size_note(value):
    if isinstance(value, (list, tuple, dict, set, frozenset, str, bytes)) and len(value) > 10:
        return f" [{len(value)}]"
    return ""
