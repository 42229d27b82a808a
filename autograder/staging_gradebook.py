"""A worker's staging gradebook is a throwaway copy, so its commits skip the wait for the disk.

nbgrader commits to the gradebook some 40 times per submission (each grade,
comment and score), and SQLite waits for each commit to reach the disk
(``fsync``): about half a second per submission on an ordinary virtual disk.
A worker grades against its own copy of the gradebook (:mod:`autograder.batch`),
which is deleted once its grades are published; if the machine stops meanwhile,
the submission is graded again from a fresh copy. So in the folders named by
:func:`skip_disk_waits_under`, SQLite's ``synchronous`` is ``OFF``: its
journal still makes each transaction whole if the process dies, only the wait
for the disk goes. Every other database, the course's gradebook above all,
keeps SQLite's defaults.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

#: Folders (resolved) whose SQLite databases are throwaway copies
_THROWAWAY: set[Path] = set()


def skip_disk_waits_under(folder: Path) -> None:
    """SQLite databases opened in this process under ``folder`` from now on commit without ``fsync``."""
    _THROWAWAY.add(folder.resolve())
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)


def _on_connect(connection: Any, _record: object) -> None:
    """SQLAlchemy's hook on each new DBAPI connection: a throwaway SQLite database is set not to wait."""
    if not isinstance(connection, sqlite3.Connection):
        return
    files = [
        Path(row[2]).resolve() for row in connection.execute("PRAGMA database_list") if row[1] == "main" and row[2]
    ]
    if files and any(files[0].is_relative_to(folder) for folder in _THROWAWAY):
        connection.execute("PRAGMA synchronous = OFF")
