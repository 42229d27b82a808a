"""``course grade --scheduler``: grading through a real Dask cluster on loopback, and what crosses the wire.

A scheduler and two workers run as their own processes (``tests/dask_cluster.py``).
A sample class graded through them earns the marks the same class earns on one
machine; a worker killed with SIGKILL mid-batch costs nothing, and each
submission is recorded once. What a worker returns is hostile data: archives
with links, absolute paths, ``..`` or too many bytes, and grades that are not
plain numbers, are refused before anything is written.
"""

import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from rich.console import Console
from traitlets.config import Config

from autograder import cluster
from autograder.batch import MARKER, Job, grade_class
from autograder.errors import SandboxMissing
from autograder.folders import fingerprint
from autograder.gradebook import marks
from autograder.nbgrader_commands import nbgrader_env
from autograder.transport import ArchiveLimits, HostileArchive, pack, unpack
from tests.attack_class import ASSIGNMENT, FUNCTIONS, build_course
from tests.dask_cluster import start_cluster
from tests.test_sample_class import expected_marks

#: A right answer and two different mistakes: marks that differ by learner and by function, in a batch longer
#: than the two workers (so one of them is killed with a task in hand while the other has work too).
LEARNERS = ["ada_correct", "dana_bessel", "eli_variance"]


def _db(course: Path) -> str:
    return f"sqlite:///{course / 'gradebook.db'}"


def _functions_marks(course: Path) -> dict[str, tuple[float, ...]]:
    table = marks(_db(course), ASSIGNMENT)
    return {student: tuple(row[f].score for f in FUNCTIONS) for student, row in table.items()}


def _cluster_grade(course: Path, address: str, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "autograder.cli", "grade", ASSIGNMENT, "--scheduler", address, *extra]
    return subprocess.Popen(
        command, cwd=course, env=nbgrader_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@pytest.fixture(scope="module")
def loopback(tmp_path_factory):
    """A scheduler and two one-thread workers on 127.0.0.1, on ports the system picked."""
    running = start_cluster(tmp_path_factory.mktemp("dask"), workers=2)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    """The same released class twice: one to grade through the cluster, one on this machine."""
    where = tmp_path_factory.mktemp("cluster-course")
    course = build_course(where, limits="", honest=LEARNERS)
    local = where / "local"
    shutil.copytree(course, local, symlinks=True)
    return course, local


@pytest.mark.slow
def test_a_class_graded_on_the_cluster_earns_the_marks_it_earns_on_one_machine(loopback, courses):
    course, local = courses
    graded = _cluster_grade(course, loopback.address)
    log, _ = graded.communicate(timeout=900)
    assert graded.returncode == 0, log + loopback.logs()
    grade_class(local, ASSIGNMENT, Console(file=io.StringIO()), workers=2)
    expected = expected_marks(ASSIGNMENT)
    assert _functions_marks(course) == {learner: expected[learner] for learner in LEARNERS}
    assert marks(_db(course), ASSIGNMENT) == marks(_db(local), ASSIGNMENT)
    for learner in LEARNERS:
        feedback = course / "feedback" / learner / ASSIGNMENT / "normal_mle.html"
        assert feedback.is_file()
        assert (course / "autograded" / learner / ASSIGNMENT / MARKER).is_file()
    assert not (course / ".grading" / ASSIGNMENT).exists()  # nothing staged is left behind


def _processing_on(address: str, worker_name: str) -> bool:
    """Whether the worker called ``worker_name`` is running a task now (asked of the scheduler)."""
    from distributed import Client

    with Client(address, timeout="20s", set_as_default=False) as client:
        workers = client.scheduler_info()["workers"]
        busy = client.processing()
        return any(info.get("name") == worker_name and busy.get(where) for where, info in workers.items())


@pytest.mark.slow
def test_a_worker_killed_mid_batch_costs_nothing(loopback, courses):
    course, _ = courses
    victim = loopback.workers[0]
    graded = _cluster_grade(course, loopback.address, "--force")
    deadline = time.monotonic() + 300
    while not _processing_on(loopback.address, "worker-0"):
        assert graded.poll() is None and time.monotonic() < deadline, "worker-0 never got a task"
        time.sleep(0.5)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    log, _ = graded.communicate(timeout=900)
    assert graded.returncode == 0, log + loopback.logs()
    expected = expected_marks(ASSIGNMENT)
    assert _functions_marks(course) == {learner: expected[learner] for learner in LEARNERS}
    with Gradebook(_db(course)) as gradebook:
        submissions = gradebook.find_assignment(ASSIGNMENT).submissions
        assert sorted(s.student_id for s in submissions) == sorted(LEARNERS)  # each recorded once
        for submission in submissions:
            for notebook in submission.notebooks:
                names = [grade.name for grade in notebook.grades]
                assert len(names) == len(set(names))


def _published(course: Path) -> list[str]:
    return sorted(p.parent.parent.name for p in (course / "autograded").glob(f"*/{ASSIGNMENT}/{MARKER}"))


@pytest.mark.slow
def test_a_lost_scheduler_leaves_a_batch_that_the_next_run_finishes(loopback, tmp_path_factory):
    """The scheduler killed with SIGKILL once the first submission is published: ``course grade`` stops with what to
    do and no traceback, what was published stays, and a run against another scheduler grades only the rest."""
    where = tmp_path_factory.mktemp("lost-scheduler")
    learners = ["ada_correct", "dana_bessel"]  # one worker of one thread: the second is still out when the first lands
    course = build_course(where, limits="", honest=learners)
    doomed = start_cluster(where / "dask", workers=1)
    try:
        graded = _cluster_grade(course, doomed.address)
        deadline = time.monotonic() + 300
        while not _published(course):
            assert graded.poll() is None and time.monotonic() < deadline, graded.communicate()[0] + doomed.logs()
            time.sleep(0.2)
        os.killpg(doomed.scheduler.pid, signal.SIGKILL)
        log, _ = graded.communicate(timeout=300)
    finally:
        doomed.stop()
    before = _published(course)
    assert graded.returncode == 1, log
    assert "Traceback" not in log
    assert len(before) == 1 and cluster.LOST in " ".join(log.replace("│", " ").split())  # table cells may wrap
    again = _cluster_grade(course, loopback.address)
    log, _ = again.communicate(timeout=600)
    assert again.returncode == 0, log + loopback.logs()
    assert f"1 of {len(learners)} submissions to grade" in log
    expected = expected_marks(ASSIGNMENT)
    assert _functions_marks(course) == {learner: expected[learner] for learner in learners}
    with Gradebook(_db(course)) as gradebook:
        submissions = gradebook.find_assignment(ASSIGNMENT).submissions
        assert sorted(s.student_id for s in submissions) == learners  # each recorded once


# What crosses the wire: checked before anything is written.


def _tar(*members: tuple[tarfile.TarInfo, bytes | None]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def _file(name: str, data: bytes = b"x") -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), data


def _special(name: str, kind: bytes, target: str = "") -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info, None


@pytest.mark.parametrize(
    ("members", "why"),
    [
        ([_file("/etc/evil")], "not a plain relative path"),
        ([_file("feedback/../../evil")], "not a plain relative path"),
        ([_file("gradebook.db")], "outside"),
        ([_special("feedback/link", tarfile.SYMTYPE, "/etc/passwd")], "not a plain file"),
        ([_special("feedback/hard", tarfile.LNKTYPE, "feedback/a")], "not a plain file"),
        ([_special("feedback/pipe", tarfile.FIFOTYPE)], "not a plain file"),
        ([_file("feedback/a"), _file("feedback/a")], "twice"),
        ([_file(f"feedback/{n}") for n in range(6)], "more than 5 members"),
        ([_file("feedback/big", b"x" * 200)], "over 100 bytes"),
        ([_file("feedback/" + "d/" * 20 + "f")], "deeper"),
    ],
)
def test_a_returned_archive_that_breaks_a_rule_is_refused_before_anything_is_written(tmp_path, members, why):
    limits = ArchiveLimits(members=5, file_bytes=100, total_bytes=150, depth=16)
    with pytest.raises(HostileArchive, match=why):
        unpack(_tar(*members), tmp_path, ["autograded", "feedback"], limits)
    assert list(tmp_path.iterdir()) == []


def test_an_archive_is_never_written_through_a_link_in_the_target(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    into = tmp_path / "into"
    into.mkdir()
    (into / "feedback").symlink_to(outside)
    with pytest.raises(HostileArchive, match="in the way"):
        unpack(_tar(_file("feedback/a")), into, ["feedback"])
    assert list(outside.iterdir()) == []


def test_pack_keeps_files_and_folders_and_leaves_links_out(tmp_path):
    source = tmp_path / "source"
    (source / "feedback" / "inner").mkdir(parents=True)
    (source / "feedback" / "inner" / "a.html").write_text("<p>a</p>")
    (source / "feedback" / "secret").symlink_to("/etc/passwd")
    (source / "feedback" / "linked").symlink_to(source / "feedback" / "inner")
    target = tmp_path / "target"
    target.mkdir()
    assert unpack(pack(source, ["feedback", "absent"]), target, ["feedback"]) == ["feedback/inner/a.html"]
    assert (target / "feedback" / "inner" / "a.html").read_text() == "<p>a</p>"
    assert sorted(p.name for p in (target / "feedback").iterdir()) == ["inner"]


GOOD_GRADES = {
    "timestamp": "2026-01-02T03:04:05",
    "notebooks": [
        {
            "name": "normal_mle",
            "late_submission_penalty": None,
            "grades": [{"name": "normal_mle", "auto_score": 2.0, "needs_manual_grade": False}],
            "comments": [{"name": "normal_mle", "auto_comment": None}],
        }
    ],
}


def test_returned_grades_are_read_into_what_publishing_copies():
    graded = cluster.read_grades(GOOD_GRADES).find_submission(ASSIGNMENT, "ada")
    (notebook,) = graded.notebooks
    assert (notebook.grades[0].name, notebook.grades[0].auto_score, notebook.grades[0].needs_manual_grade) == (
        "normal_mle",
        2.0,
        False,
    )
    assert graded.timestamp.year == 2026


@pytest.mark.parametrize("score", [float("nan"), float("inf"), True, "3", [3], {"points": 3}])
def test_returned_grades_that_are_not_finite_numbers_are_refused(score):
    bad = {**GOOD_GRADES, "notebooks": [{**GOOD_GRADES["notebooks"][0]}]}
    bad["notebooks"][0]["grades"] = [{"name": "normal_mle", "auto_score": score, "needs_manual_grade": False}]
    with pytest.raises(HostileArchive, match="finite number"):
        cluster.read_grades(bad)


@pytest.mark.parametrize("shape", [None, [], {"notebooks": "x"}, {"notebooks": [[]]}, {"notebooks": [{"grades": 1}]}])
def test_returned_grades_of_another_shape_are_refused(shape):
    with pytest.raises(HostileArchive):
        cluster.read_grades(shape)


def test_a_worker_without_bubblewrap_refuses_naming_itself(monkeypatch):
    from traitlets.config import Config

    monkeypatch.setattr(cluster, "bubblewrap", lambda: None)
    with pytest.raises(SandboxMissing, match=r"grading machine .* has no working bubblewrap"):
        cluster._require_sandbox(Config())
    allowed = Config()
    allowed.HardenedExecute.require_sandbox = False
    cluster._require_sandbox(allowed)  # the course chose to grade unprotected


def test_settings_reach_workers_as_the_same_plain_values_without_the_gradebook_url():
    from traitlets.config import Config

    config = Config()
    config.Execute.timeout = 8
    config.CourseDirectory.ignore = ["*.pyc", ".DS_Store"]
    config.HTMLExporter.filters = {"clean_html": "autograder.sanitize.clean_html"}
    config.CourseDirectory.db_url = "postgresql://grader:secret@db/course"
    text = cluster.plain_config(config)
    assert "secret" not in text
    namespace = {"get_config": lambda: Config()}
    exec(text, namespace)
    read = namespace["c"]
    assert read.Execute.timeout == 8 and read.CourseDirectory.ignore == ["*.pyc", ".DS_Store"]
    assert read.HTMLExporter.filters == {"clean_html": "autograder.sanitize.clean_html"}
    config.Execute.timeout = object()
    with pytest.raises(cluster.CourseError, match=r"c\.Execute\.timeout is not plain data"):
        cluster.plain_config(config)


@pytest.mark.slow
def test_a_scheduler_that_does_not_answer_stops_course_grade_with_what_to_do(courses, capsys, monkeypatch):
    """Dask's client keeps retrying a refused connection until the timeout: 2 s here shows it ends as 20 s would."""
    from autograder.cli import main

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "2s")
    course, _ = courses
    with socket.socket() as closed:  # bound but never listening: a connection is refused, whatever else runs
        closed.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{closed.getsockname()[1]}"
        code = main(["--root", str(course), "grade", ASSIGNMENT, "--force", "--scheduler", address])
    assert code == cluster.SchedulerUnreachable.exit_code == 3
    assert f"No Dask scheduler answered at {address}" in " ".join(capsys.readouterr().err.split())


def _job(root: Path) -> Job:
    return Job(
        root,
        root / ".grading" / ASSIGNMENT,
        root / "template.db",
        ASSIGNMENT,
        "ada",
        ("normal_mle.ipynb",),
        config=Config(),
    )


def test_a_task_carries_what_the_folder_reader_keeps_and_says_what_it_left_out(tmp_path):
    folder = tmp_path / "submitted" / "ada" / ASSIGNMENT
    (folder / "data").mkdir(parents=True)
    (folder / "normal_mle.ipynb").write_text('{"cells": []}')
    (folder / "data" / "x.csv").write_text("1,2\n")
    (folder / "secret").symlink_to("/etc/passwd")
    task, notes, digest = cluster.submission_task(_job(tmp_path))
    assert digest == fingerprint(tmp_path, "ada", ASSIGNMENT, ("normal_mle.ipynb",))
    assert any("secret" in note and "link" in note for note in notes)
    into = tmp_path / "worker"
    into.mkdir()
    written = unpack(task.submission, into, ["submission"])
    assert sorted(written) == ["submission/data/x.csv", "submission/normal_mle.ipynb"]
    assert (into / "submission" / "data" / "x.csv").read_text() == "1,2\n"
    assert not (_job(tmp_path).stage / "outgoing").exists()


def test_a_hostile_result_is_refused_and_writes_nothing(tmp_path):
    job = _job(tmp_path)
    result = {
        "success": True,
        "seconds": 1.0,
        "problems": [],
        "grades": GOOD_GRADES,
        "archive": _tar(_special("autograded/ada/x", tarfile.SYMTYPE, "/work/main/solutions")),
    }
    outcome, grades = cluster.receive(job, result, ["a note"], "digest")
    assert (outcome.success, grades) == (False, None)
    assert outcome.problems[0] == "a note" and "refused" in outcome.problems[-1]
    assert not job.stage.exists()


# Who may be sent the course: a scheduler reached over TLS, or on this machine; plain TCP elsewhere only if asked.


@pytest.fixture
def no_connection(monkeypatch):
    """Fail the test if anything opens a network connection (the address check must connect to nothing)."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a connection was attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(cluster, "_client", refuse)


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("tcp://10.1.2.3:8786", "plain TCP to another machine"),
        ("10.1.2.3:8786", "plain TCP to another machine"),  # no scheme: Dask assumes tcp
        ("tcp://grader.example.org:8786", "plain TCP to another machine"),  # a name is not looked up
        ("tcp://0.0.0.0:8786", "plain TCP to another machine"),
        ("tcp://[2001:db8::1]:8786", "plain TCP to another machine"),
        ("tcp://:8786", "plain TCP to another machine"),
        ("ws://127.0.0.1:8786", "not by ws://"),
        ("inproc://127.0.0.1/1/1", "not by inproc://"),
        ("tls://grader.example.org:8786", "distributed.comm.tls.ca-file"),
    ],
)
def test_a_scheduler_address_that_is_not_safe_stops_course_grade_before_anything_else(
    tmp_path, capsys, no_connection, address, why
):
    """The course folder has no gradebook: the address is refused first (11), before that is even noticed (5)."""
    import dask

    from autograder.cli import main

    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    (tmp_path / "source").mkdir()
    with dask.config.set({"distributed.comm.tls.ca-file": None, "distributed.comm.tls.client.cert": None}):
        code = main(["--root", str(tmp_path), "grade", ASSIGNMENT, "--scheduler", address])
    assert code == cluster.InsecureScheduler.exit_code == 11
    assert why in " ".join(capsys.readouterr().err.split())


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8786", "127.0.0.2:8786", "tcp://localhost:8786", "tcp://[::1]:1"])
def test_a_scheduler_on_this_machine_is_allowed(no_connection, address):
    cluster.check_scheduler(address)


def test_tls_is_allowed_with_dask_s_tls_settings_and_plain_tcp_elsewhere_only_when_asked(tmp_path, no_connection):
    import dask

    tls = {"distributed.comm.tls.ca-file": "ca.pem", "distributed.comm.tls.client.cert": "client.pem"}
    with dask.config.set(tls):
        cluster.check_scheduler("tls://grader.example.org:8786")
    with dask.config.set({**tls, "distributed.comm.tls.client.cert": None}):
        with pytest.raises(cluster.InsecureScheduler, match=r"lack distributed\.comm\.tls\.client\.cert"):
            cluster.check_scheduler("tls://grader.example.org:8786")
    cluster.check_scheduler("tcp://10.1.2.3:8786", insecure=True)


def test_insecure_scheduler_lets_plain_tcp_through_to_the_next_check(tmp_path, capsys, no_connection):
    """With the flag, the address passes; the course folder without a gradebook then stops it (5), unconnected."""
    from autograder.cli import main

    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    (tmp_path / "source").mkdir()
    argv = ["--root", str(tmp_path), "grade", ASSIGNMENT, "--scheduler", "tcp://10.1.2.3:8786"]
    assert main([*argv, "--insecure-scheduler"]) == 5
    assert main(argv) == 11


# What a worker receives: the assignment's structure and its files, never the solutions or anyone's grades.


def test_a_worker_s_gradebook_holds_the_assignment_s_structure_and_no_grades(tmp_path):
    from datetime import datetime, timedelta

    from tests.test_grade_bounds import ASSIGNMENT as ONE
    from tests.test_grade_bounds import NOTEBOOK, _gradebook

    url = _gradebook(tmp_path / "gradebook.db")  # assignment a1 (3 + 2 + 1 points) and another one
    with Gradebook(url) as gradebook:
        gradebook.add_source_cell("test_f", NOTEBOOK, ONE, cell_type="code", source="assert hidden_test()")
        for student in ("ada", "bo"):
            gradebook.add_student(student, first_name="Secret", email=f"{student}@example.org", lms_user_id="L1")
            gradebook.add_submission(ONE, student, timestamp=datetime(2026, 1, 2), extension=timedelta(hours=5))
            gradebook.add_submission("other", student)
            gradebook.find_grade("test_f", NOTEBOOK, ONE, student).auto_score = 3
            gradebook.find_grade("answer", NOTEBOOK, ONE, student).manual_score = 1.5
            gradebook.find_comment("answer", NOTEBOOK, ONE, student).manual_comment = "SECRET-COMMENT"
            gradebook.find_grade("test_g", "other_nb", "other", student).auto_score = 99
        gradebook.add_student("cy", email="cy@example.org")  # no submission of this assignment
        gradebook.db.commit()
    data = cluster.worker_gradebook(tmp_path / "gradebook.db", ONE)
    assert b"SECRET-COMMENT" not in data and b"example.org" not in data and b"other_nb" not in data
    worker = tmp_path / "worker.db"
    worker.write_bytes(data)
    with Gradebook(f"sqlite:///{worker}") as gradebook:
        assert [a.name for a in gradebook.assignments] == [ONE]
        (notebook,) = gradebook.find_assignment(ONE).notebooks
        assert {c.name: c.max_score for c in notebook.grade_cells} == {"test_f": 3, "answer": 2}
        assert [c.name for c in notebook.task_cells] == ["task"]
        assert gradebook.find_source_cell("test_f", NOTEBOOK, ONE).source == "assert hidden_test()"
        assert sorted(s.id for s in gradebook.students) == ["ada", "bo"]
        submission = gradebook.find_submission(ONE, "ada")
        assert submission.extension == timedelta(hours=5) and submission.timestamp == datetime(2026, 1, 2)
        assert submission.student.email is None and submission.student.first_name is None
        for graded in submission.notebooks:
            assert all((g.auto_score, g.manual_score) == (None, None) for g in graded.grades)
            assert all((c.auto_comment, c.manual_comment) == (None, None) for c in graded.comments)


def test_a_worker_receives_the_assignment_s_files_but_not_its_notebooks(tmp_path):
    from traitlets.config import Config

    from tests.test_grade_bounds import _gradebook

    _gradebook(tmp_path / "template.db")
    source = tmp_path / "source" / "a1"
    (source / "data").mkdir(parents=True)
    (source / "data" / "x.csv").write_text("1\n")
    (source / "lesson.ipynb").write_text('{"cells": ["the solution"]}')
    job = Job(tmp_path, tmp_path / ".grading" / "a1", tmp_path / "template.db", "a1", "ada", ("lesson.ipynb",))
    job = Job(**{**job.__dict__, "config": Config()})
    bundle = cluster.course_bundle(job)
    into = tmp_path / "worker"
    into.mkdir()
    assert unpack(bundle.source, into, ["source"]) == ["source/a1/data/x.csv"]
    assert (into / "source" / "a1").is_dir()
