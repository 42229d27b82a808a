"""``course grade`` on a PostgreSQL gradebook: two classes graded at once lose nothing; the copy workers grade against.

The batch, its resume after SIGKILL, ``--force`` and manual grades run on both
SQLite and PostgreSQL in ``tests/test_batch.py``; this module adds what only a
database server shared by several graders shows. The server is started by the
suite itself (``tests/postgres_server.py``).
"""

import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from sqlalchemy import create_engine, inspect

from autograder.batch import course_config
from autograder.database import gradebook_url, require_gradebook, shown_url, snapshot_gradebook
from autograder.demo import prepare_course
from autograder.errors import GradebookUnreachable, NoGradebook
from autograder.nbgrader_commands import generate_release, nbgrader_env
from autograder.samples import write_submissions
from tests.conftest import ROOT

ASSIGNMENTS = ("01_normal_mle", "02_distributions")
#: Students who submit both assignments with no notebook: each is zeroed without a kernel, so the two runs
#: publish new students at the same moments, and both try to add the same student.
EMPTY = [f"s{n:02d}" for n in range(30)]
COURSE = Path(sys.executable).parent / "course"


@pytest.fixture(scope="module")
def shared_gradebook(tmp_path_factory, postgres_server):
    """A course on a fresh PostgreSQL gradebook, both assignments released, graded by two runs at once."""
    course = tmp_path_factory.mktemp("shared") / "course"
    prepare_course(ROOT, course)
    url = postgres_server.new_database()
    with (course / "nbgrader_config.py").open("a") as config:
        config.write(f"\nc.CourseDirectory.db_url = {url!r}\n")
    generate_release(course, list(ASSIGNMENTS), course.parent / "release.log")
    for assignment in ASSIGNMENTS:
        write_submissions(
            ROOT / "samples" / assignment, course / "release" / assignment, course / "submitted", ["ada_correct"]
        )
        for student in EMPTY:
            (course / "submitted" / student / assignment).mkdir(parents=True)
    runs = [
        subprocess.Popen(
            [COURSE, "grade", assignment, "--workers", "1"],
            cwd=course,
            env=nbgrader_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for assignment in ASSIGNMENTS
    ]
    printed = [run.communicate(timeout=900)[0] for run in runs]
    return course, url, [run.returncode for run in runs], printed


@pytest.mark.slow
def test_two_classes_graded_at_once_into_one_postgresql_gradebook_lose_nothing(shared_gradebook):
    course, url, codes, printed = shared_gradebook
    assert codes == [0, 0], printed
    assert not (course / "gradebook.db").exists()  # nothing went to the default SQLite file
    with Gradebook(url) as gradebook:
        assert sorted(s.id for s in gradebook.students) == sorted(["ada_correct", *EMPTY])
        for name in ASSIGNMENTS:
            assignment = gradebook.find_assignment(name)
            cells = {nb.name: len(nb.grade_cells) for nb in assignment.notebooks}
            assert sorted(s.student.id for s in assignment.submissions) == sorted(["ada_correct", *EMPTY])
            for submission in assignment.submissions:
                assert {nb.name: len(nb.grades) for nb in submission.notebooks} == cells
                grades = [grade for nb in submission.notebooks for grade in nb.grades]
                if submission.student.id == "ada_correct":  # the correct learner: every autograded point
                    assert all(g.auto_score == g.max_score for g in grades if g.auto_score is not None), name
                    assert any(g.auto_score for g in grades)
                else:
                    assert all(g.score == 0 for g in grades), (name, submission.student.id)


@pytest.mark.slow
def test_workers_grade_against_a_sqlite_copy_of_every_table(shared_gradebook, tmp_path):
    _, url, *_ = shared_gradebook
    copy = tmp_path / "copy.db"
    snapshot_gradebook(url, copy)
    server, local = create_engine(url), create_engine(f"sqlite:///{copy}")
    try:
        tables = sorted(inspect(server).get_table_names())
        assert sorted(inspect(local).get_table_names()) == tables
        for table in tables:
            with server.connect() as a, local.connect() as b:
                count = f"SELECT COUNT(*) FROM {table}"
                assert a.exec_driver_sql(count).scalar() == b.exec_driver_sql(count).scalar(), table
    finally:
        server.dispose()
        local.dispose()
    with Gradebook(url) as original, Gradebook(f"sqlite:///{copy}") as copied:
        for name in ASSIGNMENTS:
            assert copied.average_assignment_score(name) == original.average_assignment_score(name)


def test_a_database_with_no_gradebook_is_named_without_its_password(postgres_server):
    url = postgres_server.new_database()
    with pytest.raises(NoGradebook) as raised:
        require_gradebook(url)
    assert postgres_server.password not in str(raised.value)
    assert shown_url(url) in str(raised.value) and "run `course release`" in str(raised.value)


def test_a_server_that_cannot_be_reached_says_so(postgres_server):
    wrong = postgres_server.url("postgres").replace(postgres_server.password, "not-the-password")
    with pytest.raises(GradebookUnreachable) as raised:
        require_gradebook(wrong)
    assert "not-the-password" not in str(raised.value)
    assert "password authentication failed" in str(raised.value)


def test_a_relative_sqlite_gradebook_is_the_course_root_s(tmp_path):
    prepare_course(ROOT, tmp_path / "course")
    config = course_config(tmp_path / "course")
    assert gradebook_url(config) == f"sqlite:///{tmp_path / 'course' / 'gradebook.db'}"
