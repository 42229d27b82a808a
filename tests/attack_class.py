"""A class of attacks graded beside honest learners, for the attack suites (``tests/test_attacks*.py``).

Every attack suite follows the same steps: a fresh course with short limits,
the release, honest learners from ``samples/`` whose marks are known, the
attackers (learner files that build on an honest learner, and notebooks or
folders written in Python), one ``course grade`` run over them all, and
assertions that each attacker gets what it deserves while the honest marks do
not move. This module holds those steps; each suite holds its attacks.

Marks are tuples of points per graded function of ``01_normal_mle``, in the
order of :data:`FUNCTIONS` (3 points each: 2 for the typical cell, 1 for the
edge cell).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from rich.console import Console

from autograder.batch import Outcome, grade_class
from autograder.functions import ASSIGNMENTS
from autograder.grade_ids import PARTS, grade_id
from autograder.gradebook import Mark, marks
from autograder.nbgrader_commands import nbgrader
from autograder.samples import write_submissions
from tests.conftest import ROOT, read_notebook, released_course

ASSIGNMENT = "01_normal_mle"
FUNCTIONS = tuple(function.name for function in ASSIGNMENTS[ASSIGNMENT])
TEST_CELLS = frozenset(grade_id(name, part) for name in FUNCTIONS for part in PARTS)
#: Short limits, so that attacks on time and memory cost seconds, not minutes.
LIMITS = """
c.Execute.timeout = 8
c.HardenedExecute.notebook_timeout = 60
c.HardenedExecute.memory_limit_mib = 1536
c.HardenedExecute.interrupt_grace = 3
"""
#: Honest learners of samples/01_normal_mle and the marks they must keep whatever their classmates do: full marks, and
#: a partial mark that must not move either way (each attacker's untouched functions are witnesses too).
HONEST = {"ada_correct": (3, 3, 3, 3), "dana_bessel": (3, 3, 0, 3)}


def cells_with(notebook: NotebookNode, grade_ids: Sequence[str] | frozenset[str]) -> list[NotebookNode]:
    """The cells of ``notebook`` whose nbgrader grade_id is one of ``grade_ids``."""
    return [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") in grade_ids]


def build_course(
    where: Path, limits: str = LIMITS, honest: Sequence[str] = tuple(HONEST), assignment: str = ASSIGNMENT
) -> Path:
    """A fresh course in ``where/course``: the release (see :func:`released_course`), config with ``limits``
    appended (they are read when grading, never by the release), the honest learners."""
    course = released_course(where / "course", [assignment])
    with (course / "nbgrader_config.py").open("a") as config:
        config.write(limits)
    write_submissions(ROOT / "samples" / assignment, release_folder(course, assignment), course / "submitted", honest)
    return course


def release_folder(course: Path, assignment: str = ASSIGNMENT) -> Path:
    return course / "release" / assignment


def release_notebook(course: Path, assignment: str = ASSIGNMENT) -> Path:
    """The released notebook of the assignment (one per assignment in this course)."""
    (path,) = release_folder(course, assignment).glob("*.ipynb")
    return path


def add_learners(
    course: Path, folder: Path, only: Sequence[str] | None = None, assignment: str = ASSIGNMENT
) -> list[str]:
    """Submit the learner files in ``folder`` (sample-learner format, see autograder/samples.py)."""
    return write_submissions(folder, release_folder(course, assignment), course / "submitted", only)


def submission_folder(course: Path, student: str, assignment: str = ASSIGNMENT) -> Path:
    return course / "submitted" / student / assignment


def submitted_notebook(course: Path, student: str, assignment: str = ASSIGNMENT) -> NotebookNode:
    """A copy of what ``student`` submitted, to build a notebook attack from."""
    return read_notebook(submission_folder(course, student, assignment) / release_notebook(course, assignment).name)


def submit_notebook(
    course: Path,
    student: str,
    notebook: NotebookNode | None = None,
    text: str | bytes | None = None,
    assignment: str = ASSIGNMENT,
) -> Path:
    """Submit a notebook (or raw ``text`` under the notebook's name, or nothing) as ``student``; its folder."""
    folder = submission_folder(course, student, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / release_notebook(course, assignment).name
    if notebook is not None:
        nbformat.write(notebook, path)
    elif isinstance(text, bytes):
        path.write_bytes(text)
    elif text is not None:
        path.write_text(text)
    return folder


@dataclass
class GradedClass:
    """What one ``course grade`` run over the class produced."""

    course: Path
    outcomes: dict[str, Outcome]
    marks: dict[str, dict[str, Mark]]
    printed: str
    assignment: str = ASSIGNMENT

    def scores(self, student: str, functions: Sequence[str] = FUNCTIONS) -> tuple[float, ...]:
        """Points per graded function, in the order of ``functions``."""
        row = self.marks[student]
        return tuple(row[function].score for function in functions)

    def autograded(self, student: str) -> NotebookNode:
        (path,) = (self.course / "autograded" / student / self.assignment).glob("*.ipynb")
        return read_notebook(path)

    def messages(self, student: str, grade_id: str) -> str:
        """Every text the graded cell ``grade_id`` of ``student`` shows: verdicts, errors, prints."""
        (cell,) = cells_with(self.autograded(student), {grade_id})
        return "\n".join(o.get("evalue", "") + o.get("text", "") for o in cell.outputs)

    def feedback(self, student: str) -> str:
        """The learner's feedback page, as HTML text."""
        (path,) = (self.course / "feedback" / student / self.assignment).glob("*.html")
        return path.read_text()

    def honest_marks_kept(self, honest: dict[str, tuple[int, ...]] = HONEST) -> dict[str, tuple[float, ...]]:
        """The honest learners whose marks moved, with the marks they got (empty when none moved)."""
        return {s: self.scores(s) for s, expected in honest.items() if self.scores(s) != expected}


def grade(course: Path, assignment: str = ASSIGNMENT, workers: int = 2) -> GradedClass:
    """Grade every submission of the course with ``course grade`` and collect what it produced."""
    printed = io.StringIO()
    outcomes = grade_class(course, assignment, Console(file=printed, width=200), workers=workers)
    return GradedClass(
        course=course,
        outcomes={o.student: o for o in outcomes},
        marks=marks(f"sqlite:///{course / 'gradebook.db'}", assignment),
        printed=printed.getvalue(),
        assignment=assignment,
    )


def stock_autograde(course: Path, assignment: str = ASSIGNMENT) -> tuple[int, dict[str, dict[str, Mark]]]:
    """Stock ``nbgrader autograde`` over the whole class (one process, the course's config): exit code, marks."""
    code = nbgrader("autograde", assignment, cwd=course, log=course.parent / "autograde.log")
    return code, marks(f"sqlite:///{course / 'gradebook.db'}", assignment)
