"""The ``course`` command: thin wrappers over the library, one subcommand per job."""

import argparse
import sys
from pathlib import Path

from rich.console import Console

from autograder.batch import grade_class, gradebook_url
from autograder.demo import generate_release, run_demo
from autograder.gradebook import marks, render
from autograder.notebooks import sync_solutions


def _sync(args: argparse.Namespace, console: Console) -> int:
    drifted = sync_solutions(args.root, check=args.check)
    if args.check and drifted:
        console.print("[red]Solution cells differ from solutions/:[/] " + ", ".join(drifted))
        console.print("Run [bold]course sync-solutions[/] to rewrite them.")
        return 1
    verb = "would rewrite" if args.check else "rewrote"
    console.print(f"{verb} {len(drifted)} solution cells" if drifted else "solution cells match solutions/")
    return 0


def _release(args: argparse.Namespace, console: Console) -> int:
    assignments = args.assignments or sorted(p.name for p in (args.root / "source").iterdir() if p.is_dir())
    log = args.root / "release.log"
    log.write_text("")
    generate_release(args.root, assignments, log)
    console.print(f"released {', '.join(assignments)} into {args.root / 'release'} (log: {log})")
    return 0


def _demo(args: argparse.Namespace, console: Console) -> int:
    run_demo(args.root, args.root / args.dir, console, args.assignments or None)
    return 0


def _grade(args: argparse.Namespace, console: Console) -> int:
    outcomes = grade_class(args.root, args.assignment, console, workers=args.workers, force=args.force)
    console.print(render(args.assignment, marks(gradebook_url(args.root), args.assignment)))
    return 0 if all(outcome.success for outcome in outcomes) else 1


def _gradebook(args: argparse.Namespace, console: Console) -> int:
    console.print(render(args.assignment, marks(args.db, args.assignment)))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``course``."""
    parser = argparse.ArgumentParser(prog="course", description="Tools of the MLE course, built on nbgrader.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the course repository (default: .)")
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
    demo.set_defaults(run=_demo)

    grade = commands.add_parser(
        "grade", help="autograde every submission of an assignment in parallel, sandboxed, with feedback"
    )
    grade.add_argument("assignment")
    grade.add_argument("--workers", type=int, default=None, help="parallel workers (default: one per core)")
    grade.add_argument("--force", action="store_true", help="grade again submissions already graded")
    grade.set_defaults(run=_grade)

    book = commands.add_parser("gradebook", help="print marks per student and graded function")
    book.add_argument("assignment")
    book.add_argument("--db", default="sqlite:///gradebook.db", help="nbgrader db_url (default: the course's)")
    book.set_defaults(run=_gradebook)

    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    console = Console()
    if not console.is_terminal:  # logs and CI: wide enough for the gradebook's columns
        console = Console(width=220)
    return args.run(args, console)


if __name__ == "__main__":
    sys.exit(main())
