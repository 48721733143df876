from conftest import assert_well_formed, make_job

FILES = {
    "main.py": """
        import threading
        from tally import Tally, logged

        @logged
        def sum_of_squares(n):
            total = 0
            for i in range(n):
                total += i * i
            return total

        def count_in_thread(tally):
            for _ in range(50):
                tally.add(3)

        if __name__ == "__main__":
            print(sum_of_squares(1000))
            tally = Tally()
            worker = threading.Thread(target=count_in_thread, args=(tally,))
            worker.start()
            worker.join()
            print(tally.value)
    """,
    "tally.py": """
        import functools

        def logged(function):
            @functools.wraps(function)
            def wrapper(*args):
                return function(*args)
            return wrapper

        class Tally:
            def __init__(self):
                self.value = 0

            def add(self, amount):
                for _ in range(amount):
                    self.value += 1
    """,
}


def lines_by_number(function):
    return {line["line"]: line for line in function["lines"]}


def test_lines_times_functions_in_entry_modules_methods_and_threads(harness):
    targets = [
        {"file": "main.py", "line": 5, "name": "sum_of_squares"},  # the def line of a decorated function
        {"file": "tally.py", "line": 13, "name": "Tally.add"},
        {"file": "main.py", "line": 11, "name": "count_in_thread"},
        {"file": "main.py", "line": 1, "name": "does_not_exist"},
    ]
    result = harness.run(FILES, make_job(mode="lines", lines={"targets": targets}))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "332833500\n150\n"
    document = result.document
    assert_well_formed(document, "lines")
    squares, add, in_thread, missing = document["functions"]

    assert (squares["name"], squares["file"], squares["line"]) == ("sum_of_squares", "main.py", 5)
    squares_lines = lines_by_number(squares)
    assert squares_lines[8]["source"] == "        total += i * i"
    assert squares_lines[8]["hits"] == 1000
    assert squares_lines[7]["hits"] == 1001
    assert squares_lines[6]["hits"] == 1 and squares_lines[9]["hits"] == 1
    assert squares_lines[4]["source"] == "@logged"
    assert squares["totalMs"] > 0 and squares_lines[8]["timeMs"] > 0

    add_lines = lines_by_number(add)
    assert add["file"] == "tally.py"
    assert add_lines[15]["source"].strip() == "self.value += 1"
    assert add_lines[15]["hits"] == 150

    assert lines_by_number(in_thread)[13]["hits"] == 50

    assert missing["lines"] == [] and missing["totalMs"] == 0
