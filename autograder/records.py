"""What ``course grade`` said about each submission, kept after the batch for the class report.

``course grade`` prints, per submission, whether it was recorded and what needs a word (a notebook that
could not be read and was graded as missing, a folder that is not a student id, ...). :func:`keep`
writes the same into ``.grading/.records/<assignment>.json`` (one entry per student, the latest run's
replacing an earlier one; an assignment name never starts with a dot, so no staging folder is there),
and :func:`read` reads it back for ``course report``. The file is the grader's own, but it is read as any
file in a course folder: a regular file within a size bound, plain data of the expected shape, else nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from autograder.ledger_files import read_json, write_json

#: The largest records file read back (10 000 students with a few notes each fit in a few MiB).
MAX_RECORDS_BYTES = 16 * 1024**2
#: Notes kept per student, and characters per note (the summary's own limit).
MAX_NOTES, MAX_NOTE_CHARS = 20, 1000


class _Outcome(Protocol):
    student: str
    success: bool
    problems: list[str]


@dataclass(frozen=True)
class Record:
    """One submission as the last ``course grade`` run left it: recorded or not, and what needs a word."""

    student: str
    recorded: bool
    problems: tuple[str, ...]


def records_file(root: Path, assignment: str) -> Path:
    """Where the records of ``assignment`` are kept in the course ``root``."""
    return root / ".grading" / ".records" / f"{assignment}.json"


def read(root: Path, assignment: str) -> dict[str, Record]:
    """The records of ``assignment`` by student; empty if there are none or they are not the grader's shape."""
    entries = read_json(records_file(root, assignment), MAX_RECORDS_BYTES)
    if not isinstance(entries, dict):
        return {}
    records = {}
    for student, entry in entries.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("recorded"), bool)):
            continue
        problems = entry.get("problems")
        if not (isinstance(problems, list) and all(isinstance(p, str) for p in problems)):
            continue
        notes = tuple(p[:MAX_NOTE_CHARS] for p in problems[:MAX_NOTES])
        records[student] = Record(student, entry["recorded"], notes)
    return records


def keep(root: Path, assignment: str, outcomes: Iterable[_Outcome]) -> bool:
    """Add this run's outcomes to the records of ``assignment`` (replacing a student's earlier entry), atomically.

    Returns False if they could not be written (a full disk): grading stands, the report then lacks them.
    """
    try:
        _write(root, assignment, outcomes)
    except OSError:
        return False
    return True


def _write(root: Path, assignment: str, outcomes: Iterable[_Outcome]) -> None:
    kept = {
        record.student: {"recorded": record.recorded, "problems": list(record.problems)}
        for record in read(root, assignment).values()
    }
    for outcome in outcomes:
        problems = [problem[:MAX_NOTE_CHARS] for problem in outcome.problems[:MAX_NOTES]]
        kept[outcome.student] = {"recorded": outcome.success, "problems": problems}
    write_json(records_file(root, assignment), kept)
