"""When a submission was handed in: a time the learner cannot write, kept by the grader.

nbgrader takes a submission's time from its ``timestamp.txt``, a file the learner
writes: ``nbgrader submit`` runs as the student and writes it into the exchange's
inbound folder, which the student owns, and the folder's name (which
``nbgrader collect`` sorts by) is the student's too. So a learner can backdate the
file, delete it or fill it with text, and stock nbgrader then counts the
submission as on time. What the learner cannot set backwards is an inode's
change time (ctime): every write, rename, link or chmod of their files moves it
to the present. So:

- :class:`ReceiptCollect` (``c.ExchangeFactory.collect``) is nbgrader's own
  collect step that, for each submission it copies into ``submitted/``, records a
  receipt in a ledger of the grader's own, outside ``submitted/``
  (``.grading/.receipts/<assignment>.json``): the newest ctime of the inbound
  folder and everything in it (when the bytes that are graded last changed in
  the exchange) and the time of the collect.
- :func:`submission_time` decides the time to grade with. With a receipt, it is
  the receipt's; a ``timestamp.txt`` no more than ``c.SubmissionTimes.tolerance_seconds``
  before it is kept (the learner's clock, while the files were still being
  copied), any other, a missing or an unreadable one is flagged and replaced.
  Without a receipt (submissions put into ``submitted/`` by hand) a readable
  ``timestamp.txt`` is believed, since it is only as trustworthy as whoever
  copied it; when there is none and the assignment has a due date, the
  submission has no trustworthy time and gets ``c.SubmissionTimes.untrusted``:
  by default the time its files reached ``submitted/`` (their newest ctime), so
  it never counts as on time by losing its file.
- :func:`settle` writes the decided time into the ``timestamp.txt`` nbgrader is
  about to read: ``course grade`` into its private staged copy, stock
  ``nbgrader autograde`` (through :mod:`autograder.stock`'s screening) into a
  copy that replaces the submitted folder, the folder as submitted set aside.
  nbgrader's ``AssignLatePenalties`` then sees the trusted time.
"""

from __future__ import annotations

import datetime
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.utils import parse_utc
from traitlets import Enum, Float, validate
from traitlets.config import Configurable

from autograder.folders import regular_file_bytes
from autograder.ledger_files import read_json, write_json

#: Largest ledger read back: 10 000 students at about 150 bytes each fit many times over.
MAX_LEDGER_BYTES = 16 * 1024**2
#: Entries of an inbound folder looked at for its newest ctime; beyond, the collect time stands in.
MAX_INBOUND_ENTRIES = 20_000
#: What nbgrader writes in timestamp.txt; a time zone name holds no dot, so no path either.
_TIMESTAMP = re.compile(
    r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?( [A-Za-z][A-Za-z0-9_+-]{0,30}(/[A-Za-z0-9_+-]{1,30})?)?"
)
#: How the grader writes a time into timestamp.txt: nbgrader's own exchange format, always UTC.
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"


class SubmissionTimes(Configurable):
    """How a submission's time is decided when the learner's ``timestamp.txt`` cannot be believed."""

    untrusted = Enum(
        ["collected", "on_time"],
        default_value="collected",
        help="Time given to a submission with no trustworthy time (no receipt from ReceiptCollect and no readable "
        "timestamp.txt) when its assignment has a due date: 'collected', when its files reached submitted/ "
        "(their newest ctime), or 'on_time', no time and so no penalty. The summary names it either way.",
    ).tag(config=True)
    tolerance_seconds = Float(
        120.0,
        help="How long before the exchange's receipt a timestamp.txt may say the submission was made and still be "
        "believed (nbgrader submit stamps its start; copying takes time). Any other time is flagged and replaced.",
    ).tag(config=True)

    @validate("tolerance_seconds")
    def _finite_non_negative(self, proposal: dict) -> float:
        value = proposal["value"]
        if not (0 <= value < float("inf")):
            raise ValueError(f"tolerance_seconds must be a finite number >= 0, got {value}")
        return value


@dataclass(frozen=True)
class Receipt:
    """When the exchange held the bytes that were collected (newest ctime) and when they were collected (UTC)."""

    received: datetime.datetime
    collected: datetime.datetime


@dataclass(frozen=True)
class Claim:
    """What a ``timestamp.txt`` says: a time, or why there is none (``missing``, ``empty``, ``unreadable``)."""

    time: datetime.datetime | None
    problem: str = ""

    @property
    def words(self) -> str:
        """The claim in the words of a summary."""
        if self.time is not None:
            return f"timestamp.txt says {shown_time(self.time)}"
        return {
            "missing": "there is no timestamp.txt",
            "empty": "timestamp.txt is empty",
        }.get(self.problem, "timestamp.txt does not hold a time nbgrader can read")


@dataclass(frozen=True)
class SubmissionTime:
    """The time a submission is graded as made (naive UTC; None: no time, so never late) and why, if it needs a word."""

    time: datetime.datetime | None
    notes: tuple[str, ...] = ()


def shown_time(time: datetime.datetime) -> str:
    """A naive UTC time as a summary prints it, to the second."""
    return f"{time:%Y-%m-%d %H:%M:%S} UTC"


def _utc(seconds: float) -> datetime.datetime:
    """A POSIX time as nbgrader keeps times: naive UTC."""
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC).replace(tzinfo=None)


def read_claim(folder: Path) -> Claim:
    """What ``folder``'s ``timestamp.txt`` says, read as a regular file of at most 100 bytes, never through a link."""
    try:
        data = regular_file_bytes(folder / "timestamp.txt", 100)
    except FileNotFoundError:
        return Claim(None, "missing")
    except (OSError, ValueError):
        return Claim(None, "unreadable")
    try:
        text = data.decode("ascii").strip()
        if not text:
            return Claim(None, "empty")
        if _TIMESTAMP.fullmatch(text):
            return Claim(parse_utc(text))
    except (ValueError, OverflowError):
        pass
    return Claim(None, "unreadable")


def newest_ctime(folder: Path, max_entries: int = MAX_INBOUND_ENTRIES) -> datetime.datetime | None:
    """The newest change time of ``folder`` and everything below it, never following a link.

    None if ``folder`` cannot be read or holds more than ``max_entries`` entries
    (the caller then has a later time of its own to use).
    """
    try:
        newest = os.lstat(folder).st_ctime
    except OSError:
        return None
    pending, seen = [folder], 0
    try:
        while pending:
            with os.scandir(pending.pop()) as listing:
                for entry in listing:
                    seen += 1
                    if seen > max_entries:
                        return None
                    info = entry.stat(follow_symlinks=False)
                    newest = max(newest, info.st_ctime)
                    if stat.S_ISDIR(info.st_mode):
                        pending.append(Path(entry.path))
    except OSError:
        return None
    return _utc(newest)


def ledger_file(root: Path, assignment: str) -> Path:
    """Where the receipts of ``assignment`` are kept in the course ``root`` (no assignment name starts with a dot)."""
    return root / ".grading" / ".receipts" / f"{assignment}.json"


def _time(value: Any) -> datetime.datetime | None:
    """A time the ledger wrote (ISO 8601, naive UTC), else None."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        time = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return time if time.tzinfo is None else None


def read_ledger(root: Path, assignment: str) -> dict[str, Receipt]:
    """The receipts of ``assignment`` by student; empty if there is no ledger or it is not the grader's shape.

    Read as any file of a course folder: a regular file within a size bound, never through a link, plain data.
    """
    entries = read_json(ledger_file(root, assignment), MAX_LEDGER_BYTES)
    receipts = {}
    for student, entry in entries.items() if isinstance(entries, dict) else ():
        if isinstance(student, str) and isinstance(entry, dict):
            received, collected = _time(entry.get("received")), _time(entry.get("collected"))
            if received is not None and collected is not None:
                receipts[student] = Receipt(received, collected)
    return receipts


def record_receipts(root: Path, assignment: str, receipts: Mapping[str, Receipt]) -> None:
    """Add ``receipts`` to the ledger of ``assignment``, replacing earlier ones of the same students, atomically."""
    path = ledger_file(root, assignment)
    entries = {
        student: {"received": r.received.isoformat(), "collected": r.collected.isoformat()}
        for student, r in {**read_ledger(root, assignment), **receipts}.items()
    }
    write_json(path, entries)


class ReceiptCollect(ExchangeCollect):
    """nbgrader's ``collect`` that records when each collected submission reached the exchange.

    Set ``c.ExchangeFactory.collect = "autograder.receipts.ReceiptCollect"``. For each
    submission it copies into ``submitted/``, the receipt is the newest ctime of
    its inbound folder and all in it (taken before the copy; the collect time if
    the folder is too big to walk), written to :func:`ledger_file` in the course
    folder. A submission nbgrader does not copy (already collected, no ``--update``)
    keeps its earlier receipt, as it keeps its earlier files.
    """

    def do_copy(self, src: str, dest: str, log: Any = None) -> None:
        collected = _utc(datetime.datetime.now(datetime.UTC).timestamp())
        received = newest_ctime(Path(src)) or collected
        super().do_copy(src, dest, log)
        student = self._path_to_record(src)["username"]
        receipt = Receipt(min(received, collected), collected)
        record_receipts(Path(self.coursedir.root), self.coursedir.assignment_id, {student: receipt})
        self.log.info("Receipt of %s: received by the exchange at %s", student, shown_time(receipt.received))


def due_date(db_url: str, assignment: str) -> datetime.datetime | None:
    """The due date of ``assignment`` in the gradebook (naive UTC), None if it has none or is unknown."""
    with Gradebook(db_url) as gradebook:
        try:
            return gradebook.find_assignment(assignment).duedate
        except MissingEntry:
            return None


def submission_time(
    claim: Claim,
    receipt: Receipt | None,
    *,
    due: datetime.datetime | None,
    arrived: datetime.datetime | None,
    settings: SubmissionTimes,
) -> SubmissionTime:
    """The time to grade a submission as made, from what the learner claims and what the grader saw.

    ``receipt`` is the exchange's (see :class:`ReceiptCollect`); ``arrived`` is
    when its files reached ``submitted/`` (their newest ctime), used only when
    there is no trustworthy time and ``settings.untrusted`` is ``"collected"``.
    """
    if receipt is not None:
        tolerance = datetime.timedelta(seconds=settings.tolerance_seconds)
        if claim.time is not None and receipt.received - tolerance <= claim.time <= receipt.received:
            return SubmissionTime(claim.time)
        note = (
            f"{claim.words}, but the exchange received it at {shown_time(receipt.received)}: graded as submitted then"
        )
        return SubmissionTime(receipt.received, (note,))
    if claim.time is not None or due is None:
        ignored = (f"{claim.words}: ignored",) if claim.problem == "unreadable" else ()
        return SubmissionTime(claim.time, ignored)
    why = f"no trustworthy submission time ({claim.words} and the exchange's collect left no receipt)"
    if settings.untrusted == "on_time":
        return SubmissionTime(None, (f"{why}: graded as on time (c.SubmissionTimes.untrusted = 'on_time')",))
    time = arrived or _utc(datetime.datetime.now(datetime.UTC).timestamp())
    note = f"{why}: graded as submitted when its files reached submitted/, {shown_time(time)}"
    return SubmissionTime(time, (note,))


def write_timestamp(folder: Path, time: datetime.datetime | None) -> None:
    """Make ``folder``'s ``timestamp.txt`` say ``time`` as nbgrader writes it (None: remove it)."""
    path = folder / "timestamp.txt"
    if os.path.lexists(path):
        path.unlink()
    if time is not None:
        path.write_text(time.strftime(TIMESTAMP_FORMAT), encoding="ascii")


def decide(
    root: Path, assignment: str, student: str, folder: Path, *, due: datetime.datetime | None, config: Any = None
) -> tuple[SubmissionTime, bool]:
    """The time to grade ``folder`` (a copy of ``submitted/<student>/<assignment>`` or that folder itself) with.

    Returns it, and whether ``folder``'s ``timestamp.txt`` must change to say it.
    The receipt comes from the ledger in the course ``root``; the time the files
    reached ``submitted/``, from that folder in ``root``.
    """
    claim = read_claim(folder)
    receipt = read_ledger(root, assignment).get(student)
    arrived = newest_ctime(root / "submitted" / student / assignment)
    decided = submission_time(claim, receipt, due=due, arrived=arrived, settings=SubmissionTimes(config=config))
    return decided, decided.time != claim.time or claim.problem == "unreadable"


def settle(
    root: Path, assignment: str, student: str, folder: Path, *, due: datetime.datetime | None, config: Any = None
) -> SubmissionTime:
    """:func:`decide`, then write the decided time into ``folder``'s ``timestamp.txt`` (a folder the grader owns)."""
    decided, changes = decide(root, assignment, student, folder, due=due, config=config)
    if changes:
        write_timestamp(folder, decided.time)
    return decided
