"""The ``course`` command as an instructor runs it: every failure says what to do and exits non-zero.

Each test runs the installed ``course`` entry point as a subprocess in a
course folder of its own and checks its exit code and what it printed.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.demo import prepare_course
from autograder.errors import NoGradebook, NotACourse, UnknownAssignment
from autograder.nbgrader_commands import nbgrader_env
from tests.conftest import ROOT

ASSIGNMENT = "01_normal_mle"
COURSE = Path(sys.executable).parent / "course"


def course(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """``course *args`` run in ``folder``, as an instructor would."""
    return subprocess.run([COURSE, *args], cwd=folder, env=nbgrader_env(), capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """A course with its configuration, source and the release of the first assignment (so a gradebook)."""
    folder = tmp_path_factory.mktemp("released") / "course"
    prepare_course(ROOT, folder)
    done = course(folder, "release", ASSIGNMENT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"released {ASSIGNMENT}" in done.stdout
    return folder


@pytest.fixture
def released_copy(released, tmp_path) -> Path:
    """A copy of the released course, for one test to change."""
    return Path(shutil.copytree(released, tmp_path / "course", symlinks=True))


def test_grading_without_a_gradebook_says_to_release_first(tmp_path):
    prepare_course(ROOT, tmp_path / "course")
    done = course(tmp_path / "course", "grade", ASSIGNMENT)
    assert done.returncode == NoGradebook.exit_code, done.stdout + done.stderr
    assert f"No gradebook at {tmp_path / 'course' / 'gradebook.db'}: run `course release`" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "course" / "gradebook.db").exists()


def test_grading_an_assignment_the_gradebook_does_not_know_fails_before_grading(released_copy):
    (released_copy / "submitted" / "ada" / "nosuch").mkdir(parents=True)  # submitted, yet unknown to the gradebook
    done = course(released_copy, "grade", "nosuch")
    assert done.returncode == UnknownAssignment.exit_code, done.stdout + done.stderr
    assert f"The gradebook has no assignment nosuch (it has: {ASSIGNMENT})" in done.stderr
    assert "Gradebook:" not in done.stdout and "grading" not in done.stdout


def test_a_known_assignment_with_no_submissions_yet_is_not_an_error(released_copy):
    done = course(released_copy, "grade", ASSIGNMENT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"No submissions of {ASSIGNMENT} in {released_copy / 'submitted'} yet: nothing to grade." in done.stdout


def test_student_grades_only_the_students_named_and_says_which_have_no_submission(released_copy):
    for student in ("ada", "bob", "cy", "dee dee"):  # no notebook: each graded is zeroed, without a kernel
        (released_copy / "submitted" / student / ASSIGNMENT).mkdir(parents=True)
    asked = ["bob", "cy", "nobody", "dee dee"]
    done = course(released_copy, "grade", ASSIGNMENT, *(f"--student={who}" for who in asked))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "2 of 2 submissions to grade" in done.stdout
    summary, _, after = done.stdout.partition(f"Gradebook: {ASSIGNMENT}")
    rows = [line.split("│")[1:3] for line in summary.splitlines() if line.startswith("│")]
    assert [s.strip() for s, what in rows if "no submission of" in what] == ["nobody"]
    assert "dee dee" in [s.strip() for s, _ in rows]  # a folder whose name is not a student id: the usual advice
    assert "folder name is not a student id" in " ".join(what.strip() for _, what in rows)
    gradebook, _, last = after.partition("? or *")
    assert [line.split("│")[1].strip() for line in gradebook.splitlines() if line.startswith("│")] == ["bob", "cy"]
    assert "2 submission(s) not recorded: dee dee, nobody." in last
    assert not (released_copy / "autograded" / "ada").exists()


def test_a_class_with_one_submission_not_recorded_exits_1_after_the_gradebook(released_copy):
    for student in ("ada", "bob"):  # no notebook: each is zeroed, without a kernel
        (released_copy / "submitted" / student / ASSIGNMENT).mkdir(parents=True)
    (released_copy / "autograded").mkdir()
    (released_copy / "autograded" / "bob").write_text("a file where bob's folder goes: publishing bob fails")
    done = course(released_copy, "grade", ASSIGNMENT, "--workers", "2")
    assert done.returncode == 1, done.stdout + done.stderr
    summary, _, after = done.stdout.partition(f"Gradebook: {ASSIGNMENT}")
    rows = [line.split("│")[1:3] for line in summary.splitlines() if line.startswith("│")]
    assert [student.strip() for student, what in rows if "not recorded" in what] == ["bob"]
    assert any("not recorded: publishing failed (FileExistsError" in what for _, what in rows)
    gradebook, _, last = after.partition("? or *")
    students = [line.split("│")[1].strip() for line in gradebook.splitlines() if line.startswith("│")]
    assert students == ["ada"]  # zeroed; nothing of bob's, not even an empty row
    assert "1 submission(s) not recorded: bob." in last


#: Folder names a student may choose in nbgrader's exchange: HTML the formgrader would run, escape sequences
#: (retitle the terminal, move up a line, erase it), a name of the grader's own staging files.
XSS = '<img src=x onerror="document.title=`XSS-`+document.domain">'
ESCAPES = "evil\x1b]0;OWNED\x07\x1b[1A\x1b[2K"


def _controls(text: str) -> list[str]:
    """The C0 and C1 control characters in ``text``, but newlines."""
    return [c for c in text if c != "\n" and (ord(c) < 32 or 127 <= ord(c) <= 159)]


def test_only_safe_student_ids_are_graded_and_nothing_a_submission_names_reaches_the_terminal_raw(released_copy):
    for student in ("ada", "template.db", "mallory", XSS, ESCAPES):  # no notebook: each is zeroed, without a kernel
        (released_copy / "submitted" / student / ASSIGNMENT).mkdir(parents=True)
    (released_copy / "submitted" / ESCAPES / ASSIGNMENT / "notes.txt").symlink_to("/etc/passwd")
    (released_copy / "submitted" / "mallory" / ASSIGNMENT / "[bold red]x.html").write_text("<p>")
    (released_copy / "submitted" / "mallory" / ASSIGNMENT / "x\x1b]0;OWNED\x07.txt").write_text("x")
    (released_copy / "submitted" / "mallory" / ASSIGNMENT / "[link=file:x]y").symlink_to("/etc/passwd")
    (released_copy / "submitted" / "mallory" / ASSIGNMENT / "report.HTML").write_text("<p>")
    (released_copy / "submitted" / "mallory" / ASSIGNMENT / "secrets").symlink_to("/etc/passwd")
    done = course(released_copy, "grade", ASSIGNMENT, "--workers", "2")
    assert done.returncode == 1, done.stdout + done.stderr
    assert _controls(done.stdout + done.stderr) == []
    with Gradebook(f"sqlite:///{released_copy / 'gradebook.db'}") as gradebook:
        assert sorted(s.id for s in gradebook.students) == ["ada", "mallory", "template.db"]
    assert sorted(p.name for p in (released_copy / "autograded").iterdir()) == ["ada", "mallory", "template.db"]
    rows = [line.split("│") for line in done.stdout.partition("Gradebook:")[0].splitlines() if line.startswith("│")]
    summary = " ".join(row[2].strip() for row in rows)
    pattern = "has a *, ? or [ in its name"  # nbgrader would glob it; Rich markup is printed literally
    assert f"[bold red]x.html {pattern}" in summary and f"[link=file:x]y {pattern}" in summary
    assert "x\\x1b]0;OWNED\\x07.txt has a control character in its name" in summary  # escapes shown as text
    assert "report.HTML is a web page or script" in summary and "secrets is a link: ignored" in summary
    for name in (XSS, "evil\\x1b]0;OWNED\\x07\\x1b[1A\\x1b[2K"):
        assert f"so nothing of it was graded: rename submitted/{name} to the student's id" in summary, summary
    assert "2 submission(s) not recorded:" in done.stdout


def test_an_assignment_that_is_not_a_safe_name_is_refused(released_copy):
    done = course(released_copy, "grade", "01_normal_mle\x1b]0;OWNED\x07")
    assert done.returncode == UnknownAssignment.exit_code, done.stdout + done.stderr
    assert "course grade grades only assignments named with" in done.stderr
    assert _controls(done.stdout + done.stderr) == []


def test_the_gradebook_of_an_unknown_assignment_is_an_error(released_copy):
    done = course(released_copy, "gradebook", "nosuch")
    assert done.returncode == UnknownAssignment.exit_code, done.stdout + done.stderr
    assert f"The gradebook has no assignment nosuch (it has: {ASSIGNMENT})" in done.stderr
    known = course(released_copy, "gradebook", ASSIGNMENT)
    assert known.returncode == 0 and "Gradebook:" in known.stdout, known.stderr  # no one graded yet: a narrow table


def test_the_gradebook_where_there_is_none_is_an_error_and_makes_none(tmp_path):
    prepare_course(ROOT, tmp_path / "course")
    done = course(tmp_path / "course", "gradebook", ASSIGNMENT)
    assert done.returncode == NoGradebook.exit_code, done.stdout + done.stderr
    assert "No gradebook at" in done.stderr
    assert not (tmp_path / "course" / "gradebook.db").exists()  # nbgrader would have made an empty one


def test_releasing_an_assignment_with_no_source_names_those_there_are(tmp_path):
    prepare_course(ROOT, tmp_path / "course")
    done = course(tmp_path / "course", "release", "nosuch")
    assert done.returncode == UnknownAssignment.exit_code, done.stdout + done.stderr
    assert f"No folder in {tmp_path / 'course' / 'source'} for nosuch (there are: {ASSIGNMENT}, " in done.stderr


@pytest.mark.parametrize(
    "args", [("grade", ASSIGNMENT), ("gradebook", ASSIGNMENT), ("release",), ("sync-solutions", "--check"), ("demo",)]
)
def test_every_subcommand_outside_a_course_says_so(tmp_path, args):
    done = course(tmp_path, *args)
    assert done.returncode == NotACourse.exit_code, done.stdout + done.stderr
    assert f"in {tmp_path}: run `course" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []
