"""The demo course: generate the release with nbgrader, grade the bundled sample class with ``course grade``.

It lives in its own folder (``demo/`` by default) with its own gradebook, so
it never touches an instructor's real ``gradebook.db`` or ``submitted/``.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from autograder.batch import grade_class
from autograder.gradebook import marks, render
from autograder.samples import write_submissions


def nbgrader_env() -> dict[str, str]:
    """The environment for nbgrader subprocesses: this venv's bin first (nbgrader runs alembic)."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def nbgrader(*args: str, cwd: Path, log: Path, on_line=None) -> int:
    """Run a stock nbgrader command in ``cwd``, appending its output to ``log``."""
    with log.open("a") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "nbgrader", *args],
            cwd=cwd,
            env=nbgrader_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdout is not None
        for line in process.stdout:
            sink.write(line)
            if on_line is not None:
                on_line(line)
        return process.wait()


def generate_release(root: Path, assignments: list[str], log: Path) -> None:
    """``nbgrader generate_assignment --force`` for each assignment, from ``root``."""
    for assignment in assignments:
        if nbgrader("generate_assignment", assignment, "--force", cwd=root, log=log) != 0:
            raise RuntimeError(f"nbgrader generate_assignment {assignment} failed: see {log}")


def sample_assignments(root: Path) -> list[str]:
    """Assignments that have both a source folder and a sample class."""
    return sorted(p.name for p in (root / "samples").iterdir() if p.is_dir() and (root / "source" / p.name).is_dir())


def prepare_course(root: Path, course: Path) -> None:
    """A fresh course folder holding the configuration and source notebooks of ``root``."""
    if course.exists():
        shutil.rmtree(course)
    course.mkdir(parents=True)
    shutil.copy(root / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(root / "source", course / "source", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))


def run_demo(root: Path, course: Path, console: Console, assignments: list[str] | None = None) -> dict[str, dict]:
    """Build the release, grade every sample learner with ``nbgrader autograde``, print the gradebook."""
    log = course.parent / f"{course.name}.log"
    assignments = assignments or sample_assignments(root)
    console.print(f"[bold]1.[/] nbgrader generate_assignment {' '.join(assignments)}  (in {course}, log: {log})")
    log.write_text("")
    prepare_course(root, course)
    generate_release(course, assignments, log)
    results = {}
    for assignment in assignments:
        students = write_submissions(
            root / "samples" / assignment, course / "release" / assignment, course / "submitted"
        )
        console.print(f"[bold]2.[/] course grade {assignment}: {len(students)} sample submissions")
        grade_class(course, assignment, console)
        results[assignment] = marks(f"sqlite:///{course / 'gradebook.db'}", assignment)
        console.print(render(assignment, results[assignment]))
        console.print(f"Feedback for each learner: {course / 'feedback'}/<student>/{assignment}/")
    return results
