"""The digest of a submission that enters its hidden seed: what the learner can change changes it, nothing else."""

from __future__ import annotations

import os
from pathlib import Path

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.work_digest import work_digest


def _notebook(solution: str = "def f(x):\n    return x\n", test: str = "assert f(1) == 1") -> NotebookNode:
    """A notebook as the grader sees it after restore: prose, a solution cell, a locked test cell."""
    return new_notebook(
        cells=[
            new_markdown_cell("Implement f."),
            new_code_cell(solution, metadata={"nbgrader": {"solution": True, "grade": False, "grade_id": "f_code"}}),
            new_code_cell(test, metadata={"nbgrader": {"solution": False, "grade": True, "grade_id": "f"}}),
        ]
    )


def test_the_same_work_gives_the_same_digest():
    assert work_digest(_notebook()) == work_digest(_notebook())


def test_a_changed_solution_cell_changes_it():
    assert work_digest(_notebook(solution="def f(x):\n    return x  \n")) != work_digest(_notebook())


def test_a_locked_cell_does_not_enter_it():
    """A test cell's source is restored from the gradebook: it is the course's, not the learner's."""
    assert work_digest(_notebook(test="assert f(2) == 2")) == work_digest(_notebook())


def test_a_cell_of_the_learners_own_enters_it_wherever_it_is():
    """Code in a cell the learner added (a lookup table, say) runs in the kernel just as a solution does."""
    base = _notebook()
    added = _notebook()
    added.cells.append(new_code_cell("_SEEN = {57: 14.72}"))
    assert work_digest(added) != work_digest(base)
    moved = _notebook()
    moved.cells.insert(0, new_code_cell("_SEEN = {57: 14.72}"))
    assert work_digest(moved) != work_digest(added)


def test_a_cell_of_another_type_with_the_same_source_changes_it():
    code, prose = _notebook(), _notebook()
    code.cells[0] = new_code_cell("Implement f.")
    assert work_digest(code) != work_digest(prose)


def test_the_data_files_enter_it_by_path_and_content(tmp_path):
    folder = tmp_path / "work"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "table.json").write_text("{}")
    before = work_digest(_notebook(), folder)
    assert work_digest(_notebook(), folder) == before
    assert before != work_digest(_notebook())
    (folder / "data" / "table.json").write_text('{"57": 14.72}')
    changed = work_digest(_notebook(), folder)
    assert changed != before
    (folder / "data" / "table.json").rename(folder / "data" / "other.json")
    assert work_digest(_notebook(), folder) != changed


def test_a_link_is_not_followed(tmp_path):
    """Only the regular files the kernel received count: a link (to anything) adds nothing and is never read."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "kept.txt").write_text("data")
    alone = work_digest(_notebook(), folder)
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    os.symlink(outside, folder / "link.txt")
    os.symlink(tmp_path, folder / "folder_link")
    os.mkfifo(folder / "pipe")  # opened, it would block: the digest must not wait on it
    assert work_digest(_notebook(), folder) == alone


def test_a_missing_folder_counts_as_no_files(tmp_path: Path):
    assert work_digest(_notebook(), tmp_path / "absent") == work_digest(_notebook())
