"""``course grade``: what it reads of a submission folder, publishing on a full disk, a batch killed and restarted.

A submission folder may hold anything (links out of it, pipes, devices,
huge or deep trees, odd names): only its regular files within bounds are
read, and nothing in it can make the main process raise. Publishing one
submission is all or nothing, even when the disk fills half way. A batch
killed with SIGKILL finishes on restart with nothing lost or counted twice.
"""

import io
import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbgrader.api import Gradebook
from nbgrader.utils import find_all_files
from rich.console import Console
from traitlets.config import Config

from autograder import batch, folders
from autograder.batch import (
    MARKER,
    PENDING_MARKER,
    Job,
    Outcome,
    _publish_or_explain,
    _readable_notebook,
    _stage,
    _summarise,
    _valid_timestamp,
    course_config,
    grade_class,
    grade_one,
    is_done,
    publish,
    snapshot_gradebook,
)
from autograder.batch import (
    _move_into_place as move_into_place,
)
from autograder.database import gradebook_url
from autograder.folders import Bounds, fingerprint, json_shape, read_submission, safe_name, shown
from autograder.gradebook import marks
from autograder.nbgrader_commands import generate_release, nbgrader_env
from autograder.samples import write_submissions
from autograder.stock import screen_folder
from tests.attack_class import HONEST, build_course
from tests.conftest import ROOT, deep_tree, released_course, remove_deep_tree, unix_socket_at
from tests.test_sample_class import FUNCTIONS, expected_marks

ASSIGNMENT = "01_normal_mle"
#: The class killed mid-batch: with two workers, at least two are published before the kill and two are still being
#: graded (so the restart has work to finish); Ada keeps a manual grade and Dana resubmits.
LEARNERS = ["ada_correct", "bob_loops", "dana_bessel", "eli_variance"]


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


def _db(course):
    """The course's gradebook, SQLite or PostgreSQL, as its configuration names it."""
    return gradebook_url(course_config(course))


def _table(course):
    table = marks(_db(course), ASSIGNMENT)
    return {learner: tuple(row[f].score for f in FUNCTIONS[ASSIGNMENT]) for learner, row in table.items()}


def use_database(course, database, request):
    """Point the course's configuration at a fresh gradebook of ``database`` (sqlite: the default file)."""
    if database == "postgresql":
        url = request.getfixturevalue("postgres_server").new_database()
        with (course / "nbgrader_config.py").open("a") as config:
            config.write(f"\nc.CourseDirectory.db_url = {url!r}\n")


# The batch, its resume after SIGKILL, --force and manual grades, on each gradebook nbgrader supports.
@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def killed_and_restarted(request, tmp_path_factory):
    course = released_course(tmp_path_factory.mktemp("batch") / "course", [ASSIGNMENT])
    if request.param == "postgresql":  # stock nbgrader releases into the PostgreSQL gradebook itself
        use_database(course, request.param, request)
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
    with Gradebook(_db(course)) as gradebook:
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
    with Gradebook(_db(course)) as gradebook:
        gradebook.find_grade("bias_answer", "normal_mle", ASSIGNMENT, "ada_correct").manual_score = 2
        gradebook.db.commit()
    # Dana resubmits Ada's notebook: only hers is graded again, and her normal_mle now earns its marks.
    dana = course / "submitted" / "dana_bessel" / ASSIGNMENT
    shutil.copyfile(course / "submitted" / "ada_correct" / ASSIGNMENT / "normal_mle.ipynb", dana / "normal_mle.ipynb")
    again = _grade(course)
    printed = again.communicate(timeout=300)[0]
    assert f"1 of {len(LEARNERS)} submissions to grade" in printed
    assert _table(course)["dana_bessel"] == (3, 3, 3, 3)
    forced = _grade(course, "--force", "--student", "ada_correct")  # hers is the manual grade to keep
    assert "1 of 1 submissions to grade" in forced.communicate(timeout=600)[0]
    with Gradebook(_db(course)) as gradebook:
        assert gradebook.find_grade("bias_answer", "normal_mle", ASSIGNMENT, "ada_correct").manual_score == 2


# --- A grading process that dies costs only the submission it was grading --------------------------------------


def _grade_or_die(job):
    """Stands in for grade_one in the pool's processes: ``culprit-*`` kills its own process mid-grading.

    The culprit waits until both bystanders are grading, then dies (``os._exit`` or SIGKILL); the
    bystanders are still grading when it does. Each start is logged, to count attempts.
    """
    log = job.staging / "started"
    with log.open("a") as starts:
        starts.write(f"{job.student}\n")
    deadline = time.monotonic() + 120
    if job.student.startswith("culprit"):
        while log.read_text().count("bystander") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        (job.staging / "dying").touch()
        if job.student.endswith("exit"):
            os._exit(1)
        os.kill(os.getpid(), signal.SIGKILL)
    while not (job.staging / "dying").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1)  # long enough for the pool to see its dead process while this one still grades
    return Outcome(job.student, True, 1.0)


@pytest.mark.parametrize("death", ["exit", "sigkill"])
def test_a_dead_grading_process_charges_only_its_own_submission(tmp_path, monkeypatch, death):
    culprit = f"culprit-{death}"
    students = ["bystander_a", culprit, "bystander_b"]
    jobs = {s: Job(tmp_path, tmp_path, tmp_path / "template.db", ASSIGNMENT, s, (NOTEBOOK,)) for s in students}
    monkeypatch.setattr(batch, "_publish_or_explain", lambda job, outcome, db_url: outcome)
    outcomes = batch._run_pool(jobs, 3, "sqlite://", Console(file=io.StringIO()), grade=_grade_or_die)
    by_student = {o.student: o for o in outcomes}
    assert sorted(by_student) == sorted(students)
    for bystander in ("bystander_a", "bystander_b"):
        assert by_student[bystander].success and by_student[bystander].problems == [], by_student[bystander]
    assert not by_student[culprit].success
    assert by_student[culprit].problems == [
        f"its grading process died {batch.ATTEMPTS} times (a crash, or memory ran out), so it was not recorded"
    ]
    starts = (tmp_path / "started").read_text().split()
    assert sorted(starts) == sorted(["bystander_a", "bystander_b"] + [culprit] * batch.ATTEMPTS)


# --- The submission folder: only its regular files within bounds are read, never a link followed ---------------

SECRET = "the-course-salt-is-0xC0FFEE"
NOTEBOOK = "normal_mle.ipynb"


@pytest.fixture
def deadline():
    """Fail (rather than hang the suite) if the test blocks, as opening a named pipe would."""

    def expired(signum, frame):
        raise TimeoutError("blocked: something opened a named pipe or read without bound")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(300)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _course(tmp_path, student="eve"):
    """A course folder with one submission folder holding a notebook and a data file, and a secret outside."""
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "salt.txt").write_text(SECRET)
    folder = tmp_path / "course" / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / NOTEBOOK).write_text(json.dumps(nbformat.v4.new_notebook()))
    (folder / "data.csv").write_text("x\n1.5\n")
    return tmp_path / "course", folder


def _hostile_entries(folder, secret):
    """Every kind of entry a learner can leave in a submission folder, but a regular file; what each is called."""
    os.symlink("/proc/self/mem", folder / "notes.txt")
    os.symlink(secret / "salt.txt", folder / "salt.txt")
    os.symlink(secret, folder / "outside")
    os.symlink(folder / "nowhere", folder / "dangling")
    os.symlink(folder / "loop_a", folder / "loop_b")
    os.symlink(folder / "loop_b", folder / "loop_a")
    os.mkfifo(folder / "pipe")
    server = unix_socket_at(folder / "socket")
    entries = {
        "notes.txt": "a link",
        "salt.txt": "a link",
        "outside": "a link",
        "dangling": "a link",
        "loop_a": "a link",
        "loop_b": "a link",
        "pipe": "a named pipe",
        "socket": "a socket",
    }
    if os.geteuid() == 0:
        os.mknod(folder / "zero", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero
        os.mknod(folder / "urandom", 0o600 | stat.S_IFCHR, os.makedev(1, 9))  # /dev/urandom
        os.mknod(folder / "loop0", 0o600 | stat.S_IFBLK, os.makedev(7, 0))
        entries |= {"zero": "a device", "urandom": "a device", "loop0": "a device"}
    with open(folder / "huge.bin", "wb") as sparse:
        sparse.truncate(10 * 1024**3)
    entries["huge.bin"] = "10.0 GiB, over the 50.0 MiB a file may be"
    (folder / "new\nline.txt").write_text("x")
    entries["new\\nline.txt"] = "a control character in its name"
    os.close(os.open(os.fsencode(folder) + b"/bad\xff.txt", os.O_CREAT | os.O_WRONLY))
    entries["bad\\xff.txt"] = "a name that is not UTF-8"
    (folder / ("x" * 250)).write_text("x")
    entries["x" * 79] = "a name longer than 200 characters"
    (folder / ".course-grade.json").write_text('{"fingerprint": "forged"}')
    entries[".course-grade.json"] = "a name the grader keeps for its own records"
    (folder / "scratch.ipynb").mkdir()
    entries["scratch.ipynb"] = "a folder named like a notebook"
    for name in ("*", "a?b", "[x].csv"):
        (folder / name).write_text("x")
        entries[name] = "a *, ? or [ in its name"
    return entries, server


def test_only_regular_files_are_read_and_everything_else_is_named(tmp_path, deadline):
    course, folder = _course(tmp_path)
    entries, server = _hostile_entries(folder, tmp_path / "secret")
    (folder / "-rf").write_text("a leading dash is just a name")
    (folder / "sub" / "inner").mkdir(parents=True)
    (folder / "sub" / "inner" / "kept.txt").write_text("kept")
    unreadable = folder / "mode000.txt"
    unreadable.write_text("root reads it anyway")
    unreadable.chmod(0)
    staged = tmp_path / "staged"
    submission = read_submission(course, "eve", ASSIGNMENT, (NOTEBOOK,), Bounds(notes=50), copy_to=staged)
    server.close()
    kept = [NOTEBOOK, "-rf", "data.csv", "sub/inner/kept.txt"] + (["mode000.txt"] if os.geteuid() == 0 else [])
    assert sorted(submission.files) == sorted(kept)
    assert submission.files[0] == NOTEBOOK
    notes = "\n".join(submission.notes)
    for name, what in entries.items():
        assert f"{name}" in notes and what in notes, (name, what, notes)
    capped = read_submission(course, "eve", ASSIGNMENT, (NOTEBOOK,)).notes
    assert len(capped) == 13 and capped[-1] == f"and {len(submission.notes) - 12} more entries were ignored"
    copies = sorted(str(p.relative_to(staged)) for p in staged.rglob("*") if not p.is_dir())
    assert copies == sorted(kept)
    assert all(not p.is_symlink() for p in staged.rglob("*"))
    assert not any(SECRET in p.read_text() for p in staged.rglob("*") if p.is_file())
    assert fingerprint(course, "eve", ASSIGNMENT, (NOTEBOOK,)) == submission.fingerprint


def test_is_done_never_raises_whatever_the_folder_holds(tmp_path, deadline):
    """Breach 4: a link to /proc/self/mem made the main process raise and stopped the batch."""
    course, folder = _course(tmp_path)
    _hostile_entries(folder, tmp_path / "secret")[1].close()
    marker = course / "autograded" / "eve" / ASSIGNMENT / MARKER
    marker.parent.mkdir(parents=True)
    marker.write_text(json.dumps({"fingerprint": fingerprint(course, "eve", ASSIGNMENT, (NOTEBOOK,))}))
    assert is_done(course, ASSIGNMENT, "eve", (NOTEBOOK,))
    (folder / "data.csv").write_text("x\n2.5\n")
    assert not is_done(course, ASSIGNMENT, "eve", (NOTEBOOK,))
    (course / "autograded" / "eve" / ASSIGNMENT / MARKER).write_text("not json")
    assert not is_done(course, ASSIGNMENT, "eve", (NOTEBOOK,))


def test_a_linked_student_or_assignment_folder_is_not_followed(tmp_path, deadline):
    course, ada = _course(tmp_path, "ada")
    (course / "submitted" / "mallory").symlink_to(course / "submitted" / "ada")
    (course / "submitted" / "trent").mkdir()
    (course / "submitted" / "trent" / ASSIGNMENT).symlink_to(ada)
    (course / "submitted" / "oscar").mkdir()
    (course / "submitted" / "oscar" / ASSIGNMENT).symlink_to(tmp_path / "secret")
    for student, where in [
        ("mallory", "submitted/mallory"),
        ("trent", f"submitted/trent/{ASSIGNMENT}"),
        ("oscar", f"submitted/oscar/{ASSIGNMENT}"),
    ]:
        submission = read_submission(course, student, ASSIGNMENT, (NOTEBOOK,), copy_to=tmp_path / student)
        assert submission.files == []
        assert submission.notes == [f"{where} is a link, not a folder: not followed, so nothing of it was graded"]
        assert list((tmp_path / student).iterdir()) == []


def test_a_tree_too_deep_or_too_big_is_read_as_far_as_the_bounds(tmp_path, deadline):
    course, folder = _course(tmp_path)
    # Deeper than a path may be long (a path of "deep/" repeated): only relative opens can reach the bottom.
    deep_tree(folder, os.pathconf(folder, "PC_PATH_MAX") // len("deep/") + 1)
    try:
        (folder / "many").mkdir()
        for n in range(21_000):  # past the 20 000 entries that are looked at
            os.close(os.open(folder / "many" / f"{n:06d}", os.O_CREAT | os.O_WRONLY))
        started = time.monotonic()
        submission = read_submission(course, "eve", ASSIGNMENT, (NOTEBOOK,), copy_to=tmp_path / "staged")
        assert time.monotonic() - started < 30  # a few hundred milliseconds on an idle machine
    finally:
        remove_deep_tree(folder)
    assert submission.files[:2] == [NOTEBOOK, "data.csv"]
    assert len(submission.files) == 500
    notes = " ".join(submission.notes)
    assert "nested deeper than 8 folders" in notes
    assert "more than 500 files" in notes and "more than 20000 entries" in notes


def test_sizes_are_bounded_per_file_and_in_all_and_the_notebook_comes_first(tmp_path):
    course, folder = _course(tmp_path)
    for name in ("a.bin", "b.bin", "c.bin"):
        (folder / name).write_bytes(b"x" * 900)
    small = Bounds(file_bytes=1000, total_bytes=2200)
    submission = read_submission(course, "eve", ASSIGNMENT, (NOTEBOOK,), small)
    assert submission.files[0] == NOTEBOOK
    assert "c.bin would take the folder over 2.1 KiB: ignored" in submission.notes
    big = Bounds(file_bytes=100)
    (folder / NOTEBOOK).write_bytes(b" " * 101)
    notes = read_submission(course, "eve", ASSIGNMENT, (NOTEBOOK,), big).notes
    assert f"{NOTEBOOK} is 101 bytes, over the 100 bytes a file may be: ignored, so it was graded as missing" in notes


class _RacingOs:
    """The os module, with a learner who swaps files between the grader's look and its read, or grows them."""

    def __init__(self, secret):
        self.secret = secret
        self.growing = None

    def __getattr__(self, name):
        return getattr(os, name)

    def stat(self, name, *, dir_fd=None, follow_symlinks=True):
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=follow_symlinks)
        if name in ("to_pipe.txt", "to_link.txt", "to_link_folder"):
            if name == "to_link_folder":
                os.rmdir(name, dir_fd=dir_fd)
            else:
                os.unlink(name, dir_fd=dir_fd)
            if name == "to_pipe.txt":
                os.mkfifo(name, dir_fd=dir_fd)
            else:
                os.symlink(self.secret, name, dir_fd=dir_fd)
        if name == "growing.txt":
            self.growing = os.open(name, os.O_WRONLY | os.O_APPEND, dir_fd=dir_fd)
        return info

    def read(self, descriptor, count):
        chunk = os.read(descriptor, count)
        if self.growing is not None:
            os.write(self.growing, b"y" * 600)
        return chunk


def test_files_swapped_or_growing_while_read_are_left_out(tmp_path, monkeypatch, deadline):
    course, folder = _course(tmp_path)
    for name in ("to_pipe.txt", "to_link.txt", "growing.txt"):
        (folder / name).write_text("x" * 100)
    (folder / "to_link_folder").mkdir()
    monkeypatch.setattr(folders, "os", _RacingOs(tmp_path / "secret" / "salt.txt"))
    staged = tmp_path / "staged"
    submission = read_submission(course, "eve", ASSIGNMENT, (NOTEBOOK,), Bounds(file_bytes=1000), copy_to=staged)
    assert sorted(submission.files) == ["data.csv", NOTEBOOK]
    notes = "\n".join(submission.notes)
    assert "to_pipe.txt changed into something other than a file: ignored" in notes
    assert "to_link.txt could not be read (Too many levels of symbolic links): ignored" in notes
    assert "to_link_folder could not be opened" in notes
    assert "growing.txt grew past 1000 bytes while it was read: ignored" in notes
    assert sorted(p.name for p in staged.iterdir()) == ["data.csv", NOTEBOOK]


def test_only_a_bounded_regular_notebook_is_parsed(tmp_path, deadline):
    good = tmp_path / "good.ipynb"
    good.write_text(json.dumps(nbformat.v4.new_notebook()))
    assert _readable_notebook(good) is None
    with open(tmp_path / "huge.ipynb", "wb") as sparse:
        sparse.truncate(2 * 1024**3)
    (tmp_path / "nested.ipynb").write_text('{"cells": ' + "[" * 1_000_000 + "]" * 1_000_000 + "}")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["deep"] = json.loads("[" * 500 + "]" * 500)
    (tmp_path / "deep_metadata.ipynb").write_text(json.dumps(notebook))
    (tmp_path / "many_cells.ipynb").write_text('{"nbformat": 4, "cells": [' + ",".join(["{}"] * 20_001) + "]}")
    (tmp_path / "many_values.ipynb").write_text('{"nbformat": 4, "cells": [], "x": [' + "0," * 1_000_000 + "0]}")
    (tmp_path / "a_list.ipynb").write_text("[{}, {}]")
    (tmp_path / "latin1.ipynb").write_bytes(b'{"cells": "\xff"}')
    (tmp_path / "not_json.ipynb").write_text('{"cells": [}')
    os.mkfifo(tmp_path / "pipe.ipynb")
    (tmp_path / "link.ipynb").symlink_to(good)
    (tmp_path / "folder.ipynb").mkdir()
    expected = {
        "huge.ipynb": "it is 2.0 GiB, over the 50.0 MiB a file may be",
        "nested.ipynb": "its JSON is nested more than 100 levels deep",
        "deep_metadata.ipynb": "its JSON is nested more than 100 levels deep",
        "many_cells.ipynb": "its JSON holds more than 20,000 objects",
        "many_values.ipynb": "its JSON holds more than 1,000,000 values",
        "a_list.ipynb": "its JSON is not an object",
        "latin1.ipynb": "the notebook is not UTF-8 text",
        "not_json.ipynb": "the notebook is not valid JSON",
        "pipe.ipynb": "it is not a regular file",
        "link.ipynb": "Too many levels of symbolic links",
        "folder.ipynb": "it is not a regular file",
    }
    for name, why in expected.items():
        problem = _readable_notebook(tmp_path / name)
        assert problem is not None and why in problem and "so it was graded as missing" in problem, (name, problem)


def test_a_notebook_that_breaks_the_schema_but_can_be_repaired_is_read(tmp_path):
    """course grade had graded it as missing, where stock autograde repairs it (autograder/restore.py)."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_markdown_cell("*")])
    data = json.loads(nbformat.writes(notebook))
    del data["cells"][0]["metadata"]
    data["cells"][0]["execution_count"] = "one"
    data["cells"][1]["cell_type"] = "heading"
    data["extra"] = {"not": "in the schema"}
    with pytest.raises(nbformat.ValidationError):
        nbformat.validate(data)
    (tmp_path / "repairable.ipynb").write_text(json.dumps(data))
    assert _readable_notebook(tmp_path / "repairable.ipynb") is None
    old = nbformat.v3.new_notebook(worksheets=[nbformat.v3.new_worksheet(cells=[nbformat.v3.new_code_cell("x = 1")])])
    (tmp_path / "old.ipynb").write_text(nbformat.writes(old, version=3))  # upgraded, as by stock
    assert _readable_notebook(tmp_path / "old.ipynb") is None


def test_only_the_assignment_s_notebooks_are_parsed_and_no_student_id_names_a_grader_s_file(tmp_path):
    """A student named template.db could not be staged ("Not a directory"); another notebook is a file to copy."""
    for student in ("eve", "template.db", "submissions"):
        (tmp_path / student).mkdir()
        course, folder = _course(tmp_path / student, student)
        (folder / "scratch.ipynb").write_text("[" + ",".join(["{}"] * 100_000) + "]")  # not a notebook, not graded
        staging = course / ".grading" / ASSIGNMENT
        staging.mkdir(parents=True)
        (staging / batch.TEMPLATE).write_bytes(b"the template gradebook")
        job = Job(course, staging, staging / batch.TEMPLATE, ASSIGNMENT, student, (NOTEBOOK,), config=Config())
        stage, problems, _ = _stage(job)
        assert problems == []
        assert sorted(p.name for p in (stage / "submitted" / student / ASSIGNMENT).iterdir()) == sorted(
            ["data.csv", NOTEBOOK, "scratch.ipynb"]
        )
        assert (staging / batch.TEMPLATE).read_bytes() == b"the template gradebook"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("ada", True),
        ("ada.lovelace@uni.edu", True),
        ("a+b-c_d", True),
        ("007", True),
        ("x" * 100, True),
        ("x" * 101, False),
        ("", False),
        (".hidden", False),
        ("-rf", False),
        ("ada\n", False),
        ("a b", False),
        ('<img src=x onerror="document.title=`XSS-`+document.domain">', False),
        ("évé", False),
        ("evil\x1b]0;OWNED\x07", False),
        ("bad\udcff", False),
    ],
)
def test_only_safe_names_are_graded_as_student_ids(name, safe):
    assert safe_name(name) is safe
    if not safe:
        with pytest.raises(ValueError):
            Job(Path("."), Path("."), Path("template.db"), ASSIGNMENT, name, (NOTEBOOK,))


def _json_values(value):
    """A value's openings and commas, objects and nesting, counted on the parsed value."""
    if not isinstance(value, dict | list):
        return 0, 0, 0
    children = list(value.values() if isinstance(value, dict) else value)
    counts = [_json_values(child) for child in children]
    values = 1 + max(len(children) - 1, 0) + sum(c[0] for c in counts)
    objects = isinstance(value, dict) + sum(c[1] for c in counts)
    return values, objects, 1 + max((c[2] for c in counts), default=0)


_TRICKY_TEXT = st.text(alphabet='"\\[]{},: ab\n\u00e9\U0001d535', max_size=8)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _TRICKY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TRICKY_TEXT, inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(value=_JSON, chunk=st.sampled_from([1, 2, 3, 7, 1 << 18]), indent=st.sampled_from([None, 1]))
def test_json_is_counted_outside_its_strings_in_any_chunks(value, chunk, indent):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(folders, "_SCAN_CHUNK", chunk)
        shape = json_shape(json.dumps(value, indent=indent, ensure_ascii=False).encode())
    assert (shape.values, shape.objects, shape.depth) == _json_values(value)


# The worst notebooks at the size cap: what reading one may cost the worker (outside every sandbox) is stated,
# and measured well below. Before the bounds, the red team's 50 MiB of [{},{},...] took 2.5 GiB and 38 s.
CAP = folders.DEFAULT_BOUNDS.file_bytes
PARSE_MEMORY = 1024 * folders.MIB  # growth of the worker's peak memory
PARSE_CPU = 10.0  # seconds


def _at_the_cap(head, tail):
    """``head`` + a string + ``tail``, CAP bytes in all; one character beyond the BMP makes the text 4 bytes a char."""
    wide = '"\U0001d535'.encode()
    return head + wide + b"a" * (CAP - len(head) - len(wide) - 1 - len(tail)) + b'"' + tail


def _v4_within_bounds():
    """As many objects (cells) and values (lists) as the bounds allow, and a string up to the cap."""
    cells, lists = b",".join([b"{}"] * 19_990), b",".join([b"[]"] * 475_000)
    head = b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [' + cells + b'], "x": [' + lists
    return _at_the_cap(head + b'], "pad": ', b"}")


def _v3_within_bounds():
    """An nbformat 3 notebook (nbformat parses, upgrades and validates it) with as many cells as the bounds allow."""
    cell = b'{"cell_type": "code", "input": "", "outputs": [], "language": "python", "metadata": {}}'
    cells, lists = b",".join([cell] * 9_990), b",".join([b"[]"] * 375_000)
    head = b'{"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": ""}, "worksheets": [{"cells": [' + cells
    return _at_the_cap(head + b'], "metadata": {}}], "x": [' + lists + b'], "pad": ', b"}")


ESCAPES = b'\\"\\\\' * (CAP // 5)  # \" and \\ : a string of escaped quotes and backslashes
#: Those within the bounds, so parsed: the costliest notebooks a worker reads.
PARSED = {"escapes", "v3_within_bounds", "v4_within_bounds"}
WORST_NOTEBOOKS = {
    "objects": lambda: b"[" + b"{}," * ((CAP - 2) // 3 - 1) + b"{}]",  # the red team's
    "nested": lambda: b"[" * (CAP // 2) + b"]" * (CAP // 2),
    "escapes": lambda: _at_the_cap(b'{"nbformat": 4, "cells": [], "x": "' + ESCAPES + b'", "pad": ', b"}"),
    "v4_within_bounds": _v4_within_bounds,
    "v3_within_bounds": _v3_within_bounds,
}
_MEASURE = """
import json, resource, sys
from pathlib import Path
from autograder.batch import _readable_notebook
before = resource.getrusage(resource.RUSAGE_SELF)
problem = _readable_notebook(Path(sys.argv[1]))
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
print(json.dumps({"problem": problem, "growth": (after.ru_maxrss - before.ru_maxrss) * 1024, "cpu": cpu}))
"""


@pytest.mark.parametrize("worst", sorted(WORST_NOTEBOOKS))
def test_reading_the_worst_notebook_at_the_cap_costs_bounded_memory_and_time(tmp_path, worst):
    path = tmp_path / NOTEBOOK
    path.write_bytes(WORST_NOTEBOOKS[worst]())
    assert CAP - 10 <= path.stat().st_size <= CAP
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    measured = json.loads(done.stdout.splitlines()[-1])
    assert measured["growth"] < PARSE_MEMORY and measured["cpu"] < PARSE_CPU, measured
    assert (measured["problem"] is None) == (worst in PARSED), measured


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        (b"2024-03-01 12:00:00.123456 UTC", True),  # as nbgrader writes it
        (b"2024-03-01 12:00:00 Europe/Paris", True),
        (b"2024-03-01 12:00:00 ../../../proc/self/mem", False),  # dateutil would open it as a time zone file
        (b"yesterday", False),
        (b"\xff\xfe", False),  # nbgrader would fail the submission on a UnicodeDecodeError
    ],
)
def test_a_timestamp_nbgrader_cannot_read_is_noticed(tmp_path, text, valid):
    (tmp_path / "timestamp.txt").write_bytes(text)
    assert _valid_timestamp(tmp_path / "timestamp.txt") is valid


def _controls(text):
    """The C0 and C1 control characters in ``text``, but newlines."""
    return [c for c in text if c != "\n" and (ord(c) < 32 or 127 <= ord(c) <= 159)]


def test_names_markup_and_escape_sequences_in_the_summary_are_printed_as_plain_text():
    printed = io.StringIO()
    outcome = Outcome("eve", True, 1.0, [f"{shown('[bold red]x' + chr(10) + 'y')} is a link: ignored"])
    hostile = Outcome("evil\x1b]0;OWNED\x07\x1b[1A\x1b[2K", False, 1.0, ["[/] \x1b[2J\x9b31m an error\x07"])
    _summarise(ASSIGNMENT, [outcome, hostile], Console(file=printed, width=200))
    assert "[bold red]x\\ny is a link: ignored" in printed.getvalue()
    assert "not recorded: [/]" in printed.getvalue() and "an error" in printed.getvalue()
    assert _controls(printed.getvalue()) == []


# --- Publishing on a full disk: all or nothing per submission, and the batch goes on ---------------------------

PAGE = 4096


def _skip_or_fail(reason):
    """Skip where the machine cannot run the test; in CI, where it must, fail."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


class _SmallDisk:
    """A small tmpfs, and a file that fills it to the last page (or leaves a few pages free)."""

    def __init__(self, path):
        self.path = path
        self.filler = path / ".filler"

    def fill(self, leave_pages=0):
        descriptor = os.open(self.filler, os.O_CREAT | os.O_WRONLY)
        try:
            free = os.statvfs(self.path).f_bavail * PAGE
            if free:
                os.posix_fallocate(descriptor, os.fstat(descriptor).st_size, free)
            while True:
                try:
                    os.posix_fallocate(descriptor, os.fstat(descriptor).st_size, PAGE)
                except OSError:
                    break
            assert os.statvfs(self.path).f_bavail == 0
            os.ftruncate(descriptor, os.fstat(descriptor).st_size - leave_pages * PAGE)
        finally:
            os.close(descriptor)

    def free(self):
        self.filler.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def small_disk(tmp_path_factory):
    where = tmp_path_factory.mktemp("small_disk")
    if os.geteuid() != 0:
        _skip_or_fail("mounting a small tmpfs to fill needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(where)], capture_output=True)
    if mounted.returncode != 0:
        _skip_or_fail(f"could not mount a tmpfs: {mounted.stderr.decode().strip()}")
    yield _SmallDisk(where)
    subprocess.run(["umount", "--lazy", str(where)], check=False)


def _intact(db):
    with sqlite3.connect(db) as connection:
        return connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def _grades_of(db, student):
    with sqlite3.connect(db) as connection:
        return sorted(
            connection.execute(
                "SELECT grade.id, grade.auto_score, grade.manual_score FROM grade "
                "JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
                "JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id "
                "WHERE submitted_assignment.student_id = ?",
                (student,),
            ).fetchall()
        )


def _leftovers(course, student):
    """Half-moved folders the grader left beside a student's autograded or feedback folder."""
    return sorted(p.name for top in ("autograded", "feedback") for p in (course / top / student).glob(".*"))


@contextmanager
def _bind_mount(source, target):
    """``source`` (another filesystem) mounted at ``target`` while the block runs."""
    source.mkdir(parents=True, exist_ok=True)
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "--bind", str(source), str(target)], check=True)
    try:
        yield
    finally:
        subprocess.run(["umount", "--lazy", str(target)], check=False)


@pytest.mark.slow
@pytest.mark.parametrize("staging", ["on the same disk", "on another disk"])
def test_publishing_is_all_or_nothing_whatever_page_the_disk_fills_at(small_disk, tmp_path, monkeypatch, staging):
    """On one disk, folders are renamed into place; from another, copied first (a copy can stop half way)."""
    course = build_course(small_disk.path / staging.replace(" ", "_"), honest=["ada_correct"])
    with ExitStack() as stack:
        if staging == "on another disk":
            stack.enter_context(_bind_mount(tmp_path / "grading", course / ".grading"))
        _publish_on_every_page(small_disk, course, tmp_path, monkeypatch)


def _publish_on_every_page(small_disk, course, tmp_path, monkeypatch):
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    staging = course / ".grading" / ASSIGNMENT
    staging.mkdir(parents=True)
    snapshot_gradebook(db_url, staging / "template.db")
    job = Job(course, staging, staging / "template.db", ASSIGNMENT, "ada_correct", (NOTEBOOK,))
    graded = grade_one(job)
    assert graded.success, graded.problems
    pristine = tmp_path / "graded"
    shutil.copytree(job.stage, pristine, symlinks=True)
    # Published once, then marked so that what a failed publish must keep is recognisable.
    assert _publish_or_explain(job, graded, db_url).success
    with Gradebook(db_url) as gradebook:
        gradebook.find_grade("normal_mle", "normal_mle", ASSIGNMENT, "ada_correct").auto_score = 0.25
        gradebook.db.commit()
    published = {top: course / top / "ada_correct" / ASSIGNMENT for top in ("autograded", "feedback")}
    for folder in published.values():
        (folder / "old.txt").write_text("the previous grading")
    (published["autograded"] / MARKER).write_text(json.dumps({"fingerprint": "previous"}))
    before = _grades_of(course / "gradebook.db", "ada_correct")
    swapped = []  # folders swapped into place during the attempt

    def spied_move(source, target):
        undo = move_into_place(source, target)
        swapped.append(target)
        return undo

    monkeypatch.setattr(batch, "_move_into_place", spied_move)
    failures, failed_after_swapping = [], 0
    for pages in range(200):
        swapped.clear()
        shutil.rmtree(job.stage, ignore_errors=True)
        shutil.copytree(pristine, job.stage, symlinks=True)
        small_disk.fill(leave_pages=pages)
        try:
            outcome = _publish_or_explain(job, Outcome(**{**graded.__dict__, "problems": []}), db_url)
        finally:
            small_disk.free()
        assert _intact(course / "gradebook.db")
        assert _leftovers(course, "ada_correct") == []
        if outcome.success:
            break
        failures.append(outcome.problems[-1])
        failed_after_swapping += len(swapped) == 2
        assert "free space on the disk, then run `course grade 01_normal_mle` again" in outcome.problems[-1]
        assert _grades_of(course / "gradebook.db", "ada_correct") == before, pages
        assert all((folder / "old.txt").exists() for folder in published.values()), pages
        assert json.loads((published["autograded"] / MARKER).read_text()) == {"fingerprint": "previous"}
        assert not (published["autograded"] / PENDING_MARKER).exists()
    assert outcome.success, failures
    assert any("OperationalError: database or disk is full" in f for f in failures), failures
    assert failed_after_swapping, failures  # the commit failed once both folders were in place: they went back
    assert any("No space left on device" in f for f in failures), failures
    assert json.loads((published["autograded"] / MARKER).read_text())["fingerprint"] == graded.fingerprint
    assert not any((folder / "old.txt").exists() for folder in published.values())
    assert _marks_of(course)["ada_correct"] == HONEST["ada_correct"]


def _marks_of(course):
    table = marks(f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT)
    return {student: tuple(row[f].score for f in FUNCTIONS[ASSIGNMENT]) for student, row in table.items()}


@pytest.mark.slow
def test_a_batch_survives_a_full_disk_and_a_rerun_publishes_the_rest(small_disk, tmp_path, monkeypatch):
    course = build_course(small_disk.path / "batch", honest=list(HONEST))
    quiet = Console(file=io.StringIO(), width=200)
    # Full before the batch: the gradebook cannot even be copied for grading.
    small_disk.fill()
    try:
        outcomes = grade_class(course, ASSIGNMENT, quiet, workers=2)
    finally:
        small_disk.free()
    assert [o.success for o in outcomes] == [False] * len(HONEST)
    assert all("free space on the disk" in o.problems[-1] for o in outcomes)
    # Full while the second submission is published (the workers stage on another disk, which has room).
    published = []

    def publish_on_a_full_disk(job, outcome, db_url, *graded):
        published.append(job.student)
        if len(published) != 2:
            return publish(job, outcome, db_url, *graded)
        small_disk.fill()
        try:
            return publish(job, outcome, db_url, *graded)
        finally:
            small_disk.free()  # space comes back for the next one

    monkeypatch.setattr(batch, "publish", publish_on_a_full_disk)
    with _bind_mount(tmp_path / "grading", course / ".grading"):
        printed = io.StringIO()
        outcomes = {o.student: o for o in grade_class(course, ASSIGNMENT, Console(file=printed, width=300))}
        unlucky = published[1]
        assert [s for s, o in outcomes.items() if not o.success] == [unlucky]
        assert "publishing failed" in outcomes[unlucky].problems[-1]
        assert "free space on the disk, then run `course grade 01_normal_mle` again" in printed.getvalue()
        assert _intact(course / "gradebook.db")
        assert _marks_of(course) == {s: HONEST[s] for s in HONEST if s != unlucky}
        assert not (course / "autograded" / unlucky).exists() or not any((course / "autograded" / unlucky).iterdir())
        assert not (course / "feedback" / unlucky / ASSIGNMENT).exists()
        assert all(_leftovers(course, s) == [] for s in HONEST)
        monkeypatch.setattr(batch, "publish", publish)
        printed = io.StringIO()
        again = grade_class(course, ASSIGNMENT, Console(file=printed, width=300))
    assert f"1 of {len(HONEST)} submissions to grade" in printed.getvalue()
    assert [(o.student, o.success) for o in again] == [(unlucky, True)]
    assert _intact(course / "gradebook.db")
    assert _marks_of(course) == HONEST
    assert all((course / "autograded" / s / ASSIGNMENT / MARKER).exists() for s in HONEST)


def test_staging_on_a_full_disk_fails_that_submission_with_what_to_do(small_disk, tmp_path):
    (small_disk.path / "staging").mkdir()
    course, _ = _course(small_disk.path / "staging")
    staging = course / ".grading" / ASSIGNMENT
    staging.mkdir(parents=True)
    (staging / "template.db").write_bytes(b"")
    small_disk.fill()
    try:
        outcome = grade_one(Job(course, staging, staging / "template.db", ASSIGNMENT, "eve", (NOTEBOOK,)))
    finally:
        small_disk.free()
    assert not outcome.success
    assert outcome.problems[-1].startswith("it could not be staged for grading ([Errno 28] No space left on device")
    assert outcome.problems[-1].endswith("free space on the disk, then run `course grade 01_normal_mle` again")


@pytest.mark.skipif(os.geteuid() != 0, reason="drops to another user, which needs root")
def test_a_file_the_grader_may_not_read_is_named_not_raised():
    """Root reads a mode-000 file anyway; a grader running as an ordinary user notes it and goes on."""
    shared = Path(tempfile.mkdtemp(prefix="unreadable-", dir="/tmp"))  # pytest's own folder is root's alone
    try:
        shared.chmod(0o755)
        course, folder = _course(shared)
        for path in (course, course / "submitted", folder.parent, folder, folder / NOTEBOOK, folder / "data.csv"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        (folder / "locked.txt").write_text("mode 000")
        (folder / "locked.txt").chmod(0)
        (folder / "locked").mkdir(mode=0)
        submission = _as_nobody(lambda: read_submission(course, "eve", ASSIGNMENT, (NOTEBOOK,)).__dict__)
        assert sorted(submission["files"]) == ["data.csv", NOTEBOOK], submission
        assert "locked.txt could not be read (Permission denied): ignored" in submission["notes"]
        assert "locked could not be opened (Permission denied): ignored" in submission["notes"]
    finally:
        shutil.rmtree(shared)


def _as_nobody(work):
    """What ``work()`` returns (as JSON) when run by user nobody, in a forked child (this venv is root's alone)."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # the child: nobody, and it never returns
        try:
            os.setgid(65534)
            os.setuid(65534)
            os.write(write_end, json.dumps(work()).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        result = pipe.read()
    os.waitpid(child, 0)
    return json.loads(result)


# By suffix, and by what the machine's mimetypes makes of it (XHTML, XML types a browser renders).
PAGES = ["evil.html", "EVIL.HTM", "plot.svg", "sub/steal.js", "Report.XHTML", "feed.xml"]
PAGES += ["evil.xhtm", "evil.XPDL", "e.rdf"]


def _with_pages(folder):
    for page in PAGES:
        (folder / page).parent.mkdir(parents=True, exist_ok=True)
        (folder / page).write_text("<script>fetch('/formgrader/api/grade/1', {method: 'PUT'})</script>")
    (folder / "notes.txt").write_text("plain text is kept")


def test_web_pages_and_scripts_are_left_out_and_named(tmp_path):
    course, folder = _course(tmp_path)
    _with_pages(folder)
    submission = read_submission(course, "eve", ASSIGNMENT, (NOTEBOOK,), Bounds(notes=50))
    assert sorted(submission.files) == sorted([NOTEBOOK, "data.csv", "notes.txt"])
    for page in PAGES:
        assert any(page in note and "web page" in note for note in submission.notes), page


def test_stock_nbgrader_copies_no_web_page_into_autograded(tmp_path):
    """Stock autograde screens each folder (autograder.stock, from its exporter's constructor), then copies the
    submission's files with nbgrader's own find_all_files and the course's ignore list."""
    course, folder = _course(tmp_path)
    _with_pages(folder)
    (folder / ".hidden.html").write_text("<script></script>")  # no glob's * matches a leading dot
    assert screen_folder(course, "eve", ASSIGNMENT, (NOTEBOOK,))
    ignore = course_config(ROOT).CourseDirectory.ignore
    copied = sorted(str(Path(f).relative_to(folder)) for f in find_all_files(str(folder), [*ignore, "*.ipynb"]))
    assert copied == ["data.csv", "notes.txt"]


def test_folders_named_as_glob_patterns_are_left_out_so_nbgrader_lists_each_folder_a_few_times(tmp_path, monkeypatch):
    """nbgrader globs each file's folder path: folders named ``*``, ``**``, ``?*``... leading through folders named
    ``*`` made every file's check list the whole tree (R7: 92 s of CPU a pass for 200 of them). The stock screen
    (as course grade's reader) leaves them out, and what is left is read in a few listings per file."""
    course, folder = _course(tmp_path)
    for top in ["*", "**", "?*", "*?", "[a-z]*", *(f"*{n}" for n in range(25))]:
        chain = folder / top / "*" / "*" / "*"
        chain.mkdir(parents=True)
        (chain / "data.txt").write_text("x")
    notes = screen_folder(course, "eve", ASSIGNMENT, (NOTEBOOK,))
    assert "* has a *, ? or [ in its name, which nbgrader would read as a pattern: ignored" in " ".join(notes)
    listings = []
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".": listings.append(path) or real(path))
    files = find_all_files(str(folder), course_config(ROOT).CourseDirectory.ignore)
    assert sorted(Path(f).name for f in files) == ["data.csv", NOTEBOOK]
    assert len(listings) <= 6 * len(files)


def test_nbgrader_reads_a_folder_of_the_most_files_kept_in_few_listings(tmp_path, monkeypatch):
    """nbgrader's is_ignored lists a file's folder once per ignore glob: with the course's list, a folder of the
    most files a submission keeps is listed a few times per file (172 page globs made it 173: ~70 s of CPU)."""
    _, folder = _course(tmp_path)
    for n in range(Bounds().files - 2):
        (folder / f"{n:03d}.txt").write_text("x")
    listings = []
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path=".": listings.append(path) or real(path))
    files = find_all_files(str(folder), course_config(ROOT).CourseDirectory.ignore)
    assert len(files) == Bounds().files
    assert len(listings) <= 6 * len(files)
