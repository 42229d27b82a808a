"""Stock ``nbgrader autograde``, configured by the course's nbgrader_config.py, on hostile submission folders.

A red-team graded these with stock nbgrader: a notebook that is a link to the source notebook scored
like a correct learner and its feedback showed the solutions; links to ``solutions/`` and to the
gradebook were copied into ``autograded/`` and ``feedback/``; a named pipe as the notebook blocked the
run; a pipe or ``/dev/zero`` as ``timestamp.txt`` blocked a re-run or filled memory (nbgrader reads it
before any hook); ``/dev/zero`` as a data file filled the disk. Here each such folder is graded beside
honest learners: every run ends (a hang fails the test after :data:`TIMEOUT` instead of blocking it),
honest marks are exact, nothing behind a link reaches ``autograded/`` or ``feedback/``, a notebook that
is not a plain file earns 0 with a message, and what was left out is named in the log.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.folders import Bounds
from autograder.gradebook import marks
from autograder.nbgrader_commands import nbgrader_env
from autograder.restore import UnreadableNotebook, open_submitted_notebook
from autograder.stock import LEFT_OUT_PREFIX, screen_folder
from tests.attack_class import ASSIGNMENT, FUNCTIONS, HONEST, build_course, submission_folder, submit_notebook
from tests.conftest import ROOT, deep_tree

NOTEBOOK = "normal_mle.ipynb"
FULL, ZERO = (3, 3, 3, 3), (0, 0, 0, 0)
#: Seconds a whole nbgrader run may take on a loaded 2-core machine before it counts as blocked.
TIMEOUT = 900
#: Text of files a link may point at: none of it may reach autograded/ or feedback/.
SECRETS = {
    "the source notebook": b"BEGIN SOLUTION",
    "solutions/normal.py": b"Maximum likelihood for the Normal distribution N(mu, sigma^2) (assignment 01).",
    "the gradebook": b"SQLite format 3",
}
#: student -> marks after the first run
EXPECTED = {
    **HONEST,
    "linked_source": ZERO,  # normal_mle.ipynb -> the source notebook, solutions and all
    "linked_folder": ZERO,  # the assignment folder -> source/01_normal_mle
    "pipe_notebook": ZERO,
    "linked_secrets": FULL,  # Ada's notebook beside links to solutions/, the gradebook and /dev/zero
    "pipe_timestamp": FULL,
    "zero_timestamp": FULL,  # timestamp.txt -> /dev/zero
    "bad_timestamp": FULL,  # nbgrader fails a submission whose timestamp.txt it cannot parse
    "deep_tree": FULL,  # 1500 folders deep: nbgrader's os.walk recurses past Python's stack
    "resubmits": FULL,  # honest at first; before the second run, a pipe as timestamp.txt
    "resubmits_zero": FULL,  # honest at first; before the second run, timestamp.txt -> /dev/zero
}
#: What the log must say of each hostile folder.
LOGGED = {
    "linked_source": f"{NOTEBOOK} is a link: ignored, so it was graded as missing",
    "linked_folder": f"submitted/linked_folder/{ASSIGNMENT} is a link, not a folder: not followed",
    "pipe_notebook": f"{NOTEBOOK} is a named pipe: ignored, so it was graded as missing",
    "linked_secrets": "solution_copy.py is a link: ignored",
    "pipe_timestamp": "timestamp.txt is a named pipe: ignored",
    "zero_timestamp": "timestamp.txt is a link: ignored",
    "bad_timestamp": "timestamp.txt does not hold a time nbgrader can read: ignored",
    "deep_tree": "is nested deeper than 8 folders: ignored",
}
DEPTH = 1500
#: Exit codes of the first autograde and generate_feedback runs
CODES: list[int] = []


def _nbgrader(course: Path, *args: str) -> int:
    """Run ``nbgrader *args`` in ``course`` (its output appended to ``nbgrader.log`` beside it); its exit code.

    A run still going after :data:`TIMEOUT` seconds is killed with everything it started, and fails the test.
    """
    with (course.parent / "nbgrader.log").open("a") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "nbgrader", *args],
            cwd=course,
            env=nbgrader_env(),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            return process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            pytest.fail(f"nbgrader {' '.join(args)} was still running after {TIMEOUT} s: a submission blocked it")


def _scores(course: Path) -> dict[str, tuple[float, ...]]:
    table = marks(f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT)
    return {student: tuple(row[f].score for f in FUNCTIONS) for student, row in table.items()}


def _copy_of_ada(course: Path, student: str) -> Path:
    folder = submission_folder(course, student)
    shutil.copytree(submission_folder(course, "ada_correct"), folder)
    return folder


def _remove(path: Path) -> None:
    """Remove a folder holding a tree deeper than Python's stack allows shutil.rmtree by default."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * DEPTH))
    try:
        shutil.rmtree(path, ignore_errors=True)
    finally:
        sys.setrecursionlimit(limit)


UNSAFE_ID = '<img src=x onerror="document.title=1">'


def _attack(course: Path) -> None:
    """The hostile submission folders, made beside the honest learners' (Ada's notebook where one is graded)."""
    source = submit_notebook(course, "linked_source")
    os.symlink(f"../../../source/{ASSIGNMENT}/{NOTEBOOK}", source / NOTEBOOK)
    (course / "submitted" / "linked_folder").mkdir()
    os.symlink(f"../../source/{ASSIGNMENT}", submission_folder(course, "linked_folder"))
    os.mkfifo(submit_notebook(course, "pipe_notebook") / NOTEBOOK)

    secrets = _copy_of_ada(course, "linked_secrets")
    os.symlink(ROOT / "solutions" / "normal.py", secrets / "solution_copy.py")
    os.symlink("../../../gradebook.db", secrets / "course_gradebook.db")
    os.symlink("/dev/zero", secrets / "data.bin")
    os.mkfifo(_copy_of_ada(course, "pipe_timestamp") / "timestamp.txt")
    os.symlink("/dev/zero", _copy_of_ada(course, "zero_timestamp") / "timestamp.txt")
    (_copy_of_ada(course, "bad_timestamp") / "timestamp.txt").write_text("2024-03-01 12:00:00 ../../../etc/passwd")
    deep_tree(_copy_of_ada(course, "deep_tree"), DEPTH, name="d")
    _copy_of_ada(course, "resubmits")
    _copy_of_ada(course, "resubmits_zero")
    _copy_of_ada(course, UNSAFE_ID)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The class after one stock autograde run, then ``generate_feedback``."""
    where = tmp_path_factory.mktemp("stock-folders")
    course = build_course(where, honest=tuple(HONEST))
    _attack(course)
    try:
        CODES.extend([_nbgrader(course, "autograde", ASSIGNMENT), _nbgrader(course, "generate_feedback", ASSIGNMENT)])
        yield course
    finally:
        _remove(course / "submitted")


@pytest.mark.slow
def test_every_run_ends_and_grades_every_learner(course):
    assert CODES == [0, 0]
    assert _scores(course) == EXPECTED


@pytest.mark.slow
def test_a_notebook_that_is_not_a_plain_file_is_graded_as_missing(course):
    table = marks(f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT)
    for student in ("linked_source", "linked_folder", "pipe_notebook"):
        assert all(mark.score == 0 and not mark.pending for mark in table[student].values()), student
        (feedback,) = (course / "feedback" / student / ASSIGNMENT).glob("*.html")
        assert "graded as missing" in feedback.read_text(), student


@pytest.mark.slow
def test_nothing_behind_a_link_reaches_autograded_or_feedback(course):
    for top in ("autograded", "feedback"):
        for path in (course / top).rglob("*"):
            assert not path.is_symlink(), path
            if path.is_file():
                assert path.stat().st_size < 50 * 2**20, path
                data = path.read_bytes()
                assert not [what for what, text in SECRETS.items() if text in data], path
        names = {path.name for path in (course / top).rglob("*")}
        assert not names & {"solution_copy.py", "course_gradebook.db", "data.bin", "d"}, top


@pytest.mark.slow
def test_the_log_names_what_was_left_out_and_where_it_went(course):
    log = (course.parent / "nbgrader.log").read_text()
    for student, words in LOGGED.items():
        assert any(student in line and words in line for line in log.splitlines()), (student, words)
    secrets = submission_folder(course, "linked_secrets")
    assert sorted(p.name for p in secrets.iterdir()) == [NOTEBOOK]  # what nbgrader may read
    (aside,) = secrets.parent.glob(f"{LEFT_OUT_PREFIX}*/{ASSIGNMENT}")  # the folder as submitted, untouched
    assert os.readlink(aside / "data.bin") == "/dev/zero"


@pytest.mark.slow
def test_a_pipe_or_dev_zero_as_timestamp_does_not_stop_a_second_run(course):
    """nbgrader reads a graded submission's timestamp.txt before any hook, to decide whether to grade it again."""
    before = _scores(course)
    os.mkfifo(submission_folder(course, "resubmits") / "timestamp.txt")
    os.symlink("/dev/zero", submission_folder(course, "resubmits_zero") / "timestamp.txt")
    started = time.monotonic()
    assert _nbgrader(course, "autograde", ASSIGNMENT) == 0
    assert time.monotonic() - started < 300  # nothing graded again: every submission was graded already
    assert _scores(course) == before
    for student in ("resubmits", "resubmits_zero"):
        assert not (submission_folder(course, student) / "timestamp.txt").exists()


# -- without nbgrader ------------------------------------------------------------------------------------


@contextmanager
def _deadline(seconds: int):
    """Fail instead of blocking forever if the body waits on a pipe."""

    def expire(*_):
        raise TimeoutError(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _folder(root: Path, student: str = "learner") -> Path:
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), folder / NOTEBOOK)
    return folder


def test_an_honest_folder_is_left_as_it_is(tmp_path):
    folder = _folder(tmp_path)
    (folder / "data").mkdir()
    (folder / "data" / "x.csv").write_text("1,2\n")
    (folder / "timestamp.txt").write_text("2024-03-01 12:00:00.123456 UTC")
    inode = folder.stat().st_ino
    assert screen_folder(tmp_path, "learner", ASSIGNMENT, [NOTEBOOK]) == []
    assert folder.stat().st_ino == inode
    assert sorted(p.name for p in folder.parent.iterdir()) == [ASSIGNMENT]


def test_a_hostile_folder_keeps_its_plain_files_and_the_rest_is_set_aside_untouched(tmp_path):
    folder = _folder(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    os.symlink(secret, folder / "secret.txt")
    os.mkfifo(folder / "pipe")
    (folder / "keep.txt").write_text("mine")
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / "timestamp.txt").write_text("yesterday, around noon")
    deep_tree(folder, 20, name="d")
    with _deadline(30):
        notes = screen_folder(tmp_path, "learner", ASSIGNMENT, [NOTEBOOK], Bounds())
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt", NOTEBOOK]
    assert (folder / "keep.txt").read_text() == "mine"
    text = "\n".join(notes)
    for words in ("secret.txt is a link", "pipe is a named pipe", "nested deeper than 8", "timestamp.txt does not"):
        assert words in text
    (aside,) = folder.parent.glob(f"{LEFT_OUT_PREFIX}*/{ASSIGNMENT}")
    assert str(aside.relative_to(tmp_path)) in text
    assert os.readlink(aside / "secret.txt") == str(secret) and secret.read_text() == "secret"
    assert (aside / "timestamp.txt").read_text() == "yesterday, around noon"
    assert screen_folder(tmp_path, "learner", ASSIGNMENT, [NOTEBOOK]) == []  # screened once


def test_a_linked_submission_folder_is_set_aside_not_followed(tmp_path):
    target = _folder(tmp_path, "someone_else")
    (tmp_path / "submitted" / "learner").mkdir()
    os.symlink(target, tmp_path / "submitted" / "learner" / ASSIGNMENT)
    notes = screen_folder(tmp_path, "learner", ASSIGNMENT, [NOTEBOOK])
    assert f"submitted/learner/{ASSIGNMENT} is a link, not a folder: not followed" in notes[0]
    assert not os.path.lexists(tmp_path / "submitted" / "learner" / ASSIGNMENT)
    assert sorted(p.name for p in target.iterdir()) == [NOTEBOOK]


@pytest.mark.parametrize("kind", ["link", "pipe", "folder", "missing", "too big", "not UTF-8"])
def test_the_exporter_opens_only_a_plain_notebook_file(tmp_path, kind):
    path = tmp_path / NOTEBOOK
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "real.ipynb")
    make = {
        "link": lambda: os.symlink(tmp_path / "real.ipynb", path),
        "pipe": lambda: os.mkfifo(path),
        "folder": path.mkdir,
        "missing": lambda: None,
        "too big": lambda: path.write_text(" " * 2048),
        "not UTF-8": lambda: path.write_bytes(b'{"cells": "\xff"}'),
    }
    make[kind]()
    with _deadline(30), pytest.raises(UnreadableNotebook):
        open_submitted_notebook(str(path), max_bytes=1024)
    assert open_submitted_notebook(str(tmp_path / "real.ipynb"), max_bytes=1024)[0].cells == []


@pytest.mark.slow
def test_a_student_id_that_is_not_a_safe_name_is_not_graded(course):
    # The formgrader prints a student id unescaped in its pages: such an id must never reach the gradebook.
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert UNSAFE_ID not in {student.id for student in gradebook.students}
    assert "a student id must be letters" in (course.parent / "nbgrader.log").read_text()


def test_the_exporter_refuses_a_notebook_of_too_many_objects_before_parsing_it(tmp_path):
    path = tmp_path / NOTEBOOK
    path.write_text('{"cells": [' + "{}," * 100_000 + "{}]}")
    with pytest.raises(UnreadableNotebook, match="too big to read"):
        open_submitted_notebook(str(path), max_bytes=2**20)
