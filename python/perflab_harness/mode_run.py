"""run: the program as it is, with nothing measured beyond the common fields."""

from perflab_harness.program import run_entry


def empty_fields():
    return {}


def run(context):
    return run_entry(context.entry_path, context.locator)
