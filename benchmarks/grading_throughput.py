"""Stock ``nbgrader autograde`` against ``course grade``, side by side on the same class.

    python benchmarks/grading_throughput.py --copies 3     # 3 copies of each sample learner: 40+ per assignment

For each assignment, copies of every sample learner (``<learner>_<k>``) are
written into two fresh course folders. One is graded the stock way, serially:
``nbgrader autograde`` with nbgrader's own Execute preprocessor, then
``nbgrader generate_feedback``; its hidden test cells run the same checks
inside the learner's kernel, as nbgrader's hidden tests do
(``autograder.hidden.check``), with nothing sandboxed. With ``--stock-without-checks``
the stock hidden cells only fail fast, which flatters stock. The other is graded by ``course grade``: the same work
(autograde and feedback) with every protection on (bubblewrap sandbox,
limits, hidden checks judged outside the kernel), one worker per core. The
script prints submissions per minute for each and their ratio, the peak
memory of the largest single process, and the peak memory the whole machine
used above what it used before grading. A benchmark, never a timed test.
"""

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.demo import prepare_course, sample_assignments  # noqa: E402
from autograder.nbgrader_commands import generate_release, nbgrader, nbgrader_env  # noqa: E402
from autograder.samples import write_submissions  # noqa: E402

STOCK = """
# The benchmark's stock column: nbgrader's own autograde steps (its Execute: hidden checks in the kernel).
from nbgrader.converters import Autograde
c.Autograde.autograde_preprocessors = Autograde().autograde_preprocessors
"""


class MemoryWatch:
    """Samples the machine's memory in use (MemTotal - MemAvailable) and keeps the peak above a baseline."""

    def __init__(self) -> None:
        self.baseline = self._in_use()
        self.peak = 0
        self._running = True
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    @staticmethod
    def _in_use() -> int:
        fields = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
        return (int(fields["MemTotal"].split()[0]) - int(fields["MemAvailable"].split()[0])) * 1024

    def _watch(self) -> None:
        while self._running:
            self.peak = max(self.peak, self._in_use() - self.baseline)
            time.sleep(0.2)

    def stop(self) -> int:
        self._running = False
        self._thread.join()
        return self.peak


HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n.*?### END HIDDEN TESTS\n", re.S)


def checks_in_the_kernel(course: Path) -> None:
    """Rewrite the stock course's hidden test cells to judge inside the kernel, the stock nbgrader way."""
    for path in (course / "source").glob("*/*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            found = re.search(r"record\((\w+)\)", cell.source)
            if found is None:
                continue
            name, part = (grade_id[: -len("_edge")], "edge") if grade_id.endswith("_edge") else (grade_id, "typical")
            body = f'from autograder.hidden import check\n\ncheck("{name}", {found.group(1)}, part="{part}")\n'
            cell.source = HIDDEN.sub(f"### BEGIN HIDDEN TESTS\n{body}### END HIDDEN TESTS\n", cell.source)
        nbformat.write(notebook, path)


def write_class(course: Path, assignment: str, copies: int) -> int:
    """``copies`` of every sample learner of ``assignment`` into ``course/submitted``; returns the count."""
    submitted = course / "submitted"
    learners = write_submissions(ROOT / "samples" / assignment, course / "release" / assignment, submitted)
    for learner in learners:
        for k in range(1, copies):
            shutil.copytree(submitted / learner / assignment, submitted / f"{learner}_{k}" / assignment)
    return len(learners) * copies


def stock(course: Path, assignment: str, log: Path) -> None:
    for command in ("autograde", "generate_feedback"):
        if nbgrader(command, assignment, "--force", cwd=course, log=log) != 0:
            raise RuntimeError(f"nbgrader {command} {assignment} failed: see {log}")


def hardened(course: Path, assignment: str, log: Path, workers: int | None) -> None:
    command = [sys.executable, "-m", "autograder.cli", "grade", assignment, "--force"]
    if workers:
        command += ["--workers", str(workers)]
    with log.open("a") as sink:
        done = subprocess.run(command, cwd=course, env=nbgrader_env(), stdout=sink, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        raise RuntimeError(f"course grade {assignment} failed: see {log}")


def timed(run, *args) -> tuple[float, int, int]:
    """Seconds, peak machine memory above baseline, and peak single-process memory of one run."""
    watch = MemoryWatch()
    start = time.perf_counter()
    run(*args)
    seconds = time.perf_counter() - start
    return seconds, watch.stop(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=3, help="copies of each sample learner (default: 3)")
    parser.add_argument("--workers", type=int, default=None, help="course grade workers (default: one per core)")
    parser.add_argument(
        "--stock-without-checks", action="store_true", help="stock hidden cells fail fast instead of checking"
    )
    parser.add_argument("assignments", nargs="*", help="assignments to grade (default: all with a sample class)")
    args = parser.parse_args()
    console = Console() if sys.stdout.isatty() else Console(width=140)
    assignments = args.assignments or sample_assignments(ROOT)
    table = Table(title=f"Grading throughput on {os.cpu_count()} cores, {args.copies} copies of each sample learner")
    columns = ("assignment", "submissions", "stock s", "stock /min", "course grade s", "course grade /min", "ratio")
    for column in columns:
        table.add_column(column, justify="right")
    totals = {"count": 0, "stock": 0.0, "hardened": 0.0}
    peaks = {"stock": (0, 0), "hardened": (0, 0)}
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "benchmark.log"
        courses = {name: Path(scratch) / name for name in ("stock", "hardened")}
        for name, course in courses.items():
            prepare_course(ROOT, course)
            if name == "stock":
                with (course / "nbgrader_config.py").open("a") as config:
                    config.write(STOCK)
                if not args.stock_without_checks:
                    checks_in_the_kernel(course)
            generate_release(course, assignments, log)
        for assignment in assignments:
            count = write_class(courses["stock"], assignment, args.copies)
            write_class(courses["hardened"], assignment, args.copies)
            stock_s, stock_mem, stock_rss = timed(stock, courses["stock"], assignment, log)
            hard_s, hard_mem, hard_rss = timed(hardened, courses["hardened"], assignment, log, args.workers)
            peaks = {
                "stock": (max(peaks["stock"][0], stock_mem), stock_rss),
                "hardened": (max(peaks["hardened"][0], hard_mem), hard_rss),
            }
            totals = {
                "count": totals["count"] + count,
                "stock": totals["stock"] + stock_s,
                "hardened": totals["hardened"] + hard_s,
            }
            table.add_row(*_row(assignment, count, stock_s, hard_s))
            console.print(f"{assignment}: {count} submissions, stock {stock_s:.0f} s, course grade {hard_s:.0f} s")
        table.add_row(*_row("all", totals["count"], totals["stock"], totals["hardened"]), style="bold")
    console.print(table)
    mib = 1024**2
    console.print(
        f"peak memory above baseline, whole machine: stock {peaks['stock'][0] / mib:.0f} MiB, "
        f"course grade {peaks['hardened'][0] / mib:.0f} MiB; largest single process: "
        f"{max(peaks['stock'][1], peaks['hardened'][1]) / mib:.0f} MiB"
    )


def _row(label: str, count: int, stock_s: float, hard_s: float) -> list[str]:
    return [
        label,
        str(count),
        f"{stock_s:.0f}",
        f"{60 * count / stock_s:.1f}",
        f"{hard_s:.0f}",
        f"{60 * count / hard_s:.1f}",
        f"{stock_s / hard_s:.2f}x",
    ]


if __name__ == "__main__":
    main()
