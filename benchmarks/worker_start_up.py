"""A grading worker's first submission against its second, without and with the warm-up (``autograder/warm_up.py``).

    python benchmarks/worker_start_up.py --rounds 2

Each round starts two fresh processes that import what ``course grade``'s
forkserver preloads (one of them also ``autograder.warm_up``, timed), then grade
two copies of the sample learner ``ada_correct`` in turn with ``grade_one``, as a
worker does. It prints each submission's wall time, the process's own CPU time
and its children's (the font cache's subprocess), so the first-use cost is the
first submission's excess over the second. A benchmark, never a timed test.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.demo import prepare_course  # noqa: E402
from autograder.nbgrader_commands import generate_release, nbgrader_env  # noqa: E402
from autograder.samples import write_submissions  # noqa: E402

ASSIGNMENT = "01_normal_mle"
STUDENTS = ("ada_correct", "ada_again")

WORKER = """
import resource, sys, time
from importlib import import_module
from pathlib import Path
for name in ("autograder.batch", "autograder.execute", "autograder.feedback", "scipy.stats"):
    import_module(name)
warm = ""
if sys.argv[2] == "warm":
    started = time.perf_counter()
    import_module("autograder.warm_up")
    warm = f"warm-up {time.perf_counter() - started:.2f} s; "
from autograder import batch, receipts
from autograder.database import gradebook_url, snapshot_gradebook
course = Path(sys.argv[1])
config = batch.course_config(course)
staging = course / ".grading" / sys.argv[3]
staging.mkdir(parents=True, exist_ok=True)
template = staging / batch.TEMPLATE
snapshot_gradebook(gradebook_url(config), template)
notebooks = batch.assignment_notebooks(gradebook_url(config), sys.argv[3])
due = receipts.due_date(f"sqlite:///{template}", sys.argv[3])
times = []
for student in sys.argv[4:]:
    job = batch.Job(course, staging, template, sys.argv[3], student, notebooks, batch.DEFAULT_BOUNDS, config, due)
    wall, cpu = time.perf_counter(), time.process_time()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert batch.grade_one(job).success
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    cpu = time.process_time() - cpu
    times.append(f"{time.perf_counter() - wall:.2f} s ({cpu:.2f} s CPU, children {children:.2f} s)")
print(f"{sys.argv[2]:>5}: {warm}first {times[0]}, second {times[1]}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="rounds of (cold, warm) processes (default: 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        course = Path(scratch) / "course"
        prepare_course(ROOT, course)
        generate_release(course, [ASSIGNMENT], Path(scratch) / "release.log")
        submitted = course / "submitted"
        write_submissions(ROOT / "samples" / ASSIGNMENT, course / "release" / ASSIGNMENT, submitted, [STUDENTS[0]])
        shutil.copytree(submitted / STUDENTS[0] / ASSIGNMENT, submitted / STUDENTS[1] / ASSIGNMENT)
        for _ in range(args.rounds):
            for mode in ("cold", "warm"):
                command = [sys.executable, "-c", WORKER, str(course), mode, ASSIGNMENT, *STUDENTS]
                done = subprocess.run(command, cwd=course, env=nbgrader_env(), capture_output=True, text=True)
                print(done.stdout.strip() or done.stderr.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
