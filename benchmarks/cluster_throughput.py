"""``course grade`` on this machine against ``course grade --scheduler`` on a loopback Dask cluster, in one run.

    python benchmarks/cluster_throughput.py --copies 2 --workers 2 01_normal_mle

The same class (copies of every sample learner) is written into two fresh
course folders. One is graded by ``course grade --workers N`` (a local pool of
N processes); the other by ``course grade --scheduler`` against a scheduler and
N one-thread workers started on 127.0.0.1 for the run (without a nanny, as the
tests start them). The cluster is started before the clock starts, as a real
one would be running already; its workers are cold (the first task of each
imports the grader). Each side grades the class ``--rounds`` times in the
order local, cluster, cluster, local, ... so that a load that drifts during the
run weighs on both alike. Printed: submissions per minute for each, their ratio
(cluster / local), the seconds of work per submission each run reports, and the
bytes shipped per submission as ``course grade`` reports them. The load average
before and after is printed too: on a shared machine it moves the figures. A
benchmark, never a timed test.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from grading_throughput import write_class  # noqa: E402

from autograder.demo import prepare_course  # noqa: E402
from autograder.nbgrader_commands import generate_release, nbgrader_env  # noqa: E402
from tests.dask_cluster import start_cluster  # noqa: E402

SHIPPED = re.compile(r"shipped: .*")
WORK = re.compile(r"([\d.]+) s of work per submission")


def course_grade(course: Path, assignment: str, log: Path, *options: str) -> tuple[float, str]:
    """Seconds ``course grade`` took, and its output; raises if it did not record every submission."""
    command = [sys.executable, "-m", "autograder.cli", "grade", assignment, "--force", *options]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=course, env=nbgrader_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    with log.open("a") as sink:
        sink.write(done.stdout + done.stderr)
    if done.returncode != 0:
        raise RuntimeError(f"course grade {' '.join(options)} failed: see {log}")
    return seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=2, help="copies of each sample learner (default: 2)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="workers on each side")
    parser.add_argument("--rounds", type=int, default=1, help="pairs of runs per side, in ABBA order (default: 1)")
    parser.add_argument("assignments", nargs="*", default=["01_normal_mle"], help="default: 01_normal_mle")
    args = parser.parse_args()
    console = Console() if sys.stdout.isatty() else Console(width=160)
    console.print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    table = Table(title=f"course grade on {os.cpu_count()} cores, {args.workers} workers each side")
    for column in ("assignment", "submissions", "local s", "local /min", "cluster s", "cluster /min", "ratio"):
        table.add_column(column, justify="right")
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "benchmark.log"
        courses = {name: Path(scratch) / name for name in ("local", "cluster")}
        for course in courses.values():
            prepare_course(ROOT, course)
            generate_release(course, args.assignments, log)
        started = time.perf_counter()
        cluster = start_cluster(Path(scratch) / "dask", workers=args.workers)
        console.print(f"loopback cluster at {cluster.address}: {time.perf_counter() - started:.1f} s to start")
        try:
            for assignment in args.assignments:
                count = write_class(courses["local"], assignment, args.copies)
                write_class(courses["cluster"], assignment, args.copies)
                options = {"local": ["--workers", str(args.workers)], "cluster": ["--scheduler", cluster.address]}
                seconds = {"local": 0.0, "cluster": 0.0}
                output = ""
                for side in ["local", "cluster", "cluster", "local"] * args.rounds:
                    took, output_of_run = course_grade(courses[side], assignment, log, *options[side])
                    seconds[side] += took / (2 * args.rounds)
                    work = WORK.search(output_of_run)
                    console.print(f"  {side}: {took:.0f} s, {work.group(0) if work else '?'}")
                    output = output_of_run if side == "cluster" else output
                local_s, cluster_s = seconds["local"], seconds["cluster"]
                shipped = SHIPPED.search(output)
                table.add_row(
                    assignment,
                    str(count),
                    f"{local_s:.0f}",
                    f"{60 * count / local_s:.1f}",
                    f"{cluster_s:.0f}",
                    f"{60 * count / cluster_s:.1f}",
                    f"{local_s / cluster_s:.2f}",
                )
                console.print(f"{assignment}: {shipped.group(0) if shipped else 'no byte count reported'}")
        finally:
            cluster.stop()
    console.print(table)
    console.print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
