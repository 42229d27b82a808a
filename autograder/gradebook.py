"""Read nbgrader's gradebook as a table: one row per student, one column per graded function."""

from dataclasses import dataclass

from nbgrader.api import Gradebook, MissingEntry
from rich.table import Table

from autograder.grade_ids import column_of
from autograder.terminal import untrusted


@dataclass(frozen=True)
class Mark:
    """Points earned out of points possible; ``pending`` while a manual grade is missing."""

    score: float
    max_score: float
    pending: bool = False

    def __add__(self, other: "Mark") -> "Mark":
        return Mark(self.score + other.score, self.max_score + other.max_score, self.pending or other.pending)

    def __str__(self) -> str:
        shown = f"{self.score:g}/{self.max_score:g}"
        return f"?/{self.max_score:g}" if self.pending and self.score == 0 else shown + ("*" if self.pending else "")


def marks(db_url: str, assignment: str) -> dict[str, dict[str, Mark]]:
    """student -> column -> Mark, for every student with a submission of ``assignment``."""
    table: dict[str, dict[str, Mark]] = {}
    with Gradebook(db_url) as gradebook:
        for student in sorted(s.id for s in gradebook.students):
            try:
                submission = gradebook.find_submission(assignment, student)
            except MissingEntry:
                continue
            row: dict[str, Mark] = {}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    mark = Mark(grade.score, grade.max_score, bool(grade.needs_manual_grade))
                    column = column_of(grade.name)
                    row[column] = row[column] + mark if column in row else mark
            table[student] = row
    return table


def render(assignment: str, table: dict[str, dict[str, Mark]]) -> Table:
    """The marks as a rich table with a total per student (manual grades still open are marked ?)."""
    columns = list(dict.fromkeys(column for row in table.values() for column in row))
    view = Table(title=f"Gradebook: {assignment}", caption="? or *: a manually graded answer still to mark")
    view.add_column("student", style="bold")
    for column in columns:
        view.add_column(untrusted(column), justify="right")
    view.add_column("total", justify="right", style="bold")
    for student, row in table.items():
        total = Mark(0, 0)
        for mark in row.values():
            total = total + mark
        view.add_row(untrusted(student), *(str(row.get(column, "-")) for column in columns), str(total))
    return view
