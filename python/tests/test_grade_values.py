"""The grader's value encoding and comparison, in-process."""

import json

import pytest

from perflab_harness.grade_values import decode_value, describe_pair, values_match
from perflab_harness.grade_worker import ValueNotSendable, make_value_encoder


def test_tagged_encoding_round_trips_and_refuses_other_types():
    from collections import Counter, OrderedDict, namedtuple

    encode = make_value_encoder()
    point = namedtuple("Point", "x y")
    value = {
        "counter": Counter("aab"),
        "ordered": OrderedDict(a=1),
        "point": point(1, 2),
        frozenset({1}): [float("nan"), -0.0, 10**5000],
        b"k": {None},
    }
    decoded = decode_value(json.loads(encode(value)))
    assert values_match(
        {
            "counter": {"a": 2, "b": 1},
            "ordered": {"a": 1},
            "point": (1, 2),
            frozenset({1}): [float("nan"), 0.0, 10**5000],
            b"k": {None},
        },
        decoded,
    )
    with pytest.raises(ValueNotSendable) as refused:
        encode([object()])
    assert refused.value.type_name == "object" and refused.value.nested


def test_values_match_modes_and_difference_reports():
    assert values_match([1.0, 2.0], [1.0, 2.0000000001], "approx")
    assert not values_match([1.0, 2.0], [1.0, 2.0000000001], "equal")
    assert values_match([3, 1, 2], (1, 2, 3), "equal") is False
    assert values_match([3, 1, 2], [1, 2, 3], "sorted")
    expected, actual = describe_pair({"the": 12, "a": 3}, {"the": 11, "a": 3})
    assert expected.endswith("; at ['the']: 12") and actual.endswith("; at ['the']: 11")
    expected, actual = describe_pair({"a": 1}, {"a": 1, "b": 2})
    assert actual.endswith("; at ['b']: 2") and expected.endswith("(missing)")
