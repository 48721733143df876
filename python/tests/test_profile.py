import base64
import pstats

from conftest import assert_well_formed, make_job

WORD_FREQUENCY = """
    TEXT = "the cat sat on the mat and the dog sat on the log " * 300

    def word_frequencies(text):
        words = text.split()
        return {word: text.count(word) for word in set(words)}

    def main():
        frequencies = word_frequencies(TEXT)
        print(len(frequencies))

    if __name__ == "__main__":
        main()
"""
DISTINCT_WORDS = 8  # the cat sat on mat and dog log


def test_profile_counts_builtin_calls_and_names_the_hot_function(harness, tmp_path):
    result = harness.run({"main.py": WORD_FREQUENCY}, make_job(mode="profile"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{DISTINCT_WORDS}\n"
    document = result.document
    assert_well_formed(document, "profile")
    by_name = {(f["file"], f["name"]): f for f in document["functions"]}

    count = by_name[("~", "<method 'count' of 'str' objects>")]
    assert count["ncalls"] == DISTINCT_WORDS
    assert count["origin"] == "builtin"

    frequencies = by_name[("main.py", "word_frequencies")]
    assert (frequencies["line"], frequencies["origin"], frequencies["ncalls"]) == (3, "user", 1)
    module = by_name[("main.py", "<module>")]
    assert module["ncalls"] == 1
    # The hottest user function by cumulative time below the module itself.
    user_functions = [f for f in document["functions"] if f["origin"] == "user" and f["name"] != "<module>"]
    assert max(user_functions, key=lambda f: f["cumtimeMs"])["name"] == "main"
    assert 0 < frequencies["cumtimeMs"] <= module["cumtimeMs"] <= document["totalMs"] * 1.01 + 0.05

    # Nothing of the harness or runpy is left, and the program's module is the only root.
    for function in document["functions"]:
        assert "perflab_harness" not in function["file"] and "runpy" not in function["file"], function
        assert function["name"] != "<method 'disable' of '_lsprof.Profiler' objects>"
    ids = {f["id"] for f in document["functions"]}
    callees = {edge["calleeId"] for edge in document["edges"]}
    assert {edge["callerId"] for edge in document["edges"]} <= ids and callees <= ids
    assert ids - callees == {module["id"]}
    edge = next(e for e in document["edges"] if e["calleeId"] == count["id"])
    assert edge["callerId"] == by_name[("main.py", "<dictcomp>")]["id"]
    assert edge["ncalls"] == DISTINCT_WORDS

    # The pstats blob loads with the standard library and agrees with the document.
    prof_file = tmp_path / "run.prof"
    prof_file.write_bytes(base64.b64decode(document["pstatsBase64"]))
    stats = pstats.Stats(str(prof_file))
    primitive_calls, calls, _, _, callers = stats.stats[("~", 0, "<method 'count' of 'str' objects>")]
    assert calls == DISTINCT_WORDS
    assert list(callers) == [("main.py", 5, "<dictcomp>")]


def test_profile_keeps_learners_own_exec_and_stdlib(harness):
    files = {
        "main.py": """
            import json
            exec("total = sum(range(10))")
            print(json.dumps({"total": total}))
        """
    }
    result = harness.run(files, make_job(mode="profile"))
    assert result.returncode == 0, result.stderr
    by_name = {f["name"]: f for f in result.document["functions"]}
    assert by_name["<built-in method builtins.exec>"]["ncalls"] == 1
    assert by_name["dumps"]["origin"] == "stdlib"


def test_profile_of_failing_program_still_reports(harness):
    files = {"main.py": "def boom():\n    raise KeyError('k')\n\nboom()\n"}
    result = harness.run(files, make_job(mode="profile"))
    assert result.returncode == 1
    assert result.document["exception"]["type"] == "KeyError"
    assert any(f["name"] == "boom" for f in result.document["functions"])
