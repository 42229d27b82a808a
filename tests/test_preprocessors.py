"""The StderrToStdout preprocessor: warnings in test cells cost nothing, errors still do."""

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbgrader.utils import determine_grade

from autograder.preprocessors import StderrToStdout


def _cell(outputs, grade=True):
    cell = new_code_cell("check()", outputs=outputs)
    cell.metadata["nbgrader"] = {
        "grade": grade,
        "solution": False,
        "grade_id": "normal_mle",
        "points": 2,
        "locked": True,
        "schema_version": 3,
    }
    return cell


def _run(cell):
    notebook = new_notebook(cells=[cell])
    StderrToStdout().preprocess(notebook, {})
    return notebook.cells[0]


def test_stock_nbgrader_would_score_a_warning_zero():
    cell = _cell([new_output("stream", name="stderr", text="RuntimeWarning: divide by zero\n")])
    assert determine_grade(cell) == (0, 2)


def test_a_warning_in_a_test_cell_keeps_its_points():
    cell = _run(_cell([new_output("stream", name="stderr", text="RuntimeWarning: divide by zero\n")]))
    assert determine_grade(cell) == (2, 2)
    assert cell.outputs[0].name == "stdout" and "divide by zero" in cell.outputs[0].text


def test_an_error_in_a_test_cell_still_scores_zero():
    error = new_output("error", ename="AssertionError", evalue="wrong", traceback=[])
    cell = _run(_cell([new_output("stream", name="stderr", text="warning\n"), error]))
    assert determine_grade(cell) == (0, 2)


def test_cells_that_are_not_graded_are_left_alone():
    cell = _run(_cell([new_output("stream", name="stderr", text="note\n")], grade=False))
    assert cell.outputs[0].name == "stderr"
    assert nbformat.validate(new_notebook(cells=[cell])) is None
