"""The harness contract: the JSON Schemas generated from src/core/documents.ts, the validator
compiled from them, and the documents the harness builds before any run fills them in."""

import copy
import json

import pytest
from conftest import NO_RLIMITS, SCHEMA_DIR, assert_matches_contract, contract_validator, make_job

from perflab_contract import generate
from perflab_harness import job as job_module
from perflab_harness import learner_report, mode_grade, result

CHECKS = [
    {"id": "right", "kind": "correctness", "call": "calc.add", "casesFile": "t.py", "compare": "equal"},
    {
        "id": "fast",
        "kind": "speed",
        "call": "calc.add",
        "inputFile": "t.py",
        "inputFunction": "make",
        "baseline": "starter",
        "rounds": 3,
    },
    {
        "id": "scales",
        "kind": "growth",
        "call": "calc.add",
        "inputFile": "t.py",
        "inputFunction": "make",
        "sizes": [10, 100],
        "repeats": 2,
        "withReference": True,
    },
    {"id": "slots", "kind": "memory-per-instance", "call": "calc.Point", "count": 1000, "noDict": True},
    {
        "id": "overlaps",
        "kind": "overlap",
        "call": "calc.fetch",
        "inputFile": "t.py",
        "inputFunction": "make",
        "latencyMs": 50,
    },
    {
        "id": "parallel",
        "kind": "cpu-scaling",
        "call": "calc.run",
        "inputFile": "t.py",
        "inputFunction": "make",
        "serialCall": "calc.serial",
        "rounds": 2,
    },
]


def test_the_compiled_validator_is_what_the_committed_schema_generates():
    # Stale after a change to documents.ts until `npm run build` has run with the venv.
    assert generate.stale_validators() == []


def test_every_mode_job_the_host_sends_is_accepted():
    jobs = [
        make_job(),
        make_job(mode="profile"),
        make_job(mode="lines", lines={"targets": [{"file": "main.py", "line": 1, "name": "f"}]}),
        make_job(mode="memory", memory={"topSites": 5, "topTypes": 5}),
        make_job(mode="timeit", timeit={"candidates": ["f()"], "rounds": 3, "minBatchS": 0.1, "gcEnabled": False}),
        make_job(mode="repeat", repeat={"times": 10, "timeoutS": 5}),
        make_job(mode="grade", grade={"seed": 7, "checks": CHECKS}),
    ]
    for raw in jobs:
        assert_matches_contract(raw)
        assert job_module.parse_job(raw).mode == raw["mode"]
    grade_job = job_module.parse_job(jobs[-1])
    assert mode_grade.parse_grade_section(grade_job.grade, hidden_seed=None)["checks"] == CHECKS


def _with(raw, path, value):
    changed = copy.deepcopy(raw)
    target = changed
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return changed


_DELETE = object()
GRADE_JOB = make_job(mode="grade", grade={"seed": 7, "checks": CHECKS})


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        (_with(make_job(), ["rlimits", "nproc"], -1), "job.rlimits.nproc"),
        (_with(make_job(), ["argv"], ["a", 1]), "job.argv[1]"),
        (_with(make_job(), ["rlimits"], _DELETE), "rlimits"),
        (
            make_job(mode="timeit", timeit={"candidates": [], "rounds": 1, "minBatchS": 0.1, "gcEnabled": False}),
            "candidates",
        ),
        (_with(GRADE_JOB, ["grade", "checks", 0, "call"], "add"), "job.grade.checks[0] "),
        (_with(GRADE_JOB, ["grade", "checks", 1, "inputFunction"], "make input"), "job.grade.checks[1] "),
        (_with(GRADE_JOB, ["grade", "checks", 2, "sizes"], []), "job.grade.checks[2] "),
        (_with(GRADE_JOB, ["grade", "checks", 3, "kind"], "vibes"), "job.grade.checks[3] "),
        (_with(GRADE_JOB, ["grade", "checks", 4, "id"], ""), "job.grade.checks[4] "),
    ],
)
def test_a_job_off_the_schema_is_a_bad_job_that_names_the_field(raw, named):
    # A grade check is one of six shapes (oneOf): the message names the check, not the field.
    with pytest.raises(job_module.BadJob, match="does not match perflab.job/1") as error:
        job_module.parse_job(raw)
    assert named in str(error.value)


def test_semantic_checks_the_schema_cannot_say_stay():
    with pytest.raises(job_module.BadJob, match="relative to the work dir"):
        job_module.parse_job(make_job(entry="../escape.py"))
    with pytest.raises(job_module.BadJob, match="needs a 'timeit' section"):
        job_module.parse_job(make_job(mode="timeit"))


def test_a_blank_measurement_of_every_kind_is_a_valid_grade_result():
    document = {
        "schema": result.RESULT_SCHEMA,
        "mode": "grade",
        "python": result.python_info(),
        "cpusAvailable": result.cpus_available(),
        "exitCode": 0,
        "exception": None,
        "setupError": None,
        **result.resource_usage_fields(),
        "harnessWallMs": 1.0,
        "measurements": [mode_grade.blank_measurement(check) for check in CHECKS],
    }
    assert_matches_contract(document)
    broken = copy.deepcopy(document)
    broken["measurements"][1]["baselineS"] = None
    with pytest.raises(AssertionError, match="breaks the contract"):
        assert_matches_contract(broken)


def test_no_rlimits_means_inherited_limits():
    # null is the schema's "leave the limit alone"; the fixture jobs rely on it.
    contract_validator("perflab.job/1")(make_job(rlimits=dict(NO_RLIMITS)))


def _result_definitions():
    return json.loads((SCHEMA_DIR / "result.schema.json").read_text(encoding="utf-8")).get("definitions", {})


def _sample(schema, every_field, depth=0):
    """A value the schema accepts: every required field (and, with every_field, every optional
    one) filled with a plain value of its type, one item per list. A recursive type (the memray
    tree) is followed twice, then its lists are left empty."""
    if "$ref" in schema:
        schema = _result_definitions()[schema["$ref"].rsplit("/", 1)[-1]]
        depth += 1
    if isinstance(schema.get("type"), list):
        schema = {**schema, "type": schema["type"][0]}
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [option for option in schema[key] if option.get("type") != "null"]
            return _sample(options[0], every_field, depth)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        names = schema.get("properties", {}) if every_field else schema.get("required", [])
        return {name: _sample(schema["properties"][name], every_field, depth) for name in names}
    if kind == "array":
        return [_sample(schema["items"], every_field, depth)] if depth < 2 else []
    return {"string": "x", "integer": 1, "number": 1.5, "boolean": True}[kind]


def _mode_variants():
    """The result schema's variant per mode, and the fields every mode has."""
    variants = {
        variant["properties"]["mode"]["const"]: variant
        for variant in json.loads((SCHEMA_DIR / "result.schema.json").read_text(encoding="utf-8"))["oneOf"]
    }
    common = set.intersection(*(set(variant["properties"]) for variant in variants.values()))
    return variants, common


@pytest.mark.parametrize("mode", sorted(learner_report.MODE_FIELDS))
def test_the_learner_report_check_keeps_exactly_the_fields_the_schema_has(mode):
    # The supervisor's check of the untrusted learner report is hand-written (it runs on every
    # run's path); this keeps it to the generated schema: a field added to a mode in
    # documents.ts and not to learner_report.py would be dropped or rejected, and fails here.
    variants, common = _mode_variants()
    mode_schema = {
        "type": "object",
        "properties": {name: spec for name, spec in variants[mode]["properties"].items() if name not in common},
        "required": [name for name in variants[mode]["required"] if name not in common],
    }
    for every_field in (False, True):
        fields = _sample(mode_schema, every_field)
        report = {"exception": None, "setupError": None, "modeFields": fields, "childrenMaxRssKb": 1}
        checked = learner_report.check_report(report, mode)
        assert checked is not None and checked["modeFields"] == fields, (mode, fields)
    for name in mode_schema["required"]:
        fields = _sample(mode_schema, every_field=True)
        del fields[name]
        report = {"exception": None, "setupError": None, "modeFields": fields, "childrenMaxRssKb": 1}
        assert learner_report.check_report(report, mode) is None, f"{mode} report without {name} was accepted"


HIDDEN = {"schema": "perflab.hidden/1", "seed": 7, "trees": {"reference": {"calc.py": ""}}, "tests": {}}


@pytest.mark.parametrize(
    ("document", "named"),
    [
        ({**HIDDEN, "schema": "perflab.hidden/0"}, "hidden.schema"),
        ({**HIDDEN, "seed": True}, "hidden.seed"),
        ({**HIDDEN, "seed": 1.5}, "hidden.seed"),
        ({**HIDDEN, "trees": {"reference": {"calc.py": 1}}}, "hidden.trees"),
        ({**HIDDEN, "trees": {"solution": {"calc.py": ""}}}, "hidden.trees"),
        ({**HIDDEN, "tests": {"tests/cases.py": None}}, "hidden.tests"),
    ],
)
def test_a_hidden_document_off_the_schema_names_the_field(document, named):
    from perflab_contract import JsonSchemaValueException
    from perflab_contract.hidden_validator import validate

    validate(HIDDEN, name_prefix="hidden")
    with pytest.raises(JsonSchemaValueException) as error:
        validate(document, name_prefix="hidden")
    assert str(error.value).startswith(named)


def test_booleans_are_not_integers_in_a_job():
    with pytest.raises(job_module.BadJob, match="job.rlimits.nproc"):
        job_module.parse_job(_with(make_job(), ["rlimits", "nproc"], True))
