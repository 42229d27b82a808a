"""A submission's time is not the learner's to write (autograder/receipts.py).

The oracle for every time is the clock of this test: files made between two
readings of it have their ctime between them, and the penalty of a submission
``h`` hours late is ``ceil(h)`` points (c.PenaltyPerHourLate.points_per_hour = 1),
worked out here by hand, never read from the code under test.
"""

from __future__ import annotations

import copy
import csv
import datetime
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.receipts import (
    Claim,
    Receipt,
    SubmissionTimes,
    due_date,
    ledger_file,
    read_claim,
    read_ledger,
    record_receipts,
    submission_time,
)
from tests.conftest import ROOT

ASSIGNMENT = "01_normal_mle"
DUE = datetime.datetime(2026, 11, 1, 12, 0, 0)
HOUR = datetime.timedelta(hours=1)
RECEIPT = Receipt(received=DUE + 5.5 * HOUR, collected=DUE + 6 * HOUR)
SETTINGS = SubmissionTimes()


def _utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


# --- deciding the time, from what the learner claims and what the grader saw -------------------------------------


@pytest.mark.parametrize(
    "claim",
    [
        Claim(DUE - 24 * HOUR),  # backdated by the learner after submitting
        Claim(None, "missing"),
        Claim(None, "unreadable"),  # "submitted a bit late, sorry"
        Claim(None, "empty"),
        Claim(RECEIPT.received + HOUR),  # later than the bytes arrived: not a time anyone's clock gave
    ],
)
def test_with_a_receipt_any_claim_it_does_not_bear_out_is_replaced_by_it_and_flagged(claim):
    decided = submission_time(claim, RECEIPT, due=DUE, arrived=None, settings=SETTINGS)
    assert decided.time == RECEIPT.received
    assert "the exchange received it at 2026-11-01 17:30:00 UTC" in " ".join(decided.notes)


def test_with_a_receipt_an_honest_claim_made_while_the_files_were_copied_is_kept():
    honest = RECEIPT.received - datetime.timedelta(seconds=5)
    decided = submission_time(Claim(honest), RECEIPT, due=DUE, arrived=None, settings=SETTINGS)
    assert (decided.time, decided.notes) == (honest, ())


def test_the_tolerance_bounds_how_early_a_believed_claim_may_be():
    tight = SubmissionTimes(tolerance_seconds=1)
    claim = Claim(RECEIPT.received - datetime.timedelta(seconds=5))
    assert submission_time(claim, RECEIPT, due=DUE, arrived=None, settings=tight).time == RECEIPT.received
    with pytest.raises(ValueError, match="tolerance_seconds must be a finite number >= 0"):
        SubmissionTimes(tolerance_seconds=-1)


def test_without_a_receipt_a_readable_claim_is_believed():
    decided = submission_time(Claim(DUE - HOUR), None, due=DUE, arrived=DUE + HOUR, settings=SETTINGS)
    assert (decided.time, decided.notes) == (DUE - HOUR, ())


@pytest.mark.parametrize("claim", [Claim(None, "missing"), Claim(None, "unreadable"), Claim(None, "empty")])
def test_without_any_trustworthy_time_a_submission_is_late_at_its_arrival_and_flagged(claim):
    arrived = DUE + 5.5 * HOUR
    decided = submission_time(claim, None, due=DUE, arrived=arrived, settings=SETTINGS)
    assert decided.time == arrived
    assert "no trustworthy submission time" in decided.notes[0] and "2026-11-01 17:30:00 UTC" in decided.notes[0]
    lenient = submission_time(claim, None, due=DUE, arrived=arrived, settings=SubmissionTimes(untrusted="on_time"))
    assert lenient.time is None
    assert "no trustworthy submission time" in lenient.notes[0] and "graded as on time" in lenient.notes[0]


def test_without_a_due_date_a_missing_time_needs_no_word():
    assert submission_time(Claim(None, "missing"), None, due=None, arrived=DUE, settings=SETTINGS).notes == ()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"2026-11-01 17:30:00.000000 UTC", Claim(DUE + 5.5 * HOUR)),
        (b"2026-11-01 18:30:00 Europe/Berlin", Claim(DUE + 5.5 * HOUR)),
        (b"submitted a bit late, sorry", Claim(None, "unreadable")),
        (b"2024-03-01 12:00:00 ../../../../proc/self/mem", Claim(None, "unreadable")),
        (b"\xff\xfe", Claim(None, "unreadable")),
        (b"  \n", Claim(None, "empty")),
        (b"9" * 101, Claim(None, "unreadable")),
    ],
)
def test_a_claim_is_read_as_nbgrader_would_and_never_through_a_link(tmp_path, data, expected):
    (tmp_path / "timestamp.txt").write_bytes(data)
    assert read_claim(tmp_path) == expected


def test_a_claim_that_is_a_link_or_absent_is_no_time(tmp_path):
    assert read_claim(tmp_path) == Claim(None, "missing")
    (tmp_path / "real.txt").write_text("2026-11-01 17:30:00 UTC")
    (tmp_path / "timestamp.txt").symlink_to(tmp_path / "real.txt")
    assert read_claim(tmp_path) == Claim(None, "unreadable")


# --- the ledger --------------------------------------------------------------------------------------------------


def test_the_ledger_keeps_each_students_latest_receipt_and_refuses_what_is_not_its_shape(tmp_path):
    record_receipts(tmp_path, ASSIGNMENT, {"ada": RECEIPT, "bob": RECEIPT})
    later = Receipt(RECEIPT.received + HOUR, RECEIPT.collected + HOUR)
    record_receipts(tmp_path, ASSIGNMENT, {"bob": later})
    assert read_ledger(tmp_path, ASSIGNMENT) == {"ada": RECEIPT, "bob": later}
    path = ledger_file(tmp_path, ASSIGNMENT)
    assert not path.is_relative_to(tmp_path / "submitted")
    for junk in (b"[1, 2]", b"{", b'{"ada": {"received": 5, "collected": "x"}}', b"[" * 100_000):
        path.write_bytes(junk)
        assert read_ledger(tmp_path, ASSIGNMENT) == {}
    path.unlink()
    path.symlink_to(tmp_path / "elsewhere.json")
    assert read_ledger(tmp_path, ASSIGNMENT) == {}


def _course_for_collect(where: Path, exchange: Path, due: datetime.datetime) -> Path:
    course = where / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        'c.CourseDirectory.course_id = "mle-course"\n'
        'c.ExchangeFactory.collect = "autograder.receipts.ReceiptCollect"\n'
    )
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "mle-course") as gradebook:
        gradebook.add_assignment(ASSIGNMENT, duedate=due)
    return course


def _inbound(exchange: Path, student: str, claimed: str | None, folder_time: str) -> None:
    """What ``nbgrader submit`` leaves in the exchange (the folder name and timestamp.txt are the learner's)."""
    folder = exchange / "mle-course" / "inbound" / f"{student}+{ASSIGNMENT}+{folder_time}+abc123"
    folder.mkdir(parents=True)
    (folder / "normal_mle.ipynb").write_text("{}")
    if claimed is not None:
        (folder / "timestamp.txt").write_text(claimed)


def _collect(course: Path, *options: str) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(ROOT), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    command = [sys.executable, "-m", "nbgrader", "collect", ASSIGNMENT, *options]
    return subprocess.run(command, cwd=course, env=env, capture_output=True, text=True, timeout=300)


def test_nbgrader_collect_records_when_the_exchange_received_each_submission_whatever_it_claims(tmp_path):
    exchange = tmp_path / "exchange"
    course = _course_for_collect(tmp_path, exchange, DUE)
    before = _utc_now()
    _inbound(exchange, "honest", f"{before:%Y-%m-%d %H:%M:%S.%f} UTC", f"{before:%Y-%m-%d %H:%M:%S.%f} UTC")
    _inbound(exchange, "backdated", "2020-01-01 00:00:00 UTC", "2020-01-01 00:00:00.000000 UTC")
    _inbound(exchange, "garbage", "submitted a bit late, sorry", f"{before:%Y-%m-%d %H:%M:%S.%f} UTC")
    after = _utc_now()
    done = _collect(course)
    assert done.returncode == 0, done.stderr
    assert (course / "submitted" / "backdated" / ASSIGNMENT / "normal_mle.ipynb").exists()
    receipts = read_ledger(course, ASSIGNMENT)
    assert sorted(receipts) == ["backdated", "garbage", "honest"]
    slack = datetime.timedelta(seconds=1)  # ctime comes from the kernel's coarse clock
    for receipt in receipts.values():
        assert before - slack <= receipt.received <= after + slack
        assert receipt.received <= receipt.collected <= _utc_now() + slack


def test_a_submission_touched_after_submitting_is_received_when_it_was_touched(tmp_path):
    """A learner who owns the inbound copy can edit it after the due date: its ctime, hence the receipt, moves."""
    exchange = tmp_path / "exchange"
    course = _course_for_collect(tmp_path, exchange, DUE)
    _inbound(exchange, "editor", "2020-01-01 00:00:00 UTC", "2020-01-01 00:00:00.000000 UTC")
    time.sleep(1.1)
    edited = _utc_now()
    (inbound,) = (exchange / "mle-course" / "inbound").iterdir()
    os.utime(inbound / "normal_mle.ipynb", (0, 0))  # mtime set back to 1970: ctime moves to now all the same
    done = _collect(course)
    assert done.returncode == 0, done.stderr
    assert read_ledger(course, ASSIGNMENT)["editor"].received >= edited - datetime.timedelta(seconds=0.1)


def test_the_course_configuration_collects_with_receipts():
    from traitlets.config import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    assert config.ExchangeFactory.collect == "autograder.receipts.ReceiptCollect"


# --- grading with receipts: course grade, stock nbgrader autograde and the Canvas export agree -------------------

#: (student, claimed timestamp.txt: None for none, hours after the due date the exchange received it: None for no
#: receipt). Everyone submits ada_correct's notebook (12 points).
LEARNERS = [
    ("ada_correct", "honest", -1.0),  # on time: nothing off
    ("late_honest", "honest", 5.5),
    ("late_garbage", "submitted a bit late, sorry", 5.5),
    ("late_missing", None, 5.5),
    ("late_backdated", "a day early", 5.5),
    ("hand_copied_missing", None, None),  # no receipt, no timestamp.txt: late at its arrival in submitted/
]
FULL_MARKS = 12.0


def _penalty(hours_late: float) -> float:
    return min(FULL_MARKS, float(math.ceil(hours_late))) if hours_late > 0 else 0.0


@pytest.fixture(scope="module")
def late_class(tmp_path_factory):
    """A course whose due date was 5.5 hours ago, the learners above, its receipts; and a copy for stock nbgrader."""
    from tests.attack_class import build_course, submit_notebook, submitted_notebook

    where = tmp_path_factory.mktemp("times")
    course = build_course(where, honest=("ada_correct",))
    due = _utc_now().replace(microsecond=0) - 5.5 * HOUR
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        gradebook.update_or_create_assignment(ASSIGNMENT, duedate=due)
    ada = submitted_notebook(course, "ada_correct")
    receipts, expected = {}, {}
    for student, claim, hours in LEARNERS:
        folder = submit_notebook(course, student, copy.deepcopy(ada))
        received = due + hours * HOUR if hours is not None else None
        honest = (received or due) - datetime.timedelta(seconds=20)  # nbgrader submit stamps, then copies
        words = {"honest": f"{honest} UTC", "a day early": f"{due - 24 * HOUR} UTC"}
        if claim is not None:
            (folder / "timestamp.txt").write_text(words.get(claim, claim))
        if received is not None:
            receipts[student] = Receipt(received, received + datetime.timedelta(minutes=1))
        expected[student] = _penalty(hours if hours is not None else (_utc_now() - due) / HOUR)
    record_receipts(course, ASSIGNMENT, receipts)
    stock = where / "stock"
    shutil.copytree(course, stock, symlinks=True)
    return course, stock, expected


@pytest.mark.slow
def test_course_grade_charges_every_late_learner_the_honest_penalty_and_says_why(late_class):
    from tests.attack_class import grade

    course, _, expected = late_class
    graded = grade(course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student, penalty in expected.items():
            submission = gradebook.find_submission(ASSIGNMENT, student)
            assert submission.score == FULL_MARKS, student
            assert (submission.late_submission_penalty or 0.0) == penalty, student
    problems = {student: " ".join(outcome.problems) for student, outcome in graded.outcomes.items()}
    for student in ("late_garbage", "late_missing", "late_backdated"):
        assert "the exchange received it at" in problems[student], problems[student]
    assert "no trustworthy submission time" in problems["hand_copied_missing"]
    assert problems["ada_correct"] == problems["late_honest"] == ""
    assert "no trustworthy submission time" in graded.printed

    target = course / "canvas.csv"
    env = os.environ | {"PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "export", f"--to={target}"],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    with target.open(newline="", encoding="utf-8") as handle:
        header, _, *rows = csv.reader(handle)  # the columns, then Canvas's "Points Possible" row
    column, by_login = header.index(ASSIGNMENT), {row[header.index("SIS Login ID")]: row for row in rows}
    for student, penalty in expected.items():
        assert float(by_login[student][column]) == FULL_MARKS - penalty, student


@pytest.mark.slow
def test_stock_nbgrader_autograde_charges_the_same_penalties(late_class):
    from autograder.nbgrader_commands import nbgrader

    _, stock, expected = late_class
    code = nbgrader("autograde", ASSIGNMENT, cwd=stock, log=stock.parent / "stock-autograde.log")
    log = (stock.parent / "stock-autograde.log").read_text()
    assert code == 0, log[-3000:]
    with Gradebook(f"sqlite:///{stock / 'gradebook.db'}") as gradebook:
        for student, penalty in expected.items():
            submission = gradebook.find_submission(ASSIGNMENT, student)
            assert submission.score == FULL_MARKS, student
            assert (submission.late_submission_penalty or 0.0) == penalty, student
    assert "no trustworthy submission time" in log and "the exchange received it at" in log


def test_a_cluster_worker_grades_the_copy_with_the_trusted_time(tmp_path):
    """Workers never see the course's ledger: the submission they receive already says the receipt's time."""
    from traitlets.config import Config

    from autograder.batch import Job
    from autograder.cluster import submission_task
    from autograder.transport import ArchiveLimits, unpack

    root = tmp_path / "course"
    folder = root / "submitted" / "ada" / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / "normal_mle.ipynb").write_text("{}")
    (folder / "timestamp.txt").write_text(f"{DUE - 24 * HOUR} UTC")  # backdated
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        gradebook.add_assignment(ASSIGNMENT, duedate=DUE)
    record_receipts(root, ASSIGNMENT, {"ada": RECEIPT})
    job = Job(
        root,
        tmp_path / "staging",
        root / "gradebook.db",
        ASSIGNMENT,
        "ada",
        ("normal_mle.ipynb",),
        config=Config(),
        due=due_date(f"sqlite:///{root / 'gradebook.db'}", ASSIGNMENT),
    )
    task, notes, _ = submission_task(job)
    (tmp_path / "worker").mkdir()
    unpack(task.submission, tmp_path / "worker", ["submission"], ArchiveLimits(members=100, total_bytes=2**20))
    assert read_claim(tmp_path / "worker" / "submission") == Claim(RECEIPT.received)
    assert any("the exchange received it at 2026-11-01 17:30:00 UTC" in note for note in notes)
    assert read_claim(folder) == Claim(DUE - 24 * HOUR)  # the course's own folder is left as submitted
