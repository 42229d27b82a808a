"""Grading throughput of stock ``nbgrader autograde`` on the bundled sample class.

    python benchmarks/grading_throughput.py --copies 3          # 3 x 72 = 216 submissions

Copies of every sample learner (``<learner>_<k>``) are graded per assignment
in a fresh course folder; the script prints submissions per minute and the
peak memory of the largest grading process. It is the baseline that the
hardened parallel grader of the hardening issue is to be compared with, side
by side in one run; it is a benchmark, never a timed test.
"""

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.demo import generate_release, nbgrader, prepare_course, sample_assignments  # noqa: E402
from autograder.samples import write_submissions  # noqa: E402


def stock_autograde(course: Path, assignment: str, copies: int, log: Path) -> int:
    """Write ``copies`` of the sample class into ``course`` and grade them; returns the submission count."""
    release = course / "release" / assignment
    submitted = course / "submitted"
    learners = write_submissions(ROOT / "samples" / assignment, release, submitted)
    for learner in learners:
        for k in range(1, copies):
            shutil.copytree(submitted / learner, submitted / f"{learner}_{k}")
    if nbgrader("autograde", assignment, "--force", cwd=course, log=log) != 0:
        raise RuntimeError(f"nbgrader autograde {assignment} failed: see {log}")
    return len(learners) * copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1, help="copies of each sample learner (default: 1)")
    parser.add_argument("assignments", nargs="*", help="assignments to grade (default: all with a sample class)")
    args = parser.parse_args()
    console = Console()
    table = Table(title=f"Stock nbgrader autograde, {args.copies} cop{'y' if args.copies == 1 else 'ies'} per learner")
    for column in ("assignment", "submissions", "seconds", "submissions / min"):
        table.add_column(column, justify="right")
    with tempfile.TemporaryDirectory() as scratch:
        course = Path(scratch) / "course"
        log = Path(scratch) / "benchmark.log"
        prepare_course(ROOT, course)
        assignments = args.assignments or sample_assignments(ROOT)
        generate_release(course, assignments, log)
        total, elapsed = 0, 0.0
        for assignment in assignments:
            start = time.perf_counter()
            count = stock_autograde(course, assignment, args.copies, log)
            seconds = time.perf_counter() - start
            total, elapsed = total + count, elapsed + seconds
            table.add_row(assignment, str(count), f"{seconds:.1f}", f"{60 * count / seconds:.1f}")
        table.add_row("all", str(total), f"{elapsed:.1f}", f"{60 * total / elapsed:.1f}", style="bold")
    console.print(table)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    console.print(f"peak memory of the largest grading process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
