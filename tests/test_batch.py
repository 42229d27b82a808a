"""``course grade``: a batch killed with SIGKILL finishes on restart with nothing lost or counted twice."""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from nbgrader.api import Gradebook

from autograder.batch import MARKER
from autograder.demo import generate_release, nbgrader_env, prepare_course
from autograder.gradebook import marks
from autograder.samples import write_submissions
from tests.conftest import ROOT
from tests.test_sample_class import FUNCTIONS, expected_marks

ASSIGNMENT = "01_normal_mle"
LEARNERS = ["ada_correct", "bob_loops", "chen_scipy", "dana_bessel", "eli_variance", "fay_median", "gus_no_constant"]


def _grade(course, *extra):
    command = [sys.executable, "-m", "autograder.cli", "grade", ASSIGNMENT, "--workers", "2", *extra]
    return subprocess.Popen(
        command,
        cwd=course,
        env=nbgrader_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _published(course):
    return sorted(p.parent.parent.name for p in (course / "autograded").glob(f"*/{ASSIGNMENT}/{MARKER}"))


def _table(course):
    table = marks(f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT)
    return {learner: tuple(row[f].score for f in FUNCTIONS[ASSIGNMENT]) for learner, row in table.items()}


@pytest.fixture(scope="module")
def killed_and_restarted(tmp_path_factory):
    course = tmp_path_factory.mktemp("batch") / "course"
    prepare_course(ROOT, course)
    generate_release(course, [ASSIGNMENT], course.parent / "release.log")
    write_submissions(ROOT / "samples" / ASSIGNMENT, course / "release" / ASSIGNMENT, course / "submitted", LEARNERS)
    first = _grade(course)
    deadline = time.monotonic() + 300
    while len(_published(course)) < 2 and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.2)
    os.killpg(first.pid, signal.SIGKILL)  # the batch, its workers and their kernels' sandboxes
    first.wait()
    before_restart = _published(course)
    second = _grade(course)
    printed = second.communicate(timeout=600)[0]
    return course, before_restart, printed, second.returncode


@pytest.mark.slow
def test_the_kill_left_work_to_finish(killed_and_restarted):
    _, before_restart, printed, code = killed_and_restarted
    assert 2 <= len(before_restart) < len(LEARNERS)
    assert code == 0, printed
    assert f"{len(LEARNERS) - len(before_restart)} of {len(LEARNERS)} submissions to grade" in printed


@pytest.mark.slow
def test_after_the_restart_every_mark_is_the_stated_one(killed_and_restarted):
    course, *_ = killed_and_restarted
    expected = expected_marks(ASSIGNMENT)
    assert _table(course) == {learner: expected[learner] for learner in LEARNERS}


@pytest.mark.slow
def test_each_student_has_one_submission_and_one_grade_per_cell(killed_and_restarted):
    course, *_ = killed_and_restarted
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assignment = gradebook.find_assignment(ASSIGNMENT)
        cells = len(assignment.notebooks[0].grade_cells)
        assert sorted(s.student.id for s in assignment.submissions) == sorted(LEARNERS)
        for submission in assignment.submissions:
            (notebook,) = submission.notebooks
            assert len(notebook.grades) == cells
    assert sorted(p.name for p in (course / "feedback").iterdir()) == sorted(LEARNERS)


@pytest.mark.slow
def test_a_second_run_grades_only_what_changed_and_keeps_manual_grades(killed_and_restarted):
    course, *_ = killed_and_restarted
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        gradebook.find_grade("bias_answer", "normal_mle", ASSIGNMENT, "ada_correct").manual_score = 2
        gradebook.db.commit()
    # Dana resubmits Ada's notebook: only hers is graded again, and her normal_mle now earns its marks.
    dana = course / "submitted" / "dana_bessel" / ASSIGNMENT
    shutil.copyfile(course / "submitted" / "ada_correct" / ASSIGNMENT / "normal_mle.ipynb", dana / "normal_mle.ipynb")
    again = _grade(course)
    printed = again.communicate(timeout=300)[0]
    assert f"1 of {len(LEARNERS)} submissions to grade" in printed
    assert _table(course)["dana_bessel"] == (3, 3, 3, 3)
    forced = _grade(course, "--force")
    assert forced.communicate(timeout=600)[0].count("submissions to grade") == 1
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert gradebook.find_grade("bias_answer", "normal_mle", ASSIGNMENT, "ada_correct").manual_score == 2
