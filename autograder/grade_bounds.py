"""Grades are checked against the instructor's gradebook before they are written, whoever graded them.

A submission's grades come from a grading process of this machine's pool or
from a cluster worker; both ran beside learner code, and a worker is another
machine. So before :func:`autograder.batch.publish` writes anything, the
grades must be ones the instructor's gradebook could hold for that assignment:
the assignment's notebooks, each once; in each, exactly its grades and
comments, by name; a score only where nbgrader scores automatically (a test
cell: from 0 to the cell's points; a written answer or a task: none, or 0 for
one left as released), a finite number that is not a boolean; a grade without
a score waits for a person (``needs_manual_grade``); a late penalty from 0 to
the notebook's score; comments of bounded length. Anything else raises
:class:`ImplausibleGrades` naming the first fault, and nothing is written.
Manual scores, manual comments and extra credit are the instructor's: they are
never part of what is copied (:func:`autograder.batch._copy_grades`).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from nbgrader.api import Gradebook, MissingEntry

#: The longest automatic comment accepted, in characters (the grader's own verdicts stay far below it)
MAX_COMMENT_CHARS = 100_000


class ImplausibleGrades(ValueError):
    """Grades the instructor's gradebook cannot hold for this assignment; the message names the first fault."""


@dataclass(frozen=True)
class _Slot:
    """One grade of a notebook as the instructor's gradebook declares it."""

    max_score: float
    automatic: bool  # a test cell, which nbgrader scores from 0 to max_score; otherwise only None or 0


@dataclass(frozen=True)
class _Declared:
    """A notebook's grades and comments, by name, as the instructor's gradebook declares them."""

    grades: dict[str, _Slot]
    comments: frozenset[str]


def declared(gradebook: Gradebook, assignment: str) -> dict[str, _Declared]:
    """The notebooks of ``assignment`` in ``gradebook``, with the grades and comments each submission has.

    These are the records nbgrader's ``add_submission`` creates: a grade per
    grade cell and task cell, a comment per solution cell and task cell.
    """
    notebooks = {}
    for notebook in gradebook.find_assignment(assignment).notebooks:
        solutions = {cell.name for cell in notebook.solution_cells}
        grades = {
            cell.name: _Slot(float(cell.max_score), cell.cell_type == "code" and cell.name not in solutions)
            for cell in notebook.grade_cells
        }
        grades.update({cell.name: _Slot(float(cell.max_score), False) for cell in notebook.task_cells})
        comments = solutions | {cell.name for cell in notebook.task_cells}
        notebooks[notebook.name] = _Declared(grades, frozenset(comments))
    return notebooks


def _shown(name: Any) -> str:
    """A name from the grades, safe to print: at most 60 characters of its repr."""
    return repr(name)[:60]


def _same_names(found: list[Any], expected: set[str] | frozenset[str], what: str) -> None:
    """Raise unless ``found`` names each of ``expected`` exactly once and nothing else."""
    counts = Counter(name if isinstance(name, str) else repr(name) for name in found)
    unknown = sorted(set(counts) - set(expected))
    twice = sorted(name for name, count in counts.items() if count > 1)
    missing = sorted(set(expected) - set(counts))
    if unknown:
        raise ImplausibleGrades(f"{what} {_shown(unknown[0])} is not in the instructor's gradebook")
    if twice:
        raise ImplausibleGrades(f"{what} {_shown(twice[0])} is given more than once")
    if missing:
        raise ImplausibleGrades(f"{what} {_shown(missing[0])} is missing")


def _number(value: Any, what: str) -> float | None:
    """``value`` as a float, None kept; raise unless it is a finite real number (a boolean is not)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ImplausibleGrades(f"{what} is not a finite number: {_shown(value)}")
    return float(value)


def _check_grade(grade: Any, slot: _Slot, where: str) -> float:
    """The grade's automatic score (0 for none), raising unless the slot's rules allow it."""
    score = _number(grade.auto_score, f"the score of {where}")
    if not isinstance(grade.needs_manual_grade, bool):
        raise ImplausibleGrades(f"whether {where} needs a person is not true or false")
    if score is None:
        if not grade.needs_manual_grade:
            raise ImplausibleGrades(f"{where} has no score yet is not left to grade by hand")
        return 0.0
    if slot.automatic and not 0 <= score <= slot.max_score:
        raise ImplausibleGrades(f"the score {score:g} of {where} is outside 0 to its {slot.max_score:g} points")
    if not slot.automatic and score != 0:
        raise ImplausibleGrades(f"{where} is graded by hand, so it cannot have the automatic score {score:g}")
    return score


def _standing_score(
    gradebook: Gradebook, notebook: str, assignment: str, student: str, auto: dict[str, float]
) -> float:
    """The notebook's score once ``auto`` is written: the instructor's manual scores and extra credit kept."""
    try:
        recorded = gradebook.find_submission_notebook(notebook, assignment, student).grades
    except MissingEntry:
        return sum(auto.values())
    total = 0.0
    for grade in recorded:
        total += grade.manual_score if grade.manual_score is not None else auto.get(grade.name, 0.0)
        total += grade.extra_credit or 0.0
    return total


def check_grades(graded: Any, gradebook: Gradebook, assignment: str, student: str) -> None:
    """Raise :class:`ImplausibleGrades` unless ``graded`` is a submission ``gradebook`` could hold for ``assignment``.

    ``graded`` is shaped like nbgrader's ``SubmittedAssignment`` (``notebooks``,
    each with ``name``, ``late_submission_penalty``, ``grades`` and
    ``comments``): a staging gradebook's record or a cluster worker's return.
    """
    expected = declared(gradebook, assignment)
    notebooks = list(graded.notebooks)
    _same_names([notebook.name for notebook in notebooks], set(expected), "the notebook")
    for notebook in notebooks:
        rules = expected[notebook.name]
        grades, comments = list(notebook.grades), list(notebook.comments)
        _same_names([grade.name for grade in grades], set(rules.grades), f"in {notebook.name}, the grade")
        _same_names([comment.name for comment in comments], rules.comments, f"in {notebook.name}, the comment")
        auto = {
            grade.name: _check_grade(grade, rules.grades[grade.name], f"{notebook.name}'s grade {grade.name}")
            for grade in grades
        }
        for comment in comments:
            text = comment.auto_comment
            if text is not None and (not isinstance(text, str) or len(text) > MAX_COMMENT_CHARS):
                raise ImplausibleGrades(
                    f"{notebook.name}'s comment {comment.name} is not a text of at most {MAX_COMMENT_CHARS} characters"
                )
        penalty = _number(notebook.late_submission_penalty, f"{notebook.name}'s late penalty")
        if penalty is not None:
            # nbgrader caps a penalty at the notebook's score as graded; that score counts the manual scores the
            # grader's copy of the gradebook held, so the higher of the two totals bounds it.
            ceiling = max(sum(auto.values()), _standing_score(gradebook, notebook.name, assignment, student, auto))
            if not 0 <= penalty <= ceiling:
                raise ImplausibleGrades(
                    f"{notebook.name}'s late penalty {penalty:g} is outside 0 to the notebook's score {ceiling:g}"
                )
