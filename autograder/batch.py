"""``course grade``: grade a whole class in parallel through nbgrader, into nbgrader's gradebook.

Each submission is graded by a worker process (one per core by default) with
nbgrader's own API (``NbGraderAPI.autograde`` then ``generate_feedback``),
configured by the course's ``nbgrader_config.py`` and so through
:class:`~autograder.execute.HardenedExecute`. A worker never touches the
course's gradebook or folders: it grades in a staging folder of its own,
against its own copy of the gradebook, and what it stages of the submission
folder is only its regular files within :class:`Bounds`, read without
following a link (anything else is named in the summary). This process alone
writes: it copies each finished submission's grades into the gradebook in one
transaction, then moves its autograded notebook and feedback into place. So
SQLite sees one writer (no lost writes, no "database is locked"), and a batch
killed at any moment and started again grades what is missing and counts
nothing twice (a submission is done when its autograded folder carries the
fingerprint of what was graded). Publishing one submission is all or nothing:
if the disk fills (or anything else fails) half way, its grades are rolled
back and its folders left as they were, and the batch goes on. What stops the
whole batch (no gradebook, an unknown assignment, no sandbox) is raised as an
:class:`~autograder.errors.CourseError` for the ``course`` command to report.

Only student ids and assignment names that are :func:`~autograder.folders.safe_name`
are graded: nbgrader's formgrader prints a student id as HTML unescaped, and in
nbgrader's exchange the id comes from a folder name the student may influence.
A folder of ``submitted/`` with any other name is named in the summary, not graded.
Everything a submission can influence is printed through
:func:`~autograder.terminal.untrusted`.
"""

from __future__ import annotations

import copy
import datetime
import errno
import json
import logging
import os
import re
import shutil
import sqlite3
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, InvalidEntry, MissingEntry
from nbgrader.apps.api import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import parse_utc
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text
from sqlalchemy.exc import SAWarning, SQLAlchemyError
from traitlets.config import Config

from autograder import receipts, records, worker_server
from autograder.configuration import load_course_config
from autograder.database import gradebook_url, lost_a_race, reason, require_gradebook, snapshot_gradebook
from autograder.errors import SandboxMissing, UnknownAssignment
from autograder.folders import (
    DEFAULT_BOUNDS,
    SAFE_NAME_RULE,
    Bounds,
    fingerprint,
    json_beyond,
    read_submission,
    regular_file_bytes,
    safe_name,
    shown,
)
from autograder.grade_bounds import ImplausibleGrades, check_grades
from autograder.nbgrader_commands import ensure_venv_on_path
from autograder.restore import UnreadableNotebook, open_submitted_notebook
from autograder.sandbox import bubblewrap, protections
from autograder.settings import NO_SALT, CourseGrading, HiddenData
from autograder.staging_gradebook import skip_disk_waits_under
from autograder.terminal import untrusted

#: Both markers start with folders.RESERVED_PREFIX, so no learner file staged can take their place.
MARKER = ".course-grade.json"
#: The marker while its submission is being published: renamed to MARKER once the grades are committed.
PENDING_MARKER = ".course-grade.pending.json"
#: How many times a submission's grading process may die before the submission is failed
ATTEMPTS = 3
#: How many times publishing a submission's grades is tried when another writer won a race (a new student
#: added by two ``course grade`` runs at once): the loser's transaction is rolled back and tried again.
RACES = 5
#: The template gradebook's name in a staging folder; each submission is staged under SUBMISSIONS, so that
#: no student id (``template.db``, say) can name a file of the grader's own.
TEMPLATE = "template.db"
SUBMISSIONS = "submissions"
#: What nbgrader writes in timestamp.txt (it fails the submission on a time it cannot read)
_TIMESTAMP = re.compile(
    r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?( [A-Za-z][A-Za-z0-9_+-]{0,30}(/[A-Za-z0-9_+-]{1,30})?)?"
)


@dataclass(frozen=True)
class Job:
    """One submission to grade: where the course is, where to stage, who and what.

    Only a student id and an assignment name that are :func:`~autograder.folders.safe_name`
    make a job, so no other name can reach a gradebook.
    """

    root: Path
    staging: Path
    template_db: Path
    assignment: str
    student: str
    notebooks: tuple[str, ...]  # the assignment's notebook files, read first
    bounds: Bounds = DEFAULT_BOUNDS
    #: The course's configuration as the instructor's process loaded it (None: load it from ``root``)
    config: Config | None = field(default=None, compare=False, repr=False)
    #: The assignment's due date (naive UTC), read once per batch from the gradebook; None: it has none
    due: datetime.datetime | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not (safe_name(self.student) and safe_name(self.assignment)):
            raise ValueError(f"not a student id and assignment name to grade: {shown(self.student)!r}")

    @property
    def stage(self) -> Path:
        """This submission's private course folder, apart from the grader's own files in ``staging``."""
        return self.staging / SUBMISSIONS / self.student


@dataclass
class Outcome:
    """What a worker reports about one submission; ``fingerprint`` is that of what it staged and graded."""

    student: str
    success: bool
    seconds: float
    problems: list[str] = field(default_factory=list)
    fingerprint: str = ""


def course_config(root: Path, config_file: Path | None = None) -> Config:
    """The course's nbgrader configuration, loaded as nbgrader loads it (:mod:`autograder.configuration`)."""
    return load_course_config(root, config_file)


def _readable_notebook(path: Path, bounds: Bounds = DEFAULT_BOUNDS) -> str | None:
    """None if the grader can read ``path`` as a notebook, else what is wrong with it.

    Only a regular file within the size bound is read, and its JSON is parsed
    only if its values, objects and nesting are within bounds (counted without
    parsing), so no notebook can exhaust or crash the worker. It is then read
    as nbgrader will read it (:func:`~autograder.restore.open_submitted_notebook`,
    which keeps what is plain and repairs the rest): a notebook that breaks
    nbformat's schema is graded as it would be by stock ``nbgrader autograde``.
    """
    try:
        beyond = json_beyond(regular_file_bytes(path, bounds.file_bytes), bounds)
        if beyond:
            raise UnreadableNotebook(beyond)
        open_submitted_notebook(str(path), bounds.file_bytes)
    except Exception as error:  # whatever learner bytes make of a reader
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"{shown(path.name)} is not a valid notebook ({first_line[:200]}), so it was graded as missing"
    return None


def _valid_timestamp(path: Path) -> bool:
    """Whether nbgrader can read the submission time in ``timestamp.txt`` (else it fails the submission)."""
    try:
        text = path.read_bytes()[:100].decode("ascii").strip()
        return bool(_TIMESTAMP.fullmatch(text)) and parse_utc(text) is not None
    except (ValueError, OverflowError, OSError):
        return False


def _stage(job: Job) -> tuple[Path, list[str], str]:
    """A private course folder for one submission (its files within bounds, the source, a gradebook copy).

    Returns it, what the summary should say about the submission's folder and
    notebooks, and the fingerprint of what was staged.
    """
    stage = job.stage
    shutil.rmtree(stage, ignore_errors=True)
    target = stage / "submitted" / job.student / job.assignment
    submission = read_submission(job.root, job.student, job.assignment, job.notebooks, job.bounds, copy_to=target)
    problems = list(submission.notes)
    for notebook in (target / name for name in job.notebooks):  # other notebooks are files nbgrader skips
        problem = _readable_notebook(notebook, job.bounds) if notebook.exists() else None
        if problem:
            notebook.unlink()
            problems.append(problem)
    (stage / "source").symlink_to(job.root / "source")
    shutil.copyfile(job.template_db, stage / "gradebook.db")
    # nbgrader reads the time from timestamp.txt, which the learner writes: the staged copy gets a trusted one
    config = job.config if job.config is not None else course_config(job.root)
    problems += receipts.settle(job.root, job.assignment, job.student, target, due=job.due, config=config).notes
    return stage, problems, submission.fingerprint


def _full_disk(error: BaseException | str) -> bool:
    """Whether ``error`` (or its message) says the disk, the quota or the database file is full."""
    text = str(error)
    return (isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)) or any(
        words in text for words in ("No space left", "disk is full", "Disk quota exceeded")
    )


def _what_to_do(assignment: str, error: BaseException | str) -> str:
    """The advice that ends a message about a submission that could not be graded or published."""
    rerun = f"run `course grade {assignment}` again"
    return f"free space on the disk, then {rerun}" if _full_disk(error) else rerun


def grade_one(job: Job) -> Outcome:
    """Worker: autograde and write feedback for one submission, inside its staging folder."""
    started = time.monotonic()
    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own session warnings
    try:
        stage, problems, digest = _stage(job)
    except OSError as error:
        why = f"it could not be staged for grading ({error}): {_what_to_do(job.assignment, error)}"
        return Outcome(job.student, False, time.monotonic() - started, [why])
    skip_disk_waits_under(job.staging / SUBMISSIONS)  # the staging gradebooks: throwaway copies
    config = copy.deepcopy(job.config) if job.config is not None else course_config(job.root)
    config.CourseDirectory.root = str(stage)
    config.CourseDirectory.db_url = f"sqlite:///{stage / 'gradebook.db'}"
    coursedir = CourseDirectory(config=config)
    api = NbGraderAPI(coursedir=coursedir, config=config)
    expected = {Path(name).stem for name in job.notebooks}
    present = {p.stem for p in (stage / "submitted" / job.student / job.assignment).glob("*.ipynb")}
    unreadable = " ".join(problems)
    missing = [f"{name}.ipynb was not submitted" for name in sorted(expected - present)]
    problems += [line for line in missing if line.split(" ")[0] not in unreadable]
    if not present & expected:
        _zero_submission(stage / "gradebook.db", job.assignment, job.student)
        return Outcome(job.student, True, time.monotonic() - started, problems or ["no notebook was submitted"], digest)
    result = api.autograde(job.assignment, job.student, force=True, create=True)
    if not result["success"]:
        error = _last_error(result)
        why = f"{error}: {_what_to_do(job.assignment, error)}" if _full_disk(error) else error
        return Outcome(job.student, False, time.monotonic() - started, [why])
    feedback = api.generate_feedback(job.assignment, job.student, force=True)
    if not feedback["success"]:
        problems.append(f"feedback could not be generated: {_last_error(feedback)}")
    return Outcome(job.student, True, time.monotonic() - started, problems, digest)


def _last_error(result: dict) -> str:
    lines = [line for line in (result.get("log") or "").splitlines() if "ERROR" in line or "Error" in line]
    return (lines[-1] if lines else (result.get("error") or "unknown error").strip().splitlines()[-1])[:300]


def assignment_notebooks(db_url: str, assignment: str) -> tuple[str, ...]:
    """The files of the assignment's notebooks, as the gradebook knows them (``normal_mle.ipynb``).

    Raises :class:`UnknownAssignment`, naming those it knows, if the gradebook has no such assignment.
    """
    with warnings.catch_warnings(category=SAWarning, action="ignore"), Gradebook(db_url) as gradebook:
        try:
            notebooks = gradebook.find_assignment(assignment).notebooks
        except MissingEntry:
            known = ", ".join(sorted(a.name for a in gradebook.assignments)) or "none yet"
            raise UnknownAssignment(
                f"The gradebook has no assignment {assignment} (it has: {known}): check the name, "
                f"or run `course release {assignment}` if it is new"
            ) from None
        return tuple(sorted(f"{notebook.name}.ipynb" for notebook in notebooks))


def _zero_submission(db: Path, assignment: str, student: str) -> None:
    """Record a submission without any gradable notebook: every grade 0, nothing left to grade by hand.

    This is nbgrader's own zeroing of a missing notebook (``Autograde.init_assignment``), which nbgrader
    only reaches when at least one of the assignment's notebooks was submitted: with none, its autograde
    fails the submission ("No notebooks were matched") and records nothing. With some, it is left to nbgrader.
    """
    with Gradebook(f"sqlite:///{db}") as gradebook:
        gradebook.update_or_create_student(student)
        submission = gradebook.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
        gradebook.db.commit()


def _copy_grades(source: Gradebook, target: Gradebook, assignment: str, student: str) -> None:
    """Copy one student's graded submission from a staging gradebook into the course's, uncommitted.

    Grades are updated in place, so grading again never counts anything twice
    and manual grades entered meanwhile are kept (a grade with a manual score is
    left for review, as nbgrader's own autograde leaves it). nbgrader's ``update_or_create_*``
    commit as they go: here they only flush, so a publish that fails later
    leaves no trace of a new student or submission either. The grades are first
    checked against the course's gradebook (:func:`~autograder.grade_bounds.check_grades`):
    grades it could not hold raise :class:`~autograder.grade_bounds.ImplausibleGrades` before anything is written.
    """
    graded = source.find_submission(assignment, student)
    check_grades(graded, target, assignment, student)
    target.db.commit = target.db.flush  # an attribute of this session alone, removed below
    try:
        target.update_or_create_student(student)
        target.update_or_create_submission(assignment, student, timestamp=graded.timestamp)
        for notebook in graded.notebooks:
            into = target.find_submission_notebook(notebook.name, assignment, student)
            into.late_submission_penalty = notebook.late_submission_penalty
            for grade in notebook.grades:
                mark = target.find_grade(grade.name, notebook.name, assignment, student)
                mark.auto_score = grade.auto_score
                mark.needs_manual_grade = grade.needs_manual_grade or mark.manual_score is not None
            for comment in notebook.comments:
                note = target.find_comment(comment.name, notebook.name, assignment, student)
                note.auto_comment = comment.auto_comment
        target.db.flush()
    finally:
        del target.db.commit


def _copy_grades_racing(source: Gradebook, target: Gradebook, assignment: str, student: str) -> None:
    """:func:`_copy_grades`, tried again (from a rolled-back transaction) while it loses a race to another writer.

    nbgrader logs each rollback with a traceback; a lost race is expected, so that log is silenced here (an
    error that is not a race is raised and reported in the summary).
    """
    rollbacks = logging.getLogger("tornado.application")  # nbgrader.api's app_log
    for attempt in range(RACES):
        try:
            was, rollbacks.disabled = rollbacks.disabled, True
            try:
                _copy_grades(source, target, assignment, student)
            finally:
                rollbacks.disabled = was
            return
        except (SQLAlchemyError, InvalidEntry) as error:
            target.db.rollback()
            if attempt == RACES - 1 or not lost_a_race(error):
                raise
            time.sleep(0.05 * (attempt + 1))


@contextmanager
def _gradebooks(source_db: Path, target_url: str, graded: object = None) -> Iterator[tuple[Gradebook, Gradebook]]:
    """A staging gradebook (or ``graded``, grades a cluster worker returned) and the course's; the course's
    transaction is rolled back unless committed."""
    with (
        warnings.catch_warnings(category=SAWarning, action="ignore"),  # nbgrader's own session warnings
        nullcontext(graded) if graded is not None else Gradebook(f"sqlite:///{source_db}") as source,
        Gradebook(target_url) as target,
    ):
        try:
            yield source, target
        except BaseException:
            target.db.rollback()
            raise


def _move_into_place(source: Path, target: Path) -> Callable[[], None]:
    """Put folder ``source`` at ``target`` whole, the old ``target`` set aside; return how to undo it.

    ``source`` first goes next to ``target`` (a rename on one filesystem, a
    copy across two, removed if it fails half way), then one rename swaps it
    in, so ``target`` is never a partial folder.
    """
    incoming = target.with_name(f".{target.name}.incoming")
    previous = target.with_name(f".{target.name}.previous")
    for stale in (incoming, previous):
        shutil.rmtree(stale, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.move(source, incoming)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    had_previous = target.exists()
    if had_previous:
        os.rename(target, previous)
    os.rename(incoming, target)

    def undo() -> None:
        shutil.rmtree(target, ignore_errors=True)
        if had_previous:
            os.rename(previous, target)

    return undo


def publish(job: Job, outcome: Outcome, db_url: str, graded: object = None) -> None:
    """Writer: one submission's grades into the gradebook, its autograded notebook and feedback into place.

    All or nothing: the marker is written (in staging) first, the folders are
    swapped in keeping the old ones aside, and the grades are committed last;
    if anything fails (a full disk, a full database), the transaction is rolled
    back and the old folders restored, and the error is raised. Only then is
    the marker made final, so a batch killed before it grades the submission again. ``graded`` stands in
    for the staging gradebook: the grades a cluster worker returned (:mod:`autograder.cluster`).
    """
    stage = job.stage
    autograded = stage / "autograded" / job.student / job.assignment
    feedback = stage / "feedback" / job.student / job.assignment
    autograded.mkdir(parents=True, exist_ok=True)
    marker = {"fingerprint": outcome.fingerprint, "problems": outcome.problems}
    (autograded / PENDING_MARKER).write_text(json.dumps(marker, indent=1))
    places = [
        (feedback, job.root / "feedback" / job.student / job.assignment),
        (autograded, job.root / "autograded" / job.student / job.assignment),
    ]
    undo: list[Callable[[], None]] = []
    with _gradebooks(stage / "gradebook.db", db_url, graded) as (source, target):
        _copy_grades_racing(source, target, job.assignment, job.student)
        try:
            for here, there in places:
                if here.exists():
                    undo.append(_move_into_place(here, there))
            target.db.commit()
        except BaseException:
            for step in reversed(undo):
                step()
            raise
    published = job.root / "autograded" / job.student / job.assignment
    try:
        os.replace(published / PENDING_MARKER, published / MARKER)
    except OSError as error:
        outcome.problems.append(
            f"its grades were recorded, but it could not be marked as done ({error}): the next `course grade "
            f"{job.assignment}` grades it again"
        )
    for _, there in places:
        shutil.rmtree(there.with_name(f".{there.name}.previous"), ignore_errors=True)
    shutil.rmtree(stage, ignore_errors=True)


def _reason(error: BaseException) -> str:
    """Why, in one line: the database's own error rather than SQLAlchemy's wrapper, the first of a failed copy."""
    if isinstance(error, shutil.Error) and error.args and isinstance(error.args[0], list) and error.args[0]:
        _, _, first = error.args[0][0]  # copytree's (source, target, why) of each file it could not copy
        return f"OSError: {str(first)[:200]}"
    return reason(error)


def _publish_or_explain(job: Job, outcome: Outcome, db_url: str, graded: object = None) -> Outcome:
    """Publish; if that fails, the outcome says so and what to do, and nothing of it was recorded."""
    try:
        publish(job, outcome, db_url, graded)
    except ImplausibleGrades as error:
        shutil.rmtree(job.stage, ignore_errors=True)
        message = (
            f"its grades were refused ({error}), so nothing of it was recorded: check the grading machine, "
            f"then run `course grade {job.assignment}` again"
        )
        return Outcome(outcome.student, False, outcome.seconds, [*outcome.problems, message])
    except Exception as error:
        shutil.rmtree(job.stage, ignore_errors=True)
        why = _reason(error)
        message = f"publishing failed ({why}), so nothing of it was recorded: {_what_to_do(job.assignment, why)}"
        return Outcome(outcome.student, False, outcome.seconds, [*outcome.problems, message])
    return outcome


def is_done(
    root: Path, assignment: str, student: str, notebooks: Sequence[str] = (), bounds: Bounds = DEFAULT_BOUNDS
) -> bool:
    """Whether this exact submission was already graded and published (never raises: if in doubt, no)."""
    try:
        marker = root / "autograded" / student / assignment / MARKER
        recorded = json.loads(marker.read_text())["fingerprint"]
        return recorded == fingerprint(root, student, assignment, notebooks, bounds)
    except Exception:
        return False


def protections_table() -> tuple[Table, bool]:
    """The sandbox's protections on this machine, and whether all are in place."""
    table = Table(title="Protections against learner code", title_justify="left")
    table.add_column("protection")
    table.add_column("")
    table.add_column("how")
    everything = True
    for item in protections():
        everything &= item.available
        table.add_row(item.name, "[green]on[/]" if item.available else "[bold red]MISSING[/]", item.detail)
    return table, everything


def grade_class(
    root: Path,
    assignment: str,
    console: Console,
    workers: int | None = None,
    force: bool = False,
    bounds: Bounds | None = None,
    scheduler: str | None = None,
    config: Config | None = None,
    insecure_scheduler: bool = False,
    only: Sequence[str] | None = None,
) -> list[Outcome]:
    """Grade every submission of ``assignment`` under ``root/submitted`` with a pool of workers.

    With ``only`` (student ids), just those students' submissions, as ``nbgrader autograde --student``:
    an id with no submission folder is an outcome that says so, and other folders are not looked at.

    ``config`` is the course's nbgrader configuration (:func:`course_config`, loaded
    from ``root`` when not given); its ``db_url`` names the gradebook, SQLite or a
    server such as PostgreSQL. ``workers`` and ``bounds`` not given are its
    :class:`~autograder.settings.CourseGrading` settings.

    With ``scheduler`` (a Dask scheduler's address), each submission is a task on that cluster
    instead (:mod:`autograder.cluster`), whose workers check their own sandbox; plain TCP to another
    machine is refused before anything is done unless ``insecure_scheduler``
    (:func:`~autograder.cluster.check_scheduler`).

    Whatever a submission holds or a worker hits, and whatever fails while
    publishing (a full disk), ends as an outcome with a message for that
    student. Only what stops the whole batch is raised: :class:`NotACourse`,
    :class:`NoGradebook`, :class:`UnknownAssignment` (checked against the
    gradebook, or not a safe name), :class:`SandboxMissing`, :class:`BadConfig`
    and :class:`GradebookUnreachable`. A known
    assignment with no submissions yet is not an error: it says so and returns
    no outcome. A folder whose name is not a safe student id is not graded: its
    outcome (failed) says so, under the name as :func:`~autograder.folders.shown`.
    """
    root = root.resolve()
    if scheduler is not None:
        from autograder.cluster import check_scheduler  # imports no distributed: only checks the address

        check_scheduler(scheduler, insecure_scheduler)
    if not safe_name(assignment):
        raise UnknownAssignment(
            f"course grade grades only assignments named with {SAFE_NAME_RULE}, not {shown(assignment)!r}: "
            "check the name, or rename the assignment"
        )
    config = config if config is not None else course_config(root)
    settings = CourseGrading(config=config)
    bounds = bounds if bounds is not None else settings.bounds()
    db_url = gradebook_url(config)
    require_gradebook(db_url)
    ensure_venv_on_path()  # nbgrader runs alembic as a subprocess; the workers inherit this environment
    notebooks = assignment_notebooks(db_url, assignment)
    students, not_ids = _submitters(root / "submitted", assignment)
    absent: list[Outcome] = []
    if only is not None:
        asked = dict.fromkeys(only)
        absent = [
            _not_a_student_id(name, assignment) if name in not_ids else _not_submitted(name, assignment)
            for name in asked
            if name not in students
        ]
        students, not_ids = [s for s in students if s in asked], []
    if not HiddenData(config=config).course_salt:
        console.print(f"[bold yellow]{NO_SALT}[/]", highlight=False)
    if not students and not not_ids and not absent:
        console.print(f"No submissions of {assignment} in {root / 'submitted'} yet: nothing to grade.")
        return []
    refused = absent + [_not_a_student_id(name, assignment) for name in not_ids]
    todo = [s for s in students if force or not is_done(root, assignment, s, notebooks, bounds)]
    if todo and scheduler is None:
        worker_server.start()  # it imports and warms the grader (seconds of CPU) while this process goes on
    table, everything = protections_table()
    if not everything:
        console.print(table)
        console.print("[bold red]Some protections are missing on this machine: see the table above.[/]")
        from autograder.execute import HardenedExecute  # the grader's own module: imported once it is needed

        required = HardenedExecute(config=config).require_sandbox
        if scheduler is None and bubblewrap() is None and required:  # on a cluster, each worker checks its own
            raise SandboxMissing(
                "Refusing to grade without the sandbox: install bubblewrap (make sandbox, or apt-get install "
                "bubblewrap), or set c.HardenedExecute.require_sandbox = False to grade unprotected."
            )
    workers = max(1, workers or settings.workers or os.cpu_count() or 1)
    console.print(
        f"grading {assignment}: {len(todo)} of {len(students)} submissions to grade "
        f"({len(students) - len(todo)} already done), {workers} workers"
        + (f"; {len(refused)} not graded, named in the summary" if refused else "")
    )
    staging = root / ".grading" / assignment
    template = staging / TEMPLATE
    try:
        staging.mkdir(parents=True, exist_ok=True)
        snapshot_gradebook(db_url, template)
    except (OSError, sqlite3.Error, SQLAlchemyError) as error:
        why = f"the gradebook could not be copied for grading ({_reason(error)}): {_what_to_do(assignment, error)}"
        outcomes = [Outcome(student, False, 0.0, [why]) for student in todo]
    else:
        due = receipts.due_date(f"sqlite:///{template}", assignment)
        jobs = {
            student: Job(root, staging, template, assignment, student, notebooks, bounds, config, due)
            for student in todo
        }
        if scheduler:
            from autograder.cluster import grade_on_cluster  # imports distributed: only for a cluster

            outcomes = grade_on_cluster(scheduler, jobs, db_url, console, insecure=insecure_scheduler)
        else:
            outcomes = _run_pool(jobs, workers, db_url, console)
    shutil.rmtree(staging, ignore_errors=True)
    outcomes = refused + outcomes
    _summarise(assignment, outcomes, console)
    records.keep(root, assignment, [o for o in outcomes if o not in absent])  # the summary, for `course report`
    return outcomes


def _submitters(submitted: Path, assignment: str) -> tuple[list[str], list[str]]:
    """The student ids with a folder of ``assignment`` in ``submitted``, and the names there that are not ids.

    A name that is not :func:`~autograder.folders.safe_name` is never graded, whatever its folder holds.
    """
    try:
        names = sorted(entry.name for entry in os.scandir(submitted))
    except OSError:
        return [], []
    holding = [name for name in names if os.path.lexists(submitted / name / assignment)]
    students = [name for name in holding if safe_name(name) and (submitted / name / assignment).is_dir()]
    return students, [name for name in holding if not safe_name(name)]


def _not_submitted(name: str, assignment: str) -> Outcome:
    """The outcome of a student asked for by name (``only``) who has no submission folder of ``assignment``."""
    return Outcome(shown(name), False, 0.0, [f"no submission of {assignment} by {shown(name)} in submitted/"])


def _not_a_student_id(name: str, assignment: str) -> Outcome:
    """The outcome of a folder of ``submitted/`` whose name is not a student id ``course grade`` grades."""
    why = (
        f"its folder name is not a student id course grade grades ({SAFE_NAME_RULE}; the formgrader would show "
        f"it as HTML), so nothing of it was graded: rename submitted/{shown(name)} to the student's id, then run "
        f"`course grade {assignment}` again"
    )
    return Outcome(shown(name), False, 0.0, [why])


def _worker() -> ProcessPoolExecutor:
    """One grading process, in a pool of its own: if it dies, only the job it holds fails."""
    return ProcessPoolExecutor(max_workers=1, mp_context=worker_server.context())


def _run_pool(
    jobs: dict[str, Job], workers: int, db_url: str, console: Console, grade: Callable[[Job], Outcome] = grade_one
) -> list[Outcome]:
    """Grade ``jobs`` with ``grade`` in ``workers`` processes, publishing each outcome as it comes.

    Each process is a pool of its own and holds one job at a time, so when one
    dies (a crash, the memory killer) its broken pool names the submission it
    was grading: that one is charged an attempt (failed after
    :data:`ATTEMPTS`) and a fresh process takes the place; submissions graded
    beside it go on undisturbed. One shared pool would fail every job in it.
    """
    outcomes: list[Outcome] = []
    queue = deque(jobs)
    attempts = dict.fromkeys(jobs, 0)
    idle = [_worker() for _ in range(min(workers, len(jobs)))]
    running: dict[Future[Outcome], tuple[str, ProcessPoolExecutor]] = {}
    started = time.monotonic()
    try:
        with progress_bar(console) as progress:
            task = progress.add_task("grading", total=len(jobs), failed=0, rate="-")
            while queue or running:
                while queue and idle:
                    student = queue.popleft()
                    worker = idle.pop()
                    running[worker.submit(grade, jobs[student])] = (student, worker)
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    student, worker = running.pop(future)
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        worker.shutdown()
                        worker = _worker()
                        attempts[student] += 1
                        if attempts[student] < ATTEMPTS:
                            queue.append(student)
                            idle.append(worker)
                            continue
                        died = f"its grading process died {ATTEMPTS} times (a crash, or memory ran out), so"
                        outcome = Outcome(student, False, 0.0, [f"{died} it was not recorded"])
                    except Exception as error:
                        outcome = Outcome(student, False, 0.0, [f"{type(error).__name__}: {error}"])
                    idle.append(worker)
                    if outcome.success:
                        outcome = _publish_or_explain(jobs[student], outcome, db_url)
                    outcomes.append(outcome)
                    count_done(progress, task, outcomes, started)
    finally:
        for worker in [*idle, *(worker for _, worker in running.values())]:
            worker.shutdown(cancel_futures=True)
    return outcomes


def progress_bar(console: Console) -> Progress:
    """The progress bar of ``course grade``, on one machine or a cluster: done, failed, rate and time left."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("failed {task.fields[failed]}"),
        TextColumn("{task.fields[rate]} /min"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=console,
        refresh_per_second=2,
    )


def count_done(progress: Progress, task: TaskID, outcomes: Sequence[Outcome], started: float) -> None:
    """Advance the bar by one outcome: how many failed so far, and submissions per minute since ``started``."""
    minutes = (time.monotonic() - started) / 60
    progress.update(task, advance=1, failed=sum(not o.success for o in outcomes), rate=f"{len(outcomes) / minutes:.1f}")


def _summarise(assignment: str, outcomes: list[Outcome], console: Console) -> None:
    graded = sum(o.success for o in outcomes)
    seconds = sum(o.seconds for o in outcomes)
    console.print(
        f"{assignment}: {graded} graded, {len(outcomes) - graded} failed"
        + (f", {seconds / max(len(outcomes), 1):.1f} s of work per submission" if outcomes else "")
    )
    table = Table(title=f"{assignment}: submissions that need a word", title_justify="left")
    table.add_column("student")
    table.add_column("what happened")
    for outcome in outcomes:
        for n, problem in enumerate(outcome.problems):
            failed = not outcome.success and n == len(outcome.problems) - 1  # why it failed comes last
            what = untrusted(problem, limit=1000)
            shown_as = Text.assemble(("not recorded: ", "red"), what) if failed else what
            table.add_row(untrusted(outcome.student), shown_as)
    if table.row_count:
        console.print(table)
