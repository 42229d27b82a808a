"""``course grade --scheduler``: each submission is one task on a Dask cluster; this process stays the only writer.

A task carries what grading needs as bytes, so grading machines share no
filesystem with the course: the submission as :func:`course grade
<autograder.batch.grade_class>` read it (within its bounds, never following a
link), and, sent once per batch to every worker, the course as this process
configured it (its nbgrader configuration rendered as plain settings), the
assignment's source notebooks and a snapshot of the gradebook. A worker grades
it with the same :func:`~autograder.batch.grade_one` as on one machine, in the
same bubblewrap sandbox (a worker without bubblewrap refuses, naming itself),
and returns the autograded notebook and the feedback as a tar and the grades
as plain data. This process checks both (:mod:`autograder.transport`, and a
strict reading of the grades) before it writes anything, then publishes them
with :func:`~autograder.batch.publish`, all or nothing, exactly as locally.

A worker that dies takes its task elsewhere (``retries`` and Dask's own
rescheduling); a submission that keeps killing workers ends as Dask's
``KilledWorker`` (after ``distributed.scheduler.allowed-failures``) and is
reported as failed while the batch goes on. A lost scheduler fails what was in
flight, and the next ``course grade`` grades what is missing, like a killed one.
``distributed`` is imported only here, so grading on one machine does not pay
for it.

Dask's own trust model: the scheduler, its workers and its clients trust each
other (results and task data travel as pickles, which run code when read), so
whoever can join the cluster can read what workers receive and send this
process a result that runs code in it. Hence :func:`check_scheduler` before any
connection: a ``tcp://`` address must be loopback unless the instructor says
``--insecure-scheduler``; across machines the address is ``tls://``, with Dask's
TLS settings (``distributed.comm.tls.*``: the course's certificate authority and
this machine's certificate), so only machines holding a certificate the course
signed can be scheduler or worker. What a worker receives is the least grading
needs (:func:`course_bundle`), and every grade it returns is bounded by the
instructor's gradebook before it is written (:mod:`autograder.grade_bounds`).
"""

from __future__ import annotations

import ast
import asyncio
import ipaddress
import itertools
import logging
import math
import shutil
import socket
import sqlite3
import tempfile
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from nbgrader.api import Gradebook
from rich.console import Console
from sqlalchemy.exc import SAWarning
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from autograder import receipts
from autograder.batch import (
    TEMPLATE,
    Job,
    Outcome,
    _publish_or_explain,
    count_done,
    course_config,
    grade_one,
    progress_bar,
)
from autograder.errors import CourseError, SandboxMissing
from autograder.folders import Bounds, read_submission, size_text
from autograder.sandbox import bubblewrap
from autograder.transport import ArchiveLimits, HostileArchive, pack, unpack

#: How often Dask runs a task again after it raised or its worker died (on top of the first run)
RETRIES = 2
#: Tasks in flight per worker thread: enough to keep every worker busy, few enough to bound memory here
IN_FLIGHT_PER_THREAD = 2
#: What a worker may return: the autograded folder and the feedback folder of one submission
RETURNED_TOPS = ("autograded", "feedback")
_TEXT_CHARS = 100_000  # any one string of the returned grades (an auto comment is the longest)
_GRADES = 10_000  # grades and comments of one submission, all notebooks together
_NOT_SENT = {("CourseDirectory", "db_url"), ("CourseDirectory", "root")}


class SchedulerUnreachable(CourseError):
    """``--scheduler`` names no Dask scheduler this machine can reach."""

    exit_code = 3


class InsecureScheduler(CourseError):
    """``--scheduler`` names a cluster reached without encryption or authentication, or TLS without its settings."""

    exit_code = 11


@dataclass(frozen=True)
class CourseBundle:
    """What every worker needs once per batch: the configuration, the assignment's files, its gradebook records."""

    config: str  # nbgrader_config.py text of plain settings
    source: bytes  # tar of source/<assignment> without its notebooks (the solutions): the files autograde copies
    template: bytes  # the gradebook of the assignment's structure alone (SQLite): see worker_gradebook


@dataclass(frozen=True)
class Task:
    """One submission to grade, as bytes: ``submission`` is a tar of its folder's files as read here."""

    assignment: str
    student: str
    notebooks: tuple[str, ...]
    bounds: Bounds
    submission: bytes


@dataclass
class Shipped:
    """Bytes sent and received for one submission (for the benchmark's bytes per submission)."""

    sent: int = 0
    received: int = 0


@dataclass
class ReturnedGrades:
    """A submission's grades as plain data, shaped like the nbgrader objects :func:`batch.publish` copies."""

    timestamp: datetime | None
    notebooks: list[Any] = field(default_factory=list)

    def find_submission(self, assignment: str, student: str) -> ReturnedGrades:
        """nbgrader's ``Gradebook.find_submission``, for :func:`batch._copy_grades`: this one submission."""
        return self


@dataclass
class _Notebook:
    name: str
    late_submission_penalty: float | None
    grades: list[_Grade]
    comments: list[_Comment]


@dataclass
class _Grade:
    name: str
    auto_score: float | None
    needs_manual_grade: bool


@dataclass
class _Comment:
    name: str
    auto_comment: str | None


# The instructor's side: configuration and course as bytes, tasks in flight, results checked and published.


def plain_config(config: Config) -> str:
    """``config`` as the text of an ``nbgrader_config.py`` of plain settings (``c.Section.name = value``).

    Every value must be plain data (strings, numbers, booleans, None, lists,
    tuples, dicts of these), so that the text reads back as the same settings;
    anything else raises :class:`CourseError` naming the setting. The gradebook's URL (it may hold a
    password) and the course's folder are not sent: a worker grades against its own copy, in its own folder.
    """
    lines = ["c = get_config()  # noqa: F821 - written by course grade --scheduler from the course's settings"]
    for section, settings in sorted(config.items()):
        if not isinstance(settings, dict):
            raise CourseError(f"the setting c.{section} is not a section of settings: it cannot be sent to workers")
        for name, value in sorted(settings.items()):
            if (section, name) in _NOT_SENT:
                continue
            text = repr(value)
            try:
                same = ast.literal_eval(text) == value
            except (ValueError, SyntaxError):
                same = False
            if not same:
                raise CourseError(
                    f"the setting c.{section}.{name} is not plain data ({type(value).__name__}), so it cannot be "
                    "sent to the cluster's workers: write it as a string, number, list or dict"
                )
            lines.append(f"c.{section}.{name} = {text}")
    return "\n".join(lines) + "\n"


#: What of the gradebook a worker never receives: every grade and comment (the assignment's submissions keep
#: only their times and extensions, which nbgrader's late penalty reads), every student's name, email and LMS id,
#: and every other assignment.
_WORKER_GRADEBOOK = """
DELETE FROM grade WHERE notebook_id IN (SELECT sn.id FROM submitted_notebook sn
    JOIN submitted_assignment sa ON sn.assignment_id = sa.id WHERE sa.assignment_id != :keep);
DELETE FROM comment WHERE notebook_id IN (SELECT sn.id FROM submitted_notebook sn
    JOIN submitted_assignment sa ON sn.assignment_id = sa.id WHERE sa.assignment_id != :keep);
DELETE FROM submitted_notebook WHERE assignment_id IN (SELECT id FROM submitted_assignment
    WHERE assignment_id != :keep);
DELETE FROM submitted_assignment WHERE assignment_id != :keep;
UPDATE grade SET auto_score = NULL, manual_score = NULL, extra_credit = NULL;
UPDATE comment SET auto_comment = NULL, manual_comment = NULL;
UPDATE submitted_notebook SET late_submission_penalty = NULL, flagged = 0;
DELETE FROM student WHERE id NOT IN (SELECT student_id FROM submitted_assignment);
UPDATE student SET first_name = NULL, last_name = NULL, email = NULL, lms_user_id = NULL;
DELETE FROM grade_cells WHERE id IN (SELECT b.id FROM base_cell b JOIN notebook n ON b.notebook_id = n.id
    WHERE n.assignment_id != :keep);
DELETE FROM solution_cells WHERE id IN (SELECT b.id FROM base_cell b JOIN notebook n ON b.notebook_id = n.id
    WHERE n.assignment_id != :keep);
DELETE FROM task_cells WHERE id IN (SELECT b.id FROM base_cell b JOIN notebook n ON b.notebook_id = n.id
    WHERE n.assignment_id != :keep);
DELETE FROM base_cell WHERE notebook_id IN (SELECT id FROM notebook WHERE assignment_id != :keep);
DELETE FROM source_cell WHERE notebook_id IN (SELECT id FROM notebook WHERE assignment_id != :keep);
DELETE FROM notebook WHERE assignment_id != :keep;
DELETE FROM assignment WHERE id != :keep;
"""


def worker_gradebook(template: Path, assignment: str) -> bytes:
    """The gradebook a worker grades against: ``assignment``'s structure from the snapshot ``template``, no grades.

    nbgrader's autograde needs the assignment, its notebooks and their cells
    (points, and the released source of the test cells, hidden tests included,
    which the gradebook holds without the solutions), and a submission's time
    and extension for its late penalty. Deleted rows are vacuumed away, so the
    file holds nothing else.
    """
    with tempfile.TemporaryDirectory(prefix="course-grade-") as scratch:
        copy = Path(scratch) / "worker.db"
        with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(copy)) as target:
            source.backup(target)
        with closing(sqlite3.connect(copy)) as db:
            (keep,) = db.execute("SELECT id FROM assignment WHERE name = ?", (assignment,)).fetchone()
            for statement in filter(str.strip, _WORKER_GRADEBOOK.split(";")):
                db.execute(statement, {"keep": keep})
            db.commit()
            db.execute("VACUUM")
        return copy.read_bytes()


def course_bundle(job: Job) -> CourseBundle:
    """The course of ``job``'s batch as its workers need it, configured as this process loaded it.

    Of ``source/<assignment>``, only what nbgrader's autograde copies into a
    submission: its files other than notebooks (the source notebooks hold the solutions).
    """
    config = plain_config(job.config if job.config is not None else course_config(job.root))
    source = pack(job.root, [f"source/{job.assignment}"], skip=["*.ipynb"])
    return CourseBundle(config, source, worker_gradebook(job.template_db, job.assignment))


def submission_task(job: Job) -> tuple[Task, list[str], str]:
    """The submission as a task (its files within bounds, read as locally), what was left out, and its fingerprint.

    Raises OSError if the copy cannot be written here (a full disk).
    """
    folder = job.stage / "outgoing"
    shutil.rmtree(folder, ignore_errors=True)
    try:
        read = read_submission(
            job.root, job.student, job.assignment, job.notebooks, job.bounds, copy_to=folder / "submission"
        )
        # the worker never sees the course's receipts: the copy it grades carries the trusted timestamp.txt
        config = job.config if job.config is not None else course_config(job.root)
        (folder / "submission").mkdir(parents=True, exist_ok=True)
        times = receipts.settle(
            job.root, job.assignment, job.student, folder / "submission", due=job.due, config=config
        )
        data = pack(folder, ["submission"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    task = Task(job.assignment, job.student, job.notebooks, job.bounds, data)
    return task, [*read.notes, *times.notes], read.fingerprint


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or len(value) > _TEXT_CHARS:
        raise HostileArchive(f"{what} is not a string of at most {_TEXT_CHARS} characters")
    return value


def _number(value: Any, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise HostileArchive(f"{what} is not a finite number")
    return float(value)


def read_grades(data: Any) -> ReturnedGrades:
    """The grades a worker returned, checked to be plain data of the expected shape (else :class:`HostileArchive`)."""
    if not isinstance(data, dict) or not isinstance(data.get("notebooks"), list):
        raise HostileArchive("the grades are not a record of notebooks")
    stamp = data.get("timestamp")
    timestamp = None if stamp is None else datetime.fromisoformat(_text(stamp, "the timestamp")[:64])
    grades = ReturnedGrades(timestamp)
    count = 0
    for notebook in data["notebooks"]:
        if not isinstance(notebook, dict):
            raise HostileArchive("a notebook's grades are not a record")
        marks, notes = notebook.get("grades"), notebook.get("comments")
        if not isinstance(marks, list) or not isinstance(notes, list):
            raise HostileArchive("a notebook's grades or comments are not lists")
        count += len(marks) + len(notes) + 1
        if count > _GRADES:
            raise HostileArchive(f"the grades hold more than {_GRADES} entries")
        if not all(isinstance(item, dict) for item in marks + notes):
            raise HostileArchive("a grade or comment is not a record")
        grades.notebooks.append(
            _Notebook(
                _text(notebook.get("name"), "a notebook's name"),
                _number(notebook.get("late_submission_penalty"), "a late penalty"),
                [
                    _Grade(
                        _text(g.get("name"), "a grade's name"),
                        _number(g.get("auto_score"), "a score"),
                        g.get("needs_manual_grade") is True,
                    )
                    for g in marks
                ],
                [
                    _Comment(
                        _text(c.get("name"), "a comment's name"),
                        None if c.get("auto_comment") is None else _text(c.get("auto_comment"), "a comment"),
                    )
                    for c in notes
                ],
            )
        )
    return grades


def _members(bounds: Bounds) -> int:
    """The most files and folders a submission read within ``bounds`` can be: each file in folders of its own."""
    return bounds.files * (bounds.depth + 1) + 1


def returned_limits(bounds: Bounds) -> ArchiveLimits:
    """What one submission's returned folders may hold: its files twice over (autograded and feedback) and margin."""
    return ArchiveLimits(
        members=2 * _members(bounds) + 64,
        file_bytes=bounds.file_bytes + 64 * 1024**2,
        total_bytes=2 * bounds.total_bytes + 128 * 1024**2,
        depth=bounds.depth + 4,
    )


def receive(job: Job, result: Any, notes: list[str], digest: str) -> tuple[Outcome, ReturnedGrades | None]:
    """What a worker returned for ``job``, checked, its folders written into the job's stage (never raises for it)."""
    try:
        if not isinstance(result, dict) or not isinstance(result.get("problems"), list):
            raise HostileArchive("the result is not a record with a list of problems")
        problems = [_text(p, "a problem")[:2000] for p in result["problems"][:50]]
        seconds = _number(result.get("seconds"), "the seconds") or 0.0
        problems = notes + [p for p in problems if p not in notes]
        if result.get("success") is not True:
            return Outcome(job.student, False, seconds, problems or ["grading failed on the worker"], digest), None
        grades = read_grades(result.get("grades"))
        archive = result.get("archive")
        if not isinstance(archive, bytes):
            raise HostileArchive("the returned folders are not bytes")
        shutil.rmtree(job.stage, ignore_errors=True)
        job.stage.mkdir(parents=True)
        unpack(archive, job.stage, RETURNED_TOPS, returned_limits(job.bounds))
        return Outcome(job.student, True, seconds, problems, digest), grades
    except (HostileArchive, ValueError, OSError) as error:
        shutil.rmtree(job.stage, ignore_errors=True)
        why = f"what the grading machine returned was refused ({error}), so nothing of it was recorded"
        return Outcome(job.student, False, 0.0, [*notes, why], digest), None


#: Where to read about making the course's certificates (README, "Grading on a cluster")
_TLS_HELP = "see the README's 'Grading on a cluster' for making the certificates"


def _scheme_and_host(address: str) -> tuple[str, str]:
    """The protocol (``tcp`` when none is given, as Dask assumes) and the host of a scheduler's address."""
    scheme, separator, rest = address.partition("://")
    if not separator:
        scheme, rest = "tcp", address
    try:
        host = urlsplit(f"//{rest}").hostname or ""
    except ValueError:
        host = ""
    return scheme.lower(), host


def _loopback(host: str) -> bool:
    """Whether ``host`` is this machine by its literal name (no lookup: a name can be pointed elsewhere)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_scheduler(address: str, insecure: bool = False) -> None:
    """Raise :class:`InsecureScheduler` unless the cluster at ``address`` may be sent the course; connect to nothing.

    Allowed: ``tls://`` with Dask's TLS settings for a client (a certificate
    authority, and this machine's certificate and key), or ``tcp://`` on
    loopback; ``tcp://`` to another machine only with ``insecure`` (the
    instructor's ``--insecure-scheduler``), since anyone who reaches its port
    can join as a worker.
    """
    scheme, host = _scheme_and_host(address)
    if scheme == "tls":
        import dask

        needed = ("ca-file", "client.cert")
        missing = [name for name in needed if not dask.config.get(f"distributed.comm.tls.{name}", None)]
        if missing:
            raise InsecureScheduler(
                f"--scheduler {address} uses TLS, but Dask's TLS settings lack "
                + ", ".join(f"distributed.comm.tls.{name}" for name in missing)
                + ": set them (for example DASK_DISTRIBUTED__COMM__TLS__CA_FILE=ca.pem, "
                "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT=client.pem and ..._CLIENT__KEY=client.key), " + _TLS_HELP
            )
        return
    if scheme != "tcp":
        raise InsecureScheduler(
            f"--scheduler {address}: course grade reaches a scheduler by tls:// (across machines) or by tcp:// on "
            "this machine (127.0.0.1), not by "
            f"{scheme}://"
        )
    if not _loopback(host) and not insecure:
        raise InsecureScheduler(
            f"--scheduler {address} is plain TCP to another machine: anyone who reaches that port can join as a "
            "worker, read the course (its salt, hidden tests) and send back grades and code. Use tls:// with the "
            f"course's certificates ({_TLS_HELP}), or pass --insecure-scheduler if the network is the course's own"
        )


#: How long ``course grade --scheduler`` keeps trying to reach the scheduler before it says none answered.
CONNECT_TIMEOUT = "20s"


#: What a submission still out when the scheduler went away is told (its task died with the scheduler).
LOST = "the scheduler was lost before it was graded: run `course grade` again to grade what is missing"


class _QuietReconnect(logging.Filter):
    """Drop Dask's traceback for a reconnect that ``client.close()`` cancels once the scheduler is gone: the summary
    already names each submission it cost, and says to run again."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError))


def _client(scheduler: str) -> Any:
    from distributed import Client
    from distributed.security import Security

    security = Security(require_encryption=True) if _scheme_and_host(scheduler)[0] == "tls" else None
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False, security=security)
    except (OSError, TimeoutError) as error:
        raise SchedulerUnreachable(
            f"No Dask scheduler answered at {scheduler} ({type(error).__name__}): start one (`dask scheduler`) "
            "and its workers, or check the address"
        ) from None


def grade_on_cluster(
    scheduler: str,
    jobs: dict[str, Job],
    db_url: str,
    console: Console,
    shipped: dict[str, Shipped] | None = None,
    insecure: bool = False,
) -> list[Outcome]:
    """Grade ``jobs`` as tasks on the Dask cluster at ``scheduler``, publishing each result here as it comes.

    ``shipped``, if given, receives the bytes sent and received per student.
    Raises :class:`InsecureScheduler` (see :func:`check_scheduler`; ``insecure``
    allows plain TCP to another machine) before connecting, and
    :class:`SchedulerUnreachable` if no scheduler answers; anything after that ends as outcomes.
    """
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    check_scheduler(scheduler, insecure)
    if not jobs:
        return []
    first = next(iter(jobs.values()))
    bundle = course_bundle(first)
    client = _client(scheduler)
    quiet = _QuietReconnect()
    logging.getLogger("distributed.client").addFilter(quiet)  # for this run's client only
    outcomes: list[Outcome] = []
    shipped = shipped if shipped is not None else {}
    try:
        threads = max(1, sum(client.nthreads().values()))
        # A task rather than scattered data: the scheduler keeps its bytes, so it is sent again should every
        # worker holding it die; workers otherwise fetch it from each other, once each.
        course = client.submit(_course, bundle, key=f"course-{uuid.uuid4().hex[:8]}", pure=False)
        waiting = iter(jobs)
        running = as_completed(loop=client.loop)
        held: dict[str, tuple[str, list[str], str]] = {}  # task key -> student, notes, fingerprint
        keys = (f"course-grade-{uuid.uuid4().hex[:8]}-{n}" for n in itertools.count())  # unique in the cluster

        def submit_next() -> None:
            for student in waiting:
                job = jobs[student]
                try:
                    task, notes, digest = submission_task(job)
                except OSError as error:
                    outcomes.append(Outcome(student, False, 0.0, [f"it could not be read for grading ({error})"]))
                    continue
                key = next(keys)
                held[key] = (student, notes, digest)
                shipped[student] = Shipped(sent=len(task.submission))
                running.add(client.submit(grade_task, task, course, key=key, retries=RETRIES, pure=False))
                return

        for _ in range(IN_FLIGHT_PER_THREAD * threads):
            submit_next()
        with progress_bar(console) as progress:
            bar = progress.add_task("grading on the cluster", total=len(jobs), failed=0, rate="-")
            started = time.monotonic()
            for future in running:
                student, notes, digest = held.pop(future.key)
                job = jobs[student]
                try:
                    result = future.result()
                except KilledWorker:
                    why = (
                        "its grading killed the grading machine's worker each time it was tried, so it was not "
                        "recorded: look at the submission, then run `course grade` again"
                    )
                    outcome = Outcome(student, False, 0.0, [*notes, why], digest)
                except Exception as error:
                    outcome = Outcome(student, False, 0.0, [*notes, _remote_failure(error, job.assignment)], digest)
                else:
                    shipped[student].received = len(result.get("archive") or b"") if isinstance(result, dict) else 0
                    outcome, grades = receive(job, result, notes, digest)
                    if outcome.success:
                        outcome = _publish_or_explain(job, outcome, db_url, graded=grades)
                future.release()
                outcomes.append(outcome)
                submit_next()
                count_done(progress, bar, outcomes, started)
    finally:
        client.close(timeout=10)
        logging.getLogger("distributed.client").removeFilter(quiet)
    _report_bytes(console, bundle, shipped)
    graded = {o.student for o in outcomes}
    return outcomes + [Outcome(s, False, 0.0, [LOST]) for s in jobs if s not in graded]


def _report_bytes(console: Console, bundle: CourseBundle, shipped: dict[str, Shipped]) -> None:
    """One line on the bytes that crossed the network: the course once per worker, then per submission."""
    if not shipped:
        return
    course = len(bundle.config) + len(bundle.source) + len(bundle.template)
    per = sum(s.sent + s.received for s in shipped.values()) / len(shipped)
    console.print(
        f"shipped: the course {size_text(course)} to each worker, then {size_text(per)} per submission "
        f"({size_text(sum(s.sent for s in shipped.values()) / len(shipped))} out, "
        f"{size_text(sum(s.received for s in shipped.values()) / len(shipped))} back)"
    )


def _remote_failure(error: BaseException, assignment: str) -> str:
    """One line on why a task failed on the cluster (a worker's own error, or the scheduler lost)."""
    if "scheduler-connection-lost" in str(error):  # distributed's FutureCancelledError names its reason so
        return LOST
    text = str(error).strip().splitlines()[0][:500] if str(error).strip() else ""
    return f"grading it on the cluster failed ({type(error).__name__}: {text}): run `course grade {assignment}` again"


# The worker's side: a private course folder from bytes, graded as on one machine, returned as bytes.


def _course(bundle: CourseBundle) -> CourseBundle:
    """The batch's course, as a task's result that every grading task depends on."""
    return bundle


def grade_task(task: Task, course: CourseBundle) -> dict[str, Any]:
    """Worker: grade one submission from bytes in a private folder; its folders and grades as bytes and plain data.

    Raises :class:`SandboxMissing`, naming this machine, where bubblewrap is
    missing and the course requires it.
    """
    with tempfile.TemporaryDirectory(prefix="course-grade-") as scratch:
        root = Path(scratch) / "course"
        root.mkdir()
        (root / "nbgrader_config.py").write_text(course.config)
        unpack(course.source, root, ["source"], ArchiveLimits(members=100_000, total_bytes=4 * 1024**3))
        template = Path(scratch) / TEMPLATE
        template.write_bytes(course.template)
        config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()  # the instructor's only
        config.CourseDirectory.root = str(root)
        _require_sandbox(config)
        submitted = root / "submitted" / task.student / task.assignment
        submitted.parent.mkdir(parents=True)
        limits = ArchiveLimits(members=_members(task.bounds), total_bytes=task.bounds.total_bytes)
        unpack(task.submission, Path(scratch), ["submission"], limits)
        if (Path(scratch) / "submission").is_dir():
            (Path(scratch) / "submission").rename(submitted)
        else:
            submitted.mkdir()  # an empty folder: graded as nothing submitted, as locally
        staging = root / ".grading" / task.assignment
        job = Job(root, staging, template, task.assignment, task.student, task.notebooks, task.bounds, config)
        outcome = grade_one(job)
        result: dict[str, Any] = {"success": outcome.success, "seconds": outcome.seconds, "problems": outcome.problems}
        if outcome.success:
            result["grades"] = dict(_grades_of(job.stage / "gradebook.db", task.assignment, task.student))
            result["archive"] = pack(job.stage, RETURNED_TOPS)
        return result


def _require_sandbox(config: Config) -> None:
    from autograder.execute import HardenedExecute

    if bubblewrap() is None and HardenedExecute(config=config).require_sandbox:
        raise SandboxMissing(
            f"The grading machine {socket.gethostname()} has no working bubblewrap, so it refuses to grade: "
            "install it there (apt-get install bubblewrap), or stop that worker"
        )


def _grades_of(db: Path, assignment: str, student: str) -> Iterator[tuple[str, Any]]:
    """One submission's grades in a staging gradebook, as plain data for :func:`read_grades`."""
    with warnings.catch_warnings(category=SAWarning, action="ignore"), Gradebook(f"sqlite:///{db}") as gradebook:
        graded = gradebook.find_submission(assignment, student)
        yield "timestamp", None if graded.timestamp is None else graded.timestamp.isoformat()
        yield (
            "notebooks",
            [
                {
                    "name": notebook.name,
                    "late_submission_penalty": notebook.late_submission_penalty,
                    "grades": [
                        {"name": g.name, "auto_score": g.auto_score, "needs_manual_grade": g.needs_manual_grade}
                        for g in notebook.grades
                    ],
                    "comments": [{"name": c.name, "auto_comment": c.auto_comment} for c in notebook.comments],
                }
                for notebook in graded.notebooks
            ],
        )
