"""The Canvas export (autograder/lms_export.py) and the per-hour late penalty (autograder/late_penalty.py).

Every mark in the CSV is read back with the csv module and compared with what
nbgrader's ``Gradebook`` API says (the oracle), the late penalty included.
"""

import csv
import datetime
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nbformat import v4
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import AssignLatePenalties
from traitlets.config import Config

from autograder.late_penalty import PenaltyPerHourLate
from autograder.lms_export import FORMULA_STARTS, IDENTITY_COLUMNS, POINTS_POSSIBLE, neutralise
from tests.conftest import ROOT, released_course

DUE = datetime.datetime(2026, 3, 1, 12, 0)
#: Names a learner typed: each would run as a formula in a spreadsheet if written as it is.
HOSTILE_NAMES = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"]
#: (student id, first name, last name, lms_user_id, hours late or None for no submission, auto scores)
LEARNERS = [
    ("ada", "Ada", "Lovelace", "1001", 0.0, (2.0, 1.0, 2.0)),
    ("bob", "Bob", "Loops", None, 2.5, (2.0, 1.0, 1.0)),  # 3 started hours late: 3 points off 4
    ("cy", HOSTILE_NAMES[0], HOSTILE_NAMES[1], "@evil", 10.0, (1.0, 0.0, 0.0)),  # penalty capped at the score
    ("dee", HOSTILE_NAMES[2], HOSTILE_NAMES[3], None, None, ()),
]
CELLS = [("normal_mle", 2.0), ("normal_mle_edge", 1.0), ("normal_score", 2.0)]


def _gradebook(folder: Path) -> str:
    """A gradebook of two assignments, the learners above, their grades and their late penalties."""
    db_url = f"sqlite:///{folder / 'gradebook.db'}"
    with Gradebook(db_url) as gradebook:
        for assignment in ("01_normal_mle", "02_distributions"):
            gradebook.add_assignment(assignment, duedate=DUE)
            gradebook.add_notebook("nb", assignment)
            for cell, points in CELLS:
                gradebook.add_grade_cell(cell, "nb", assignment, max_score=points, cell_type="code")
        for student, first, last, lms_id, hours, scores in LEARNERS:
            gradebook.add_student(student, first_name=first, last_name=last, lms_user_id=lms_id)
            if hours is None:
                continue
            timestamp = DUE + datetime.timedelta(hours=hours)
            gradebook.add_submission("01_normal_mle", student, timestamp=timestamp)
            for (cell, _), score in zip(CELLS, scores, strict=True):
                gradebook.find_grade(cell, "nb", "01_normal_mle", student).auto_score = score
            gradebook.db.commit()
    config = Config()
    config.AssignLatePenalties.plugin_class = PenaltyPerHourLate
    config.PenaltyPerHourLate.points_per_hour = 1.0
    for student, *_, hours, _ in LEARNERS:  # nbgrader's own step records each penalty, as autograde does
        if hours is not None:
            resources = {"nbgrader": {"notebook": "nb", "assignment": "01_normal_mle", "student": student}}
            resources["nbgrader"]["db_url"] = db_url
            AssignLatePenalties(config=config).preprocess(v4.new_notebook(), resources)
    return db_url


def _export(folder: Path, db_url: str, *options: str) -> tuple[subprocess.CompletedProcess, list[list[str]]]:
    """``nbgrader export`` from the course root (its nbgrader_config.py picks the exporter); the rows read back."""
    target = folder / "canvas.csv"
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "export", f"--db={db_url}", f"--to={target}", *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=os.environ | {"PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
        timeout=300,
    )
    if not target.exists():
        return done, []
    with target.open(newline="", encoding="utf-8") as handle:
        return done, list(csv.reader(handle))


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("lms")
    return folder, _gradebook(folder)


@pytest.fixture(scope="module")
def exported(course) -> tuple[subprocess.CompletedProcess, list[list[str]]]:
    """The default export of the module's gradebook, run once: no test changes that gradebook."""
    return _export(*course)


def test_canvas_columns_and_points_possible_row(course, exported):
    _, db_url = course
    done, rows = exported
    assert done.returncode == 0, done.stderr
    assert rows[0] == [*IDENTITY_COLUMNS, "01_normal_mle", "02_distributions"]
    assert rows[1][0].strip() == "Points Possible" and rows[1][0] == POINTS_POSSIBLE
    with Gradebook(db_url) as gradebook:
        possible = [gradebook.find_assignment(a).max_score for a in ("01_normal_mle", "02_distributions")]
    assert [float(cell) for cell in rows[1][5:]] == possible == [5.0, 5.0]


def test_every_mark_is_the_gradebook_score_less_its_late_penalty(course, exported):
    _, db_url = course
    _, rows = exported
    by_login = {row[3]: row for row in rows[2:]}
    assert sorted(by_login) == sorted(learner[0] for learner in LEARNERS)
    with Gradebook(db_url) as gradebook:
        for student in gradebook.students:
            row = by_login[student.id]
            for column, assignment in ((5, "01_normal_mle"), (6, "02_distributions")):
                try:
                    submission = gradebook.find_submission(assignment, student.id)
                except MissingEntry:
                    assert row[column] == "0", (student.id, assignment)
                    continue
                expected = max(0.0, submission.score - submission.late_submission_penalty)
                assert float(row[column]) == pytest.approx(expected), (student.id, assignment)
            assert row[1] == neutralise(student.lms_user_id or "")


def test_late_penalty_is_one_point_per_started_hour_capped_at_the_score(course):
    """Bob is 2.5 hours late with 4 of 5: 3 points off. Cy is 10 hours late with 1: all of it. Ada is on time."""
    _, db_url = course
    with Gradebook(db_url) as gradebook:
        penalties = {
            s: gradebook.find_submission("01_normal_mle", s).late_submission_penalty for s in ("ada", "bob", "cy")
        }
        seconds = gradebook.find_submission("01_normal_mle", "bob").total_seconds_late
    assert seconds == 2.5 * 3600
    assert penalties == {"ada": 0.0, "bob": math.ceil(2.5) * 1.0, "cy": 1.0}


def test_per_function_columns_hold_each_functions_raw_points(course):
    folder, db_url = course
    done, rows = _export(folder, db_url, "--CanvasExportPlugin.per_function=True")
    assert done.returncode == 0, done.stderr
    functions = [title for title in rows[0] if title.startswith("01_normal_mle: ")]
    assert functions == ["01_normal_mle: normal_mle", "01_normal_mle: normal_score"]
    assert [rows[1][rows[0].index(title)] for title in functions] == ["3", "2"]  # 2 + 1 edge, 2
    bob = next(row for row in rows[2:] if row[3] == "bob")
    with Gradebook(db_url) as gradebook:
        main = gradebook.find_grade("normal_mle", "nb", "01_normal_mle", "bob").score
        edge = gradebook.find_grade("normal_mle_edge", "nb", "01_normal_mle", "bob").score
        score = gradebook.find_grade("normal_score", "nb", "01_normal_mle", "bob").score
    assert float(bob[rows[0].index("01_normal_mle: normal_mle")]) == main + edge
    assert float(bob[rows[0].index("01_normal_mle: normal_score")]) == score


def test_no_cell_a_learner_named_starts_a_formula(exported):
    _, rows = exported
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    cy = next(row for row in rows[2:] if row[3] == "cy")
    assert cy[0] == "'" + f"{HOSTILE_NAMES[1]}, {HOSTILE_NAMES[0]}" and cy[1] == "'@evil"
    dee = next(row for row in rows[2:] if row[3] == "dee")
    assert dee[0] == "'" + f"{HOSTILE_NAMES[3]}, {HOSTILE_NAMES[2]}"


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_neutralise_prefixes_each_formula_start_and_nothing_else(start):
    assert neutralise(start + "1") == "'" + start + "1"
    assert neutralise("a" + start) == "a" + start


def test_an_unknown_assignment_is_one_line_naming_what_to_run(course):
    folder, db_url = course
    done, _ = _export(folder, db_url, '--assignment=["05_missing"]')
    assert done.returncode != 0
    assert "no assignment 05_missing" in done.stderr and "course release" in done.stderr
    assert "Traceback" not in done.stderr


def test_points_per_hour_must_be_a_finite_non_negative_number():
    with pytest.raises(ValueError, match=r"points_per_hour must be a finite number >= 0, got -1\.0"):
        PenaltyPerHourLate(points_per_hour=-1.0)


@pytest.mark.slow
def test_a_late_timestamp_costs_its_penalty_through_course_grade_and_the_export(tmp_path):
    """End to end: timestamp.txt in the submission, a due date in the gradebook, `course grade`, `nbgrader export`."""
    from autograder.cli import main
    from autograder.samples import write_submissions

    course = released_course(tmp_path / "course", ["01_normal_mle"])
    write_submissions(
        ROOT / "samples" / "01_normal_mle", course / "release" / "01_normal_mle", course / "submitted",
        only=["ada_correct", "bob_loops"],
    )  # fmt: skip
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(db_url) as gradebook:
        gradebook.update_or_create_assignment("01_normal_mle", duedate=DUE)
    late = DUE + datetime.timedelta(hours=1, minutes=30)  # two started hours: 2 points
    for student, when in (("ada_correct", DUE - datetime.timedelta(hours=1)), ("bob_loops", late)):
        (course / "submitted" / student / "01_normal_mle" / "timestamp.txt").write_text(f"{when} UTC")
    assert main(["--root", str(course), "grade", "01_normal_mle"]) == 0
    with Gradebook(db_url) as gradebook:
        ada = gradebook.find_submission("01_normal_mle", "ada_correct")
        bob = gradebook.find_submission("01_normal_mle", "bob_loops")
        graded = {s.student.id: (s.score, s.late_submission_penalty) for s in (ada, bob)}
    assert graded["ada_correct"][1] == 0.0
    assert graded["bob_loops"][1] == 2.0 and graded["bob_loops"][0] >= 2.0
    done, rows = _export(tmp_path, db_url)
    assert done.returncode == 0, done.stderr
    marks = {row[3]: float(row[5]) for row in rows[2:]}
    assert marks == {student: score - penalty for student, (score, penalty) in graded.items()}
