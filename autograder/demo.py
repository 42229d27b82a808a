"""The demo course: generate the release with nbgrader, grade the bundled sample class with ``course grade``.

It lives in its own folder (``demo/`` by default) with its own gradebook, so
it never touches an instructor's real ``gradebook.db`` or ``submitted/``.
"""

import shutil
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from autograder.batch import Outcome, course_config, grade_class
from autograder.database import gradebook_url
from autograder.errors import CourseError, NotACourse, UnknownAssignment
from autograder.gradebook import marks, render
from autograder.nbgrader_commands import generate_release
from autograder.samples import write_submissions


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


def run_demo(
    root: Path,
    course: Path,
    console: Console,
    assignments: list[str] | None = None,
    only: Sequence[str] | None = None,
) -> list[Outcome]:
    """Build the release, grade every sample learner (or those named in ``only``) with ``course grade``, print
    the gradebook.

    Returns every submission's outcome, so the caller can tell whether all were recorded.
    """
    root, course = root.resolve(), course.resolve()
    if root.is_relative_to(course):
        raise CourseError(f"The demo folder {course} holds the course itself, and the demo starts afresh: pick another")
    if not (root / "samples").is_dir():
        raise NotACourse(f"No samples/ in {root}: run `course demo` in the course repository, or pass --root")
    known = sample_assignments(root)
    unknown = sorted(set(assignments or ()) - set(known))
    if unknown:
        raise UnknownAssignment(f"No sample class for {', '.join(unknown)}: the demo grades {', '.join(known)}")
    assignments = assignments or known
    strangers = sorted(set(only or ()) - {p.stem for a in assignments for p in (root / "samples" / a).glob("*.py")})
    if strangers:
        raise CourseError(f"No sample learner {', '.join(strangers)} in {', '.join(assignments)}: check --only")
    log = course.parent / f"{course.name}.log"
    console.print(f"[bold]1.[/] nbgrader generate_assignment {' '.join(assignments)}  (in {course}, log: {log})")
    log.write_text("")
    prepare_course(root, course)
    generate_release(course, assignments, log)
    outcomes = []
    for assignment in assignments:
        students = write_submissions(
            root / "samples" / assignment, course / "release" / assignment, course / "submitted", only
        )
        console.print(f"[bold]2.[/] course grade {assignment}: {len(students)} sample submissions")
        config = course_config(course)
        outcomes += grade_class(course, assignment, console, config=config)
        console.print(render(assignment, marks(gradebook_url(config), assignment)))
        console.print(f"Feedback for each learner: {course / 'feedback'}/<student>/{assignment}/")
    return outcomes
