"""Grades are bounded by the instructor's gradebook before they are written, from a cluster worker or this machine.

The gradebook here is built with nbgrader's own API (an assignment of one
notebook: a test cell worth 3 points, a written answer worth 2, a task worth
1), so the bounds come from it, never from the code under test. Each hostile
return is published through the same path as in a batch and must leave the
gradebook exactly as it was, with a message naming the fault.
"""

import math
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from nbgrader.api import Gradebook

from autograder import cluster
from autograder.batch import Job, Outcome, _publish_or_explain
from autograder.grade_bounds import ImplausibleGrades, check_grades

ASSIGNMENT = "a1"
NOTEBOOK = "nb"
STUDENT = "ada"
#: name -> (points, what nbgrader may score automatically)
GRADES = {"test_f": 3.0, "answer": 2.0, "task": 1.0}


def _gradebook(db: Path) -> str:
    """A course gradebook of one assignment, built with nbgrader's API; its URL."""
    url = f"sqlite:///{db}"
    with Gradebook(url) as gradebook:
        gradebook.add_assignment(ASSIGNMENT)
        gradebook.add_notebook(NOTEBOOK, ASSIGNMENT)
        gradebook.add_solution_cell("f", NOTEBOOK, ASSIGNMENT)
        gradebook.add_grade_cell("test_f", NOTEBOOK, ASSIGNMENT, max_score=3, cell_type="code")
        gradebook.add_solution_cell("answer", NOTEBOOK, ASSIGNMENT)
        gradebook.add_grade_cell("answer", NOTEBOOK, ASSIGNMENT, max_score=2, cell_type="markdown")
        gradebook.add_task_cell("task", NOTEBOOK, ASSIGNMENT, max_score=1, cell_type="markdown")
        gradebook.add_assignment("other")  # another assignment's records are never the bounds of this one
        gradebook.add_notebook("other_nb", "other")
        gradebook.add_grade_cell("test_g", "other_nb", "other", max_score=100, cell_type="code")
    return url


def _returned(**changes) -> dict:
    """A worker's honest return: full marks on the test, the answer and the task left for a person."""
    notebook = {
        "name": NOTEBOOK,
        "late_submission_penalty": None,
        "grades": [
            {"name": "test_f", "auto_score": 3.0, "needs_manual_grade": False},
            {"name": "answer", "auto_score": None, "needs_manual_grade": True},
            {"name": "task", "auto_score": None, "needs_manual_grade": True},
        ],
        "comments": [{"name": name, "auto_comment": None} for name in ("f", "answer", "task")],
    }
    notebook.update(changes)
    return {"timestamp": None, "notebooks": [notebook]}


def _rows(db: Path) -> list:
    """Every row of the gradebook's grading tables, to compare before and after."""
    with sqlite3.connect(db) as connection:
        return [
            connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("grade", "comment", "submitted_notebook", "submitted_assignment", "student")
        ]


@pytest.fixture
def course(tmp_path):
    url = _gradebook(tmp_path / "gradebook.db")
    job = Job(tmp_path, tmp_path / ".grading" / ASSIGNMENT, tmp_path / "template.db", ASSIGNMENT, STUDENT, ())
    return SimpleNamespace(root=tmp_path, db=tmp_path / "gradebook.db", url=url, job=job)


def _publish(course, returned: dict) -> Outcome:
    """Publish ``returned`` as the cluster path does: read strictly, then checked and written by batch.publish."""
    course.job.stage.mkdir(parents=True, exist_ok=True)
    graded = cluster.read_grades(returned)
    return _publish_or_explain(course.job, Outcome(STUDENT, True, 1.0, [], "digest"), course.url, graded)


def _grade(db: Path, name: str) -> tuple:
    with Gradebook(f"sqlite:///{db}") as gradebook:
        mark = gradebook.find_grade(name, NOTEBOOK, ASSIGNMENT, STUDENT)
        return mark.auto_score, mark.manual_score, mark.needs_manual_grade, mark.extra_credit


def test_honest_grades_are_written(course):
    outcome = _publish(course, _returned(late_submission_penalty=1.5))
    assert outcome.success, outcome.problems
    assert _grade(course.db, "test_f") == (3.0, None, False, None)
    with Gradebook(course.url) as gradebook:
        assert gradebook.find_submission_notebook(NOTEBOOK, ASSIGNMENT, STUDENT).late_submission_penalty == 1.5


def _with_grade(which: str, **fields) -> dict:
    returned = _returned()
    for grade in returned["notebooks"][0]["grades"]:
        if grade["name"] == which:
            grade.update(fields)
    return returned


HOSTILE = {
    "a score of 1e6": (_with_grade("test_f", auto_score=1e6), "outside 0 to its 3 points"),
    "a negative score": (_with_grade("test_f", auto_score=-1.0), "outside 0 to its 3 points"),
    "a late penalty of -1000 (a bonus)": (_returned(late_submission_penalty=-1000.0), "late penalty -1000"),
    "a late penalty above the score": (_returned(late_submission_penalty=3.5), "late penalty 3.5 is outside 0 to"),
    "a written answer scored automatically": (
        _with_grade("answer", auto_score=2.0, needs_manual_grade=False),
        "graded by hand",
    ),
    "a task scored automatically": (_with_grade("task", auto_score=1.0), "graded by hand"),
    "no score and nobody to grade it": (_with_grade("test_f", auto_score=None), "not left to grade by hand"),
    "an unknown grade": (_with_grade("test_f", name="test_g"), "grade 'test_g' is not in the instructor"),
    "an unknown notebook": (_returned(name="other_nb"), "notebook 'other_nb' is not in the instructor"),
    "a grade given twice": (
        _returned(grades=[*_returned()["notebooks"][0]["grades"], _returned()["notebooks"][0]["grades"][0]]),
        "more than once",
    ),
    "a grade left out": (_returned(grades=_returned()["notebooks"][0]["grades"][1:]), "test_f' is missing"),
    "an unknown comment": (
        _returned(comments=[{"name": "hidden", "auto_comment": "x"}]),
        "comment 'hidden' is not in the instructor",
    ),
    "no notebook at all": ({"timestamp": None, "notebooks": []}, "notebook 'nb' is missing"),
}


@pytest.mark.parametrize("returned, why", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_grades_are_refused_and_nothing_is_written(course, returned, why):
    assert _publish(course, _returned()).success  # graded once: what a refused return must leave as it was
    before = _rows(course.db)
    outcome = _publish(course, returned)
    assert not outcome.success
    assert why in outcome.problems[-1] and "its grades were refused" in outcome.problems[-1], outcome.problems
    assert _rows(course.db) == before


def _as_nbgrader(returned: dict) -> SimpleNamespace:
    """Grades shaped like nbgrader's records, without the cluster's strict reader in front of the check."""
    return SimpleNamespace(
        notebooks=[
            SimpleNamespace(
                name=n["name"],
                late_submission_penalty=n["late_submission_penalty"],
                grades=[SimpleNamespace(**g) for g in n["grades"]],
                comments=[SimpleNamespace(**c) for c in n["comments"]],
            )
            for n in returned["notebooks"]
        ]
    )


@pytest.mark.parametrize(
    "returned, why",
    [
        (_with_grade("test_f", auto_score=math.nan), "not a finite number"),
        (_with_grade("test_f", auto_score=math.inf), "not a finite number"),
        (_with_grade("test_f", auto_score=True), "not a finite number"),
        (_with_grade("test_f", auto_score="3"), "not a finite number"),
        (_with_grade("test_f", needs_manual_grade="no"), "not true or false"),
        (_returned(late_submission_penalty=math.nan), "not a finite number"),
        (_returned(comments=[{"name": n, "auto_comment": "x" * 100_001} for n in ("f", "answer", "task")]), "text"),
        (_returned(comments=[{"name": n, "auto_comment": b"x"} for n in ("f", "answer", "task")]), "text"),
    ],
)
def test_values_no_gradebook_should_hold_are_refused_by_the_shared_check_itself(course, returned, why):
    """What the cluster's reader already refuses is refused by the check too: the local pool has no such reader."""
    with Gradebook(course.url) as gradebook, pytest.raises(ImplausibleGrades, match=why):
        check_grades(_as_nbgrader(returned), gradebook, ASSIGNMENT, STUDENT)


def test_a_staging_gradebook_of_the_local_pool_is_bounded_too(course):
    """The local path: the grades come from a staging copy of the gradebook that a grading process wrote."""
    course.job.stage.mkdir(parents=True)
    staging = course.job.stage / "gradebook.db"
    with sqlite3.connect(course.db) as source, sqlite3.connect(staging) as copy:
        source.backup(copy)
    with Gradebook(f"sqlite:///{staging}") as gradebook:
        gradebook.add_student(STUDENT)
        gradebook.add_submission(ASSIGNMENT, STUDENT)
        gradebook.find_grade("test_f", NOTEBOOK, ASSIGNMENT, STUDENT).auto_score = 1e6
        gradebook.db.commit()
    before = _rows(course.db)
    outcome = _publish_or_explain(course.job, Outcome(STUDENT, True, 1.0, [], "digest"), course.url)
    assert not outcome.success and "outside 0 to its 3 points" in outcome.problems[-1]
    assert _rows(course.db) == before


def test_the_instructor_s_manual_grades_are_never_overwritten(course):
    assert _publish(course, _returned()).success
    with Gradebook(course.url) as gradebook:
        test = gradebook.find_grade("test_f", NOTEBOOK, ASSIGNMENT, STUDENT)
        test.manual_score, test.extra_credit, test.needs_manual_grade = 1.0, 0.5, False
        answer = gradebook.find_grade("answer", NOTEBOOK, ASSIGNMENT, STUDENT)
        answer.manual_score, answer.needs_manual_grade = 2.0, False
        comment = gradebook.find_comment("answer", NOTEBOOK, ASSIGNMENT, STUDENT)
        comment.manual_comment = "well argued"
        gradebook.db.commit()
    # graded again (--force): the worker knows nothing of the manual grades and says nobody need look
    assert _publish(course, _with_grade("test_f", auto_score=2.0)).success
    assert _grade(course.db, "test_f") == (2.0, 1.0, True, 0.5)  # the manual score kept and left for review
    assert _grade(course.db, "answer") == (None, 2.0, True, None)
    with Gradebook(course.url) as gradebook:
        assert gradebook.find_comment("answer", NOTEBOOK, ASSIGNMENT, STUDENT).manual_comment == "well argued"
        # a late penalty may reach the score as it stands with the manual scores: 1 + 0.5 + 2
        assert _publish(course, _returned(late_submission_penalty=3.5)).success
