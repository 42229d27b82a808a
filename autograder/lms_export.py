"""Marks for the LMS: a CSV that Canvas's gradebook import accepts as it is, as an nbgrader exporter.

``nbgrader export --exporter autograder.lms_export.CanvasExportPlugin`` (or
``c.ExportApp.plugin_class`` in ``nbgrader_config.py``) writes the columns of
Canvas's own gradebook export: ``Student, ID, SIS User ID, SIS Login ID,
Section``, then one column per assignment, and a "Points Possible" row under
the header. Each mark is the submission's score less its late-submission
penalty (nbgrader's ``AssignLatePenalties`` records it while autograding; see
:mod:`autograder.late_penalty`), as nbgrader's own CSV exporter computes it.
With ``c.CanvasExportPlugin.per_function = True`` each graded function gets a
column of its own too (raw points, before any late penalty).

Canvas matches a row to a learner by ``ID`` (its user id: nbgrader's
``lms_user_id``, set by an LTI launch or ``nbgrader db student add
--lms-user-id``), then the SIS ids, then the name. The nbgrader student id
(a hub username) goes into ``SIS Login ID``.

A name or id can be anything a learner typed, and a spreadsheet runs a cell
that starts with ``=``, ``+``, ``-`` or ``@`` as a formula: every text cell
starting so (or with a tab or carriage return) gets a leading ``'``, as OWASP's
"CSV Injection" page recommends; the csv module quotes the rest.
"""

import csv
from collections.abc import Iterable
from pathlib import Path

from nbgrader.api import Assignment, Gradebook, MissingEntry, Student, SubmittedAssignment
from nbgrader.plugins import ExportPlugin
from traitlets import Bool, Dict, Unicode

from autograder.gradebook import column_of

#: Canvas's identity columns, in the order of its own gradebook export.
IDENTITY_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
#: What Canvas writes in the Student column of the row under the header.
POINTS_POSSIBLE = "    Points Possible"
#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportError(SystemExit):
    """An export that cannot be written; nbgrader prints the one-line message and exits 1."""


def neutralise(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text: a leading ``'`` if it would start a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def points(value: float) -> str:
    """A number of points as Canvas reads it: no exponent, no needless decimals."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def student_name(student: Student) -> str:
    """The learner as Canvas shows one, "Last, First"; the id where the gradebook has no name."""
    last, first = (student.last_name or "").strip(), (student.first_name or "").strip()
    return ", ".join(part for part in (last, first) if part) or student.id


def function_points(submission: SubmittedAssignment) -> dict[str, tuple[float, float]]:
    """Graded function -> (score, max score) of one submission, every notebook's grade cells summed."""
    totals: dict[str, tuple[float, float]] = {}
    for notebook in submission.notebooks:
        for grade in notebook.grades:
            column = column_of(grade.name)
            score, max_score = totals.get(column, (0.0, 0.0))
            totals[column] = (score + (grade.score or 0.0), max_score + (grade.max_score or 0.0))
    return totals


def function_columns(assignment: Assignment) -> dict[str, float]:
    """Graded function -> points possible, from the assignment's grade cells in the gradebook."""
    columns: dict[str, float] = {}
    for notebook in assignment.notebooks:
        for cell in notebook.grade_cells:
            column = column_of(cell.name)
            columns[column] = columns.get(column, 0.0) + (cell.max_score or 0.0)
    return columns


class CanvasExportPlugin(ExportPlugin):
    """nbgrader exporter of a Canvas gradebook-import CSV: late penalties subtracted, per-function columns optional."""

    per_function = Bool(
        False, help="Also write one column per graded function (raw points, before any late penalty)."
    ).tag(config=True)
    section = Unicode("", help="What the Section column holds for every learner (Canvas may leave it empty).").tag(
        config=True
    )
    column_titles = Dict(
        {},
        help=(
            "Assignment name -> Canvas column title, e.g. {'01_normal_mle': 'Normal MLE (1234)'}: a title ending "
            "in Canvas's assignment id updates that assignment; any other title creates a new one."
        ),
    ).tag(config=True)
    missing_as_zero = Bool(
        True, help="A learner with no submission gets 0 (True) or an empty cell, which Canvas leaves unchanged."
    ).tag(config=True)

    def export(self, gradebook: Gradebook) -> None:
        destination = Path(self.to or "canvas_grades.csv")
        assignments = self._assignments(gradebook)
        students = [s for s in gradebook.students if not self.student or s.id in {str(x) for x in self.student}]
        header, possible = list(IDENTITY_COLUMNS), [POINTS_POSSIBLE, "", "", "", ""]
        layouts: list[tuple[Assignment, list[str]]] = []
        for assignment in assignments:
            header.append(self.column_titles.get(assignment.name, assignment.name))
            possible.append(points(assignment.max_score))
            functions = function_columns(assignment) if self.per_function else {}
            for function, max_score in functions.items():
                header.append(f"{assignment.name}: {function}")
                possible.append(points(max_score))
            layouts.append((assignment, list(functions)))
        rows = [self._row(gradebook, student, layouts) for student in sorted(students, key=lambda s: s.id)]
        with destination.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([neutralise(title) for title in header])
            writer.writerow(possible)
            writer.writerows(rows)
        self.log.info("Wrote marks of %d learners in %d assignments to %s", len(rows), len(layouts), destination)

    def _assignments(self, gradebook: Gradebook) -> list[Assignment]:
        """The assignments asked for (all by default); a one-line error naming what to run if one is unknown."""
        known = {assignment.name: assignment for assignment in gradebook.assignments}
        if not known:
            raise ExportError(
                "The gradebook has no assignment yet: run `course release` (or nbgrader generate_assignment)"
            )
        wanted = [str(name) for name in self.assignment] or sorted(known)
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise ExportError(
                f"The gradebook has no assignment {', '.join(unknown)} (it has {', '.join(sorted(known))}): "
                "run `course release` for it, or name another"
            )
        return [known[name] for name in wanted]

    def _row(
        self, gradebook: Gradebook, student: Student, layouts: Iterable[tuple[Assignment, list[str]]]
    ) -> list[str]:
        """One learner's row: identity, then per assignment the mark less late penalty, then its functions."""
        identity = [student_name(student), student.lms_user_id or "", "", student.id, self.section]
        row = [neutralise(cell) for cell in identity]
        for assignment, functions in layouts:
            try:
                submission = gradebook.find_submission(assignment.name, student.id)
            except MissingEntry:
                empty = "0" if self.missing_as_zero else ""
                row += [empty] * (1 + len(functions))
                continue
            penalty = submission.late_submission_penalty or 0.0
            row.append(points(max(0.0, submission.score - penalty)))
            earned = function_points(submission)
            row += [points(earned.get(function, (0.0, 0.0))[0]) for function in functions]
        return row
