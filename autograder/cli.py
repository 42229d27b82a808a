"""The ``course`` command: thin wrappers over the library, one subcommand per job.

Library code raises :class:`~autograder.errors.CourseError` with a message that
says what to do; only :func:`main` turns it into a red message and a non-zero
exit code. Every subcommand exits 0 only when everything asked was done.
"""

from __future__ import annotations

import argparse
import glob
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from autograder.errors import CourseError, NotACourse, UnknownAssignment
from autograder.terminal import untrusted

if TYPE_CHECKING:
    from autograder.batch import Outcome

EXIT_CODES = """exit codes: 0 everything was done; 1 something failed (a submission not recorded, solution
cells that differ); 2 wrong usage; 3 and up: nothing could be done, and the message says why (3 in general,
4 not a course folder, 5 no gradebook, 6 unknown assignment, 7 no sandbox, 8 nbgrader failed, 9 the
configuration cannot be loaded, 10 the gradebook's database cannot be reached, 11 a Dask scheduler's address
that is neither TLS nor this machine)"""


def _source(root: Path) -> Path:
    """The course's ``source/`` folder; raises :class:`NotACourse` if there is none."""
    if not (root / "source").is_dir():
        raise NotACourse(f"No source/ folder in {root}: run `course` in the course's folder, or pass --root")
    return root / "source"


def _sync(args: argparse.Namespace, console: Console) -> int:
    _source(args.root)
    from autograder.notebooks import sync_solutions  # each subcommand imports only what it needs: start-up

    drifted = sync_solutions(args.root, check=args.check)
    if args.check and drifted:
        console.print("[red]Solution cells differ from solutions/:[/] " + ", ".join(drifted))
        console.print("Run [bold]course sync-solutions[/] to rewrite them.")
        return 1
    verb = "would rewrite" if args.check else "rewrote"
    console.print(f"{verb} {len(drifted)} solution cells" if drifted else "solution cells match solutions/")
    return 0


def _release(args: argparse.Namespace, console: Console) -> int:
    from autograder.nbgrader_commands import generate_release

    source = _source(args.root)
    known = sorted(p.name for p in source.iterdir() if p.is_dir())
    unknown = sorted(set(args.assignments) - set(known))
    if unknown:
        raise UnknownAssignment(f"No folder in {source} for {', '.join(unknown)} (there are: {', '.join(known)})")
    assignments = args.assignments or known
    log = args.root / "release.log"
    log.write_text("")
    generate_release(args.root, assignments, log, config_file=args.config)
    console.print(f"released {', '.join(assignments)} into {args.root / 'release'} (log: {log})")
    return 0


def _demo(args: argparse.Namespace, console: Console) -> int:
    from autograder.demo import run_demo  # imports the sample class and scipy: not for `course grade`

    outcomes = run_demo(args.root, args.root / args.dir, console, args.assignments or None, args.only)
    return _failed(outcomes, "the demo", console)


def _has_submissions(root: Path, assignment: str) -> bool:
    """Whether any folder in ``root/submitted`` holds ``assignment`` (a cheap look, before the grader is imported)."""
    submitted = root / "submitted"
    return "/" not in assignment and submitted.is_dir() and any(submitted.glob(f"*/{glob.escape(assignment)}"))


def _grade(args: argparse.Namespace, console: Console) -> int:
    if args.scheduler is None and _has_submissions(args.root, args.assignment):
        from autograder import worker_server

        worker_server.start()  # it warms up on one core while this process imports the grader on the other
    from autograder.batch import course_config, grade_class
    from autograder.database import gradebook_url
    from autograder.gradebook import marks, render

    config = course_config(args.root, args.config)
    outcomes = grade_class(
        args.root,
        args.assignment,
        console,
        workers=args.workers,
        force=args.force,
        scheduler=args.scheduler,
        config=config,
        insecure_scheduler=args.insecure_scheduler,
        only=args.student,
    )
    console.print(render(args.assignment, marks(gradebook_url(config), args.assignment)))
    return _failed(outcomes, f"`course grade {args.assignment}`", console)


def _failed(outcomes: list[Outcome], rerun: str, console: Console) -> int:
    """1, after saying so, if any submission was not recorded; else 0."""
    failed = sorted(outcome.student for outcome in outcomes if not outcome.success)
    if not failed:
        return 0
    console.print(
        Text.assemble(
            (f"{len(failed)} submission(s) not recorded: ", "bold red"),
            untrusted(", ".join(failed), limit=2000),
            f". The summary above says why; run {rerun} again once that is fixed.",
        )
    )
    return 1


def _gradebook(args: argparse.Namespace, console: Console) -> int:
    from autograder.batch import assignment_notebooks, course_config
    from autograder.database import gradebook_url, require_gradebook
    from autograder.gradebook import marks, render

    db_url = args.db or gradebook_url(course_config(args.root, args.config))
    require_gradebook(db_url)
    assignment_notebooks(db_url, args.assignment)  # raises if the gradebook does not know it
    console.print(render(args.assignment, marks(db_url, args.assignment)))
    return 0


def _similarity(args: argparse.Namespace, console: Console) -> int:
    from autograder.batch import course_config
    from autograder.database import gradebook_url, require_gradebook

    db_url = args.db or gradebook_url(course_config(args.root, args.config))
    require_gradebook(db_url)
    from autograder.similarity import run_similarity  # imports matplotlib: not for `course grade`

    return run_similarity(args.root, args.assignment, db_url, args.root / args.out, console)


def _report(args: argparse.Namespace, console: Console) -> int:
    from autograder.batch import course_config

    config = course_config(args.root, args.config)
    if args.db:
        config.CourseDirectory.db_url = args.db
    from autograder.report import run_report  # reads notebooks and draws figures: not for `course grade`

    return run_report(args.root, args.assignment, config, args.root / args.out, console)


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return number


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``course``: run one subcommand; its exit code (see :data:`EXIT_CODES`)."""
    parser = argparse.ArgumentParser(
        prog="course", description="Tools of the MLE course, built on nbgrader.", epilog=EXIT_CODES
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the course repository (default: .)")
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="an nbgrader configuration file read in place of the Jupyter paths' nbgrader_config.py, as nbgrader's "
        "--JupyterApp.config_file (the course's own nbgrader_config.py is still read after it, and wins)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    sync = commands.add_parser("sync-solutions", help="write solutions/ into the source notebooks' solution cells")
    sync.add_argument("--check", action="store_true", help="only compare; exit 1 if a cell differs")
    sync.set_defaults(run=_sync)

    release = commands.add_parser("release", help="nbgrader generate_assignment for every assignment in source/")
    release.add_argument("assignments", nargs="*", help="assignments to release (default: all)")
    release.set_defaults(run=_release)

    demo = commands.add_parser("demo", help="build the release and grade the bundled sample class")
    demo.add_argument("--dir", default="demo", help="the demo course folder, inside the root (default: demo)")
    demo.add_argument("assignments", nargs="*", help="assignments to grade (default: all with a sample class)")
    demo.add_argument(
        "--only", nargs="+", metavar="STUDENT", help="grade only these sample learners (default: the whole class)"
    )
    demo.set_defaults(run=_demo)

    grade = commands.add_parser(
        "grade", help="autograde every submission of an assignment in parallel, sandboxed, with feedback"
    )
    grade.add_argument("assignment")
    grade.add_argument("--workers", type=_positive, default=None, help="parallel workers (default: one per core)")
    grade.add_argument("--force", action="store_true", help="grade again submissions already graded")
    grade.add_argument(
        "--student",
        action="append",
        metavar="ID",
        help="grade only this student's submission (repeat for more; default: every submission)",
    )
    grade.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="grade on a Dask cluster: its scheduler's address, tls://host:8786 with Dask's TLS settings, or "
        "tcp://127.0.0.1:8786 on this machine (default: grade here, without Dask)",
    )
    grade.add_argument(
        "--insecure-scheduler",
        action="store_true",
        help="allow a tcp:// scheduler on another machine: anyone who reaches its port can join as a worker, "
        "read the course and return any result (use only on a network that is the course's own)",
    )
    grade.set_defaults(run=_grade)

    book = commands.add_parser("gradebook", help="print marks per student and graded function")
    book.add_argument("assignment")
    book.add_argument("--db", default=None, help="nbgrader db_url (default: the course's, from nbgrader_config.py)")
    book.set_defaults(run=_gradebook)

    similar = commands.add_parser(
        "similarity", help="rank pairs of submissions whose solution code is unusually alike (CSV and HTML)"
    )
    similar.add_argument("assignment")
    similar.add_argument("--out", default="similarity", help="folder for the CSV and HTML (default: similarity)")
    similar.add_argument("--db", default=None, help="nbgrader db_url (default: the course's, from nbgrader_config.py)")
    similar.set_defaults(run=_similarity)

    report = commands.add_parser(
        "report",
        help="a class report of an assignment as one HTML page: marks, mistakes named, failed hidden checks, "
        "submissions not graded, written answers still to mark",
    )
    report.add_argument("assignment")
    report.add_argument("--out", default="reports", help="folder for the page (default: reports)")
    report.add_argument("--db", default=None, help="nbgrader db_url (default: the course's, from nbgrader_config.py)")
    report.set_defaults(run=_report)

    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    console = Console()
    if not console.is_terminal:  # logs and CI: wide enough for the gradebook's columns
        console = Console(width=220)
    try:
        return args.run(args, console)
    except CourseError as error:
        message = untrusted(error, limit=2000)
        message.stylize("bold red")
        Console(stderr=True, width=console.width).print(message, soft_wrap=True)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main())
