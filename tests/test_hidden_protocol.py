"""The hidden-check protocol alone, without a kernel: which cells are hidden checks, the calls handed over,
the verdict written into the cell and its plain summary. The learner's side is ``mlelab.grading.record``
itself, called here where a kernel would call it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
import pytest
from mlelab.grading import CALLS_VARIABLE, record
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output

import solutions
from autograder.functions import GRADED
from autograder.hidden_checks import HiddenChecks, hidden_target
from autograder.outputs import SUMMARY_KEY, summary_is_plain
from autograder.sanitize import SanitizeNotebook
from tests.conftest import ROOT

ASSIGNMENT = "01_normal_mle"


@dataclass
class Folder:
    """A mailbox in a plain folder: what a sandbox's inbox and run folder are to the protocol."""

    root: Path

    @property
    def calls_file(self) -> Path:
        return self.root / "calls.json"

    @property
    def outcomes_file(self) -> Path:
        return self.root / "outcomes.json"

    def clear_run(self) -> None:
        self.outcomes_file.unlink(missing_ok=True)


def _cell(grade_id: str, source: str = "record(normal_mle)", grade: bool = True, solution: bool = False):
    cell = new_code_cell(source)
    cell.metadata.nbgrader = {"grade": grade, "solution": solution, "grade_id": grade_id, "locked": True}
    if grade:
        cell.metadata.nbgrader["points"] = 2
    return cell


def _bessel_mle(x):
    """The catalogued mistake of dividing by n - 1."""
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must hold at least one value")
    return float(x.mean()), float(x.std(ddof=1)) if x.size > 1 else 0.0


@pytest.fixture
def checks(tmp_path, monkeypatch):
    monkeypatch.setenv(CALLS_VARIABLE, str(tmp_path / "calls.json"))
    return HiddenChecks(Folder(tmp_path), ASSIGNMENT)


def test_a_hidden_cell_is_known_by_its_metadata_and_the_declaration_never_by_its_source():
    assert hidden_target(_cell("normal_mle"), ASSIGNMENT) == (GRADED["normal_mle"], "typical")
    assert hidden_target(_cell("normal_mle_edge", source="print('no record here')"), ASSIGNMENT) == (
        GRADED["normal_mle"],
        "edge",
    )
    assert hidden_target(_cell("normal_mle", grade=False), ASSIGNMENT) is None  # record( in a plain cell
    assert hidden_target(_cell("normal_mle", solution=True), ASSIGNMENT) is None  # a written answer
    assert hidden_target(_cell("poisson_mle"), ASSIGNMENT) is None  # another assignment's function
    assert hidden_target(_cell("poisson_mle"), "02_distributions") == (GRADED["poisson_mle"], "typical")
    assert hidden_target(_cell("not_a_function"), ASSIGNMENT) is None
    markdown = new_markdown_cell("record(normal_mle)")
    markdown.metadata.nbgrader = {"grade": True, "solution": False, "grade_id": "normal_mle"}
    assert hidden_target(markdown, ASSIGNMENT) is None


@pytest.mark.parametrize("path", sorted((ROOT / "source").glob("*/*.ipynb")), ids=lambda p: p.parent.name)
def test_the_declaration_finds_exactly_the_source_cells_that_record(path):
    """Recognising by declaration, not by substring, changes nothing for the course's own notebooks."""
    notebook = nbformat.read(path, as_version=4)
    by_declaration = [i for i, cell in enumerate(notebook.cells) if hidden_target(cell, path.parent.name)]
    by_source = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code" and "record(" in cell.source]
    assert by_declaration == by_source and by_declaration


def test_a_right_function_passes_and_its_summary_says_so(checks):
    cell = _cell("normal_mle_edge")
    pending = checks.before(cell)
    assert checks.mailbox.calls_file.exists()
    record(solutions.normal_mle)  # what the kernel runs
    cell.outputs = [new_output("execute_result", data={"text/plain": "1.0"}, execution_count=1)]
    judgement = checks.after(cell, pending)
    spec = GRADED["normal_mle"]
    expected_checks = len(spec.cases("edge")) + len(spec.bad_calls) + len(spec.properties)
    assert judgement.passed
    assert (
        cell.outputs[0].output_type == "stream"
        and f"all {expected_checks} hidden checks passed" in cell.outputs[0].text
    )
    assert cell.outputs[1].output_type == "display_data"  # only the verdict can score the cell
    assert cell.metadata[SUMMARY_KEY] == {
        "function": "normal_mle",
        "part": "edge",
        "judged": True,
        "passed": True,
        "checks": expected_checks,
        "failed": [],
        "mistakes": [],
    }
    assert not checks.mailbox.calls_file.exists() and not checks.mailbox.outcomes_file.exists()


def test_a_catalogued_mistake_is_named_in_the_summary(checks):
    cell = _cell("normal_mle")
    pending = checks.before(cell)
    record(_bessel_mle)
    checks.after(cell, pending)
    summary = cell.metadata[SUMMARY_KEY]
    cases = GRADED["normal_mle"].cases("typical")
    assert cell.outputs[0].output_type == "error" and cell.outputs[0].ename == "HiddenCheckFailed"
    assert summary["passed"] is False and summary["judged"] is True and summary["checks"] == len(cases)
    # n - 1 instead of n is wrong on every sample of more than one value
    assert set(summary["failed"]) == {case.label for case in cases if np.size(case.kwargs["x"]) > 1}
    assert "n - 1 instead of n" in summary["mistakes"]
    assert all(name in cell.outputs[0].evalue for name in summary["mistakes"])
    assert summary_is_plain(summary)


def test_nothing_recorded_fails_every_check(checks):
    cell = _cell("normal_mle")
    pending = checks.before(cell)
    cell.outputs = [new_output("error", ename="NameError", evalue="name 'normal_mle' is not defined", traceback=[])]
    checks.after(cell, pending)
    summary = cell.metadata[SUMMARY_KEY]
    assert "Keep the name normal_mle" in cell.outputs[0].evalue
    assert summary["passed"] is False and len(summary["failed"]) == summary["checks"] > 0


def test_summaries_a_submission_brings_are_dropped_and_unrun_cells_say_so(checks):
    forged = {"function": "normal_mle", "part": "typical", "judged": True, "passed": True}
    forged |= {"checks": 9, "failed": [], "mistakes": []}
    notebook = nbformat.v4.new_notebook(cells=[_cell("normal_mle"), new_code_cell("x = 1")])
    for cell in notebook.cells:
        cell.metadata[SUMMARY_KEY] = dict(forged)
    checks.forget_claims(notebook)
    assert all(SUMMARY_KEY not in cell.metadata for cell in notebook.cells)
    checks.not_run(notebook.cells[0])
    checks.not_run(notebook.cells[1])
    assert notebook.cells[0].metadata[SUMMARY_KEY]["judged"] is False
    assert notebook.cells[0].metadata[SUMMARY_KEY]["passed"] is False
    assert SUMMARY_KEY not in notebook.cells[1].metadata


@pytest.mark.parametrize(
    "odd",
    [
        {
            "function": "f",
            "part": "x",
            "judged": True,
            "passed": True,
            "checks": 1,
            "failed": [],
            "mistakes": [],
            "x": 1,
        },
        {"function": "f", "part": "x", "judged": 1, "passed": True, "checks": 1, "failed": [], "mistakes": []},
        {"function": "f", "part": "x", "judged": True, "passed": True, "checks": 1, "failed": ["a" * 201]},
        {"function": "f", "part": "x", "judged": True, "passed": True, "checks": 1, "failed": 3, "mistakes": []},
        {"function": "f", "part": "x", "judged": True, "passed": True, "checks": 1.5, "failed": [], "mistakes": []},
        "a string",
    ],
)
def test_the_sanitiser_keeps_a_summary_only_in_the_graders_shape(odd):
    good = {"function": "f", "part": "edge", "judged": True, "passed": False, "checks": 2}
    good |= {"failed": ["n = 1"], "mistakes": ["m"]}
    notebook = nbformat.v4.new_notebook(cells=[_cell("normal_mle"), _cell("normal_mle_edge")])
    notebook.cells[0].metadata[SUMMARY_KEY] = good
    notebook.cells[1].metadata[SUMMARY_KEY] = odd
    notebook, _ = SanitizeNotebook().preprocess(notebook, {})
    assert notebook.cells[0].metadata[SUMMARY_KEY] == good
    assert SUMMARY_KEY not in notebook.cells[1].metadata


def test_the_calls_handed_over_are_the_planned_ones(checks):
    pending = checks.before(_cell("normal_mle"))
    request = json.loads(checks.mailbox.calls_file.read_text())
    assert request["outcomes"] == str(checks.mailbox.outcomes_file)
    assert (
        len(request["calls"])
        == sum(len(check.calls) for check in pending.planned)
        == len(GRADED["normal_mle"].cases("typical"))
    )
