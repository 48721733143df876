"""The harness contract, compiled: validators generated from the JSON Schemas in
perflab_harness/schemas/ (themselves generated from src/core/documents.ts).

The validators are fastjsonschema's compile_to_code output, committed (generate.py writes
them; python/tests/test_contract.py fails when they are stale). Compiling at run time, or
importing fastjsonschema itself, would cost every harness start tens of milliseconds; the
generated module needs only the two exception classes below, so it imports nothing but the
standard library. They take the constructor arguments of fastjsonschema's own classes.
"""


class JsonSchemaValueException(ValueError):
    """A document does not match its schema; str() is the first mismatch, such as
    'data.rlimits.nproc must be integer'."""

    def __init__(self, message, value=None, name=None, definition=None, rule=None):
        super().__init__(message)
        self.message = message
        self.value = value
        self.name = name
        self.definition = definition
        self.rule = rule


class JsonSchemaValuesException(JsonSchemaValueException):
    """Several mismatches at once (fastjsonschema raises it only with fast_fail=False)."""

    def __init__(self, errors):
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors
