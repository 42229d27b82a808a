"""The output budget (autograder/outputs.py): every output type counts, per cell and per notebook."""

from nbformat import validate
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbgrader.utils import determine_grade

from autograder.outputs import OutputBudget, json_size, shorten_error, shorten_text

KIB = 1024


def _stream(size):
    return new_output("stream", name="stdout", text="x" * size)


def _json_display(numbers):
    return new_output("display_data", data={"application/json": {"values": list(range(numbers))}})


def test_non_string_data_is_measured_as_json():
    output = _json_display(10_000)
    assert json_size(output) > 10_000 * 4
    assert not OutputBudget(cell_limit=10 * KIB, notebook_limit=10**9).admit(output)


def test_every_message_is_charged_so_replacements_cannot_flood():
    budget = OutputBudget(cell_limit=100 * KIB, notebook_limit=10**9)
    update = {"data": {"text/plain": "y" * KIB}, "metadata": {}, "transient": {"display_id": "a"}}
    admitted = [budget.admit(update) for _ in range(1000)]
    assert admitted.count(True) < 100 and not admitted[-1]


def test_metadata_counts_too():
    budget = OutputBudget(cell_limit=10 * KIB, notebook_limit=10**9)
    assert not budget.admit({"data": {}, "metadata": {"x": "m" * 20 * KIB}})


def test_a_cell_keeps_what_fits_and_says_it_dropped_the_rest():
    budget = OutputBudget(cell_limit=10 * KIB, notebook_limit=10**9)
    kept = budget.settle([_stream(4 * KIB), _stream(4 * KIB), _stream(4 * KIB)])
    assert len(kept) == 3 and "the grader dropped this cell's output" in kept[-1].text
    assert sum(json_size(o) for o in kept) < 10 * KIB + 200


def test_the_notebook_cap_holds_across_cells():
    budget = OutputBudget(cell_limit=10 * KIB, notebook_limit=25 * KIB)
    kept = [budget.settle([_stream(9 * KIB)]) for _ in range(5)]
    assert [len(outputs) for outputs in kept] == [1, 1, 1, 1, 1]
    assert "dropped" in kept[2][0].text and "dropped" in kept[4][0].text
    assert budget.notebook_used <= 25 * KIB + 3 * 200


def test_a_huge_error_is_shortened_and_kept_so_the_cell_still_fails():
    error = new_output("error", ename="E" * 10**6, evalue="v" * 20 * 2**20, traceback=["t" * 10**5] * 10**4)
    budget = OutputBudget(cell_limit=10 * KIB, notebook_limit=10 * KIB)
    kept = budget.settle([_stream(9 * KIB), error])
    assert json_size(kept) < 120 * KIB
    cell = new_code_cell("check()", outputs=kept)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 2, "locked": True}
    assert determine_grade(cell) == (0, 2)


def test_errors_with_non_text_fields_become_plain_text():
    error = shorten_error({"output_type": "error", "ename": 5, "evalue": {"a": 1}, "traceback": "not a list"})
    assert (error.ename, error.evalue, error.traceback) == ("5", "{'a': 1}", [])


def test_beyond_the_room_one_note_and_one_error_are_kept():
    budget = OutputBudget(cell_limit=KIB, notebook_limit=10**9)
    budget.admit({"text": "x" * 2 * KIB})
    first = budget.overflow("stream", {})
    errors = [budget.overflow("error", {"ename": "E", "evalue": "v" * 10**6, "traceback": []}) for _ in range(100)]
    assert len(first) == 1 and sum(map(len, errors)) == 1
    assert len(errors[0][0].evalue) < 3000


def test_grader_text_is_shortened_with_a_note():
    short = shorten_text("z" * 20 * 2**20, 500)
    assert len(short) < 600 and short.endswith("more characters cut by the grader]")
    assert shorten_text("fine", 500) == "fine"


def test_settled_outputs_are_valid_nbformat():
    budget = OutputBudget(cell_limit=10 * KIB, notebook_limit=10**9)
    kept = budget.settle([_stream(20 * KIB), new_output("error", ename="E", evalue="v", traceback=["t"])])
    validate(new_notebook(cells=[new_code_cell("x", outputs=kept)]))
