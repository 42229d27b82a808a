"""Source notebooks: stored clean, in sync with solutions/, and executable top to bottom."""

import ast
import json
import re

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
    prose = "".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    for quoted, shown in QUOTED_NUMBERS.get(path.parent.name, []):
        assert quoted in prose, f"the prose no longer says {quoted!r}: update QUOTED_NUMBERS with it"
        assert shown in printed, f"the prose says {quoted!r}, but no cell prints {shown!r}"
    if path.parent.name == "02_distributions":
        assert_simulated_samples_are_typical(printed)


# What the lessons' prose quotes, and what a cell must print for the quote to be true. The printed text comes from
# the executed notebook, so a new seed, data set or formula that changes a number fails here until the prose follows.
QUOTED_NUMBERS = {
    "01_normal_mle": [
        ("about $10^{-71}$", "so the product is 10^-71.1"),
        ("about 1.4, an ordinary miss", "-1.4 standard errors of 2.37 BPM"),
    ],
    "02_distributions": [
        ("two hours here had no ticket", "hours without a ticket: 2"),
        ("higher by about 50 log-likelihood units", "Laplace - Normal: 50.1"),
        ("4 changes went beyond 3 percentage", "changes beyond ±3 points: 4 observed"),
        ("the Normal fit expects 0.1 and the Laplace fit 0.6", "0.1 expected under the Normal fit, 0.6 under"),
    ],
    "04_regression": [
        ("0.78 at 500 francs a year, 0.52 at 4000", "income of 0.5 thousand francs: 0.78"),
        ("0.78 at 500 francs a year, 0.52 at 4000", "income of 4.0 thousand francs: 0.52"),
    ],
}


def assert_simulated_samples_are_typical(printed: str) -> None:
    """Each simulated sample of `distributions` lies within one standard error of its truth.

    The prose calls these samples typical and explains sampling error with them; the seed was chosen for it. The
    distances are those the notebook prints, (estimate - truth) / standard error with the theoretical standard
    error of each family (sqrt(p(1-p)/n), sqrt(lambda/n), lambda/sqrt(n)).
    """
    distances = [float(d) for d in re.findall(r"truth [^:]+: ([+-]\d+\.\d) standard errors", printed)]
    assert len(distances) == 3, f"expected the Bernoulli, Poisson and exponential distances, got {distances}"
    assert all(abs(d) <= 1 for d in distances), f"a simulated sample is atypical: {distances} standard errors"
