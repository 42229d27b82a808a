"""Source notebooks: stored clean, in sync with solutions/, and executable top to bottom."""

import ast
import json

import nbformat
import pytest

import solutions
from autograder.execute import HardenedExecute
from autograder.notebooks import BEGIN, END, graded_function_in, solution_cell_source, sync_solutions
from tests.conftest import ROOT, SOURCE_NOTEBOOKS, read_notebook


@pytest.mark.parametrize("path", SOURCE_NOTEBOOKS, ids=lambda p: p.parent.name)
def test_source_notebooks_are_stored_without_outputs(path):
    notebook = json.loads(path.read_text())
    for cell in notebook["cells"]:
        assert not cell.get("outputs") and not cell.get("execution_count"), cell["source"][:60]


def test_solution_cells_are_the_code_of_solutions():
    assert sync_solutions(ROOT, check=True) == []


def test_every_graded_function_of_a_notebook_has_a_solution_cell_and_test_cells():
    for path in SOURCE_NOTEBOOKS:
        cells = read_notebook(path).cells
        defined = [name for name in map(graded_function_in, cells) if name]
        grade_ids = [c.metadata["nbgrader"]["grade_id"] for c in cells if c.metadata.get("nbgrader", {}).get("grade")]
        for name in defined:
            assert name in grade_ids and f"{name}_edge" in grade_ids, name


def test_a_solution_cell_is_the_reference_function_with_markers_after_the_docstring():
    text = solution_cell_source("normal_mle")
    tree = ast.parse(text)
    assert [node.name for node in tree.body] == ["normal_mle"]
    lines = text.splitlines()
    assert lines[-1] == f"    {END}"
    assert lines[lines.index(f"    {BEGIN}") - 1] == '    """', "the marker follows the docstring"
    namespace: dict = {}
    exec("import numpy as np\nfrom numpy.typing import ArrayLike, NDArray\n" + text, namespace)
    assert namespace["normal_mle"]([1.0, 3.0]) == solutions.normal_mle([1.0, 3.0])


@pytest.mark.slow
@pytest.mark.parametrize("path", SOURCE_NOTEBOOKS, ids=lambda p: p.parent.name)
def test_source_notebook_executes_with_the_reference_solutions(path):
    notebook = read_notebook(path)
    HardenedExecute(timeout=120).preprocess(notebook, {"metadata": {"path": str(path.parent)}})
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]
    printed = "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
    tested = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
    assert printed.count("hidden checks passed") == len(tested)
    assert nbformat.validate(notebook) is None
