"""``course grade``: grade a whole class in parallel through nbgrader, into nbgrader's gradebook.

Each submission is graded by a worker process (one per core by default) with
nbgrader's own API (``NbGraderAPI.autograde`` then ``generate_feedback``),
configured by the course's ``nbgrader_config.py`` and so through
:class:`~autograder.execute.HardenedExecute`. A worker never touches the
course's gradebook or folders: it grades in a staging folder of its own,
against its own copy of the gradebook. This process alone writes: it copies
each finished submission's grades into the gradebook in one transaction,
then moves its autograded notebook and feedback into place. So SQLite sees
one writer (no lost writes, no "database is locked"), and a batch killed at
any moment and started again grades what is missing and counts nothing
twice (a submission is done when its autograded folder carries the
fingerprint of what was submitted).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import multiprocessing.forkserver
import os
import shutil
import sqlite3
import sys
import time
import warnings
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.apps.api import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy.exc import SAWarning
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from autograder.sandbox import bubblewrap, protections

MARKER = ".course-grade.json"


@dataclass(frozen=True)
class Job:
    """One submission to grade: where the course is, where to stage, who and what."""

    root: Path
    staging: Path
    template_db: Path
    assignment: str
    student: str


@dataclass
class Outcome:
    """What a worker reports about one submission."""

    student: str
    success: bool
    seconds: float
    problems: list[str] = field(default_factory=list)


def course_config(root: Path) -> Config:
    """The course's nbgrader configuration (``nbgrader_config.py`` in ``root``)."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    return config


def gradebook_url(root: Path) -> str:
    """The course's gradebook URL, a relative SQLite path made absolute against ``root``."""
    db_url = CourseDirectory(config=course_config(root)).db_url
    if db_url.startswith("sqlite:///") and not db_url.startswith("sqlite:////"):
        db_url = f"sqlite:///{root / db_url.removeprefix('sqlite:///')}"
    return db_url


def fingerprint(folder: Path) -> str:
    """A digest of every file submitted, so a changed submission is graded again."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _readable_notebook(path: Path) -> str | None:
    """None if ``path`` is a notebook nbgrader can grade, else what is wrong with it."""
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except Exception as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"{path.name} is not a valid notebook ({first_line[:200]}), so it was graded as missing"
    return None


def _stage(job: Job) -> tuple[Path, list[str]]:
    """A private course folder for one submission: its files, the source, a gradebook copy."""
    stage = job.staging / job.student
    shutil.rmtree(stage, ignore_errors=True)
    submitted = job.root / "submitted" / job.student / job.assignment
    target = stage / "submitted" / job.student / job.assignment
    problems = []
    shutil.copytree(submitted, target, symlinks=True, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for link in [p for p in target.rglob("*") if p.is_symlink()]:
        link.unlink()
    for notebook in sorted(target.glob("*.ipynb")):
        problem = _readable_notebook(notebook)
        if problem:
            notebook.unlink()
            problems.append(problem)
    (stage / "source").symlink_to(job.root / "source")
    shutil.copyfile(job.template_db, stage / "gradebook.db")
    return stage, problems


def grade_one(job: Job) -> Outcome:
    """Worker: autograde and write feedback for one submission, inside its staging folder."""
    started = time.monotonic()
    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own session warnings
    stage, problems = _stage(job)
    config = course_config(job.root)
    config.CourseDirectory.root = str(stage)
    config.CourseDirectory.db_url = f"sqlite:///{stage / 'gradebook.db'}"
    coursedir = CourseDirectory(config=config)
    api = NbGraderAPI(coursedir=coursedir, config=config)
    expected = _expected_notebooks(stage / "gradebook.db", job.assignment)
    present = {p.stem for p in (stage / "submitted" / job.student / job.assignment).glob("*.ipynb")}
    unreadable = " ".join(problems)
    problems += [f"{name}.ipynb was not submitted" for name in sorted(expected - present) if name not in unreadable]
    if not present & expected:
        _zero_submission(stage / "gradebook.db", job.assignment, job.student)
        return Outcome(job.student, True, time.monotonic() - started, problems or ["no notebook was submitted"])
    result = api.autograde(job.assignment, job.student, force=True, create=True)
    if not result["success"]:
        return Outcome(job.student, False, time.monotonic() - started, [_last_error(result)])
    feedback = api.generate_feedback(job.assignment, job.student, force=True)
    if not feedback["success"]:
        problems.append(f"feedback could not be generated: {_last_error(feedback)}")
    return Outcome(job.student, True, time.monotonic() - started, problems)


def _last_error(result: dict) -> str:
    lines = [line for line in (result.get("log") or "").splitlines() if "ERROR" in line or "Error" in line]
    return (lines[-1] if lines else (result.get("error") or "unknown error").strip().splitlines()[-1])[:300]


def _expected_notebooks(db: Path, assignment: str) -> set[str]:
    with Gradebook(f"sqlite:///{db}") as gradebook:
        return {notebook.name for notebook in gradebook.find_assignment(assignment).notebooks}


def _zero_submission(db: Path, assignment: str, student: str) -> None:
    """Record a submission without any gradable notebook: every grade 0, nothing left to grade by hand."""
    with Gradebook(f"sqlite:///{db}") as gradebook:
        gradebook.update_or_create_student(student)
        submission = gradebook.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
        gradebook.db.commit()


def copy_grades(source_db: Path, target_url: str, assignment: str, student: str) -> None:
    """Copy one student's graded submission from a staging gradebook into the course's, in one transaction.

    Grades are updated in place, so grading again never counts anything twice
    and manual grades entered meanwhile are kept.
    """
    with (
        warnings.catch_warnings(category=SAWarning, action="ignore"),  # nbgrader's own session warnings
        Gradebook(f"sqlite:///{source_db}") as source,
        Gradebook(target_url) as target,
    ):
        graded = source.find_submission(assignment, student)
        target.update_or_create_student(student)
        target.update_or_create_submission(assignment, student, timestamp=graded.timestamp)
        for notebook in graded.notebooks:
            into = target.find_submission_notebook(notebook.name, assignment, student)
            into.late_submission_penalty = notebook.late_submission_penalty
            for grade in notebook.grades:
                mark = target.find_grade(grade.name, notebook.name, assignment, student)
                mark.auto_score = grade.auto_score
                mark.needs_manual_grade = grade.needs_manual_grade
            for comment in notebook.comments:
                note = target.find_comment(comment.name, notebook.name, assignment, student)
                note.auto_comment = comment.auto_comment
        target.db.commit()


def _replace(source: Path, target: Path) -> None:
    if not source.exists():
        return
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(source), target)


def publish(job: Job, outcome: Outcome, db_url: str) -> None:
    """Writer: grades into the gradebook, then the autograded notebook and feedback into place."""
    stage = job.staging / job.student
    copy_grades(stage / "gradebook.db", db_url, job.assignment, job.student)
    autograded = stage / "autograded" / job.student / job.assignment
    autograded.mkdir(parents=True, exist_ok=True)
    marker = {
        "fingerprint": fingerprint(job.root / "submitted" / job.student / job.assignment),
        "problems": outcome.problems,
    }
    (autograded / MARKER).write_text(json.dumps(marker, indent=1))
    _replace(stage / "feedback" / job.student / job.assignment, job.root / "feedback" / job.student / job.assignment)
    _replace(autograded, job.root / "autograded" / job.student / job.assignment)
    shutil.rmtree(stage, ignore_errors=True)


def is_done(root: Path, assignment: str, student: str) -> bool:
    """Whether this exact submission was already graded and published."""
    marker = root / "autograded" / student / assignment / MARKER
    if not marker.exists():
        return False
    try:
        recorded = json.loads(marker.read_text())["fingerprint"]
    except (ValueError, KeyError):
        return False
    return recorded == fingerprint(root / "submitted" / student / assignment)


def snapshot_gradebook(db_url: str, target: Path) -> None:
    """A consistent copy of the course's SQLite gradebook (SQLite's online backup)."""
    source_path = db_url.removeprefix("sqlite:///")
    target.unlink(missing_ok=True)
    with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)


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
    root: Path, assignment: str, console: Console, workers: int | None = None, force: bool = False
) -> list[Outcome]:
    """Grade every submission of ``assignment`` under ``root/submitted`` with a pool of workers."""
    root = root.resolve()
    _start_worker_server()  # it imports the grader while this process checks the course
    db_url = gradebook_url(root)
    database = Path(db_url.removeprefix("sqlite:///"))
    if db_url.startswith("sqlite:///") and not database.exists():
        raise SystemExit(f"No gradebook at {database}: run `course release` (nbgrader generate_assignment) first.")
    students = sorted(p.parent.name for p in (root / "submitted").glob(f"*/{assignment}") if p.is_dir())
    if not students:
        console.print(f"No submissions of {assignment} in {root / 'submitted'}: nothing to grade.")
        return []
    todo = [s for s in students if force or not is_done(root, assignment, s)]
    table, everything = protections_table()
    if not everything:
        console.print(table)
        console.print("[bold red]Some protections are missing on this machine: see the table above.[/]")
        if bubblewrap() is None and course_config(root).HardenedExecute.get("require_sandbox", True):
            raise SystemExit(
                "Refusing to grade without the sandbox: install bubblewrap (make sandbox, or apt-get install "
                "bubblewrap), or set c.HardenedExecute.require_sandbox = False to grade unprotected."
            )
    staging = root / ".grading" / assignment
    staging.mkdir(parents=True, exist_ok=True)
    template = staging / "template.db"
    snapshot_gradebook(db_url, template)
    workers = workers or os.cpu_count() or 1
    console.print(
        f"grading {assignment}: {len(todo)} of {len(students)} submissions to grade "
        f"({len(students) - len(todo)} already done), {workers} workers"
    )
    jobs = {student: Job(root, staging, template, assignment, student) for student in todo}
    outcomes = _run_pool(jobs, workers, db_url, console)
    shutil.rmtree(staging, ignore_errors=True)
    _summarise(assignment, outcomes, console)
    return outcomes


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a clean server process that imports the grader once, not once per worker."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, "autograder.execute", "autograder.feedback", "scipy.stats"])
    return context


def _start_worker_server() -> None:
    _worker_context()
    multiprocessing.forkserver.ensure_running()


def _run_pool(jobs: dict[str, Job], workers: int, db_url: str, console: Console) -> list[Outcome]:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("failed {task.fields[failed]}"),
        TextColumn("{task.fields[rate]} /min"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    outcomes: list[Outcome] = []
    pending = list(jobs)
    attempts = dict.fromkeys(jobs, 0)
    started = time.monotonic()
    with Progress(*columns, console=console, refresh_per_second=2) as progress:
        task = progress.add_task("grading", total=len(jobs), failed=0, rate="-")
        while pending:
            with ProcessPoolExecutor(max_workers=workers, mp_context=_worker_context()) as pool:
                futures: dict[Future, str] = {pool.submit(grade_one, jobs[s]): s for s in pending}
                pending = []
                while futures:
                    done, _ = wait(futures, return_when=FIRST_COMPLETED)
                    for future in done:
                        student = futures.pop(future)
                        try:
                            outcome = future.result()
                        except BrokenProcessPool:
                            attempts[student] += 1
                            if attempts[student] < 3:
                                pending.append(student)
                                continue
                            outcome = Outcome(student, False, 0.0, ["its grading process died three times"])
                        except Exception as error:
                            outcome = Outcome(student, False, 0.0, [f"{type(error).__name__}: {error}"])
                        if outcome.success:
                            publish(jobs[student], outcome, db_url)
                        outcomes.append(outcome)
                        minutes = (time.monotonic() - started) / 60
                        progress.update(
                            task,
                            advance=1,
                            failed=sum(not o.success for o in outcomes),
                            rate=f"{len(outcomes) / minutes:.1f}",
                        )
    return outcomes


def _summarise(assignment: str, outcomes: list[Outcome], console: Console) -> None:
    graded = sum(o.success for o in outcomes)
    seconds = sum(o.seconds for o in outcomes)
    console.print(
        f"{assignment}: {graded} graded, {len(outcomes) - graded} failed"
        + (f", {seconds / max(len(outcomes), 1):.1f} s of work per submission" if outcomes else "")
    )
    notes = [(o.student, problem, o.success) for o in outcomes for problem in o.problems]
    if notes:
        table = Table(title=f"{assignment}: submissions that need a word", title_justify="left")
        table.add_column("student")
        table.add_column("what happened")
        for student, problem, success in notes:
            table.add_row(student, problem if success else f"[red]not graded:[/] {problem}")
        console.print(table)


def _ensure_venv_on_path() -> None:
    """nbgrader runs ``alembic`` as a subprocess when it creates a gradebook: it must be on PATH."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


_ensure_venv_on_path()
