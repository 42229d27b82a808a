"""The course's gradebook database, whatever nbgrader supports: SQLite (the default) or a server such as PostgreSQL.

It is named by nbgrader's ``c.CourseDirectory.db_url``. ``course grade``
reads it through SQLAlchemy and nbgrader's models, never as a file, except
where the gradebook is SQLite and its online backup is the fastest copy.
Workers never open it: they grade against a local SQLite copy
(:func:`snapshot_gradebook`), and the instructor's process alone writes into it.
"""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

from nbgrader.api import Base, InvalidEntry
from nbgrader.coursedir import CourseDirectory
from sqlalchemy import create_engine, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, SAWarning, SQLAlchemyError
from traitlets.config import Config

from autograder.errors import GradebookUnreachable, NoGradebook

SQLITE = "sqlite:///"
#: PostgreSQL's SQLSTATEs of a transaction that lost a race and may simply be tried again
_RETRYABLE = {"40001", "40P01"}  # serialization_failure, deadlock_detected
#: How a unique key's violation reads, in PostgreSQL's and SQLite's words
_DUPLICATE = ("UniqueViolation", "duplicate key value", "UNIQUE constraint failed")


def gradebook_url(config: Config) -> str:
    """The course's ``db_url`` (nbgrader's ``CourseDirectory.db_url``), a relative SQLite path made absolute.

    A relative SQLite path is relative to the course root, where nbgrader is run.
    """
    db_url = CourseDirectory(config=config).db_url
    root = Path(config.CourseDirectory.root)
    if db_url.startswith(SQLITE) and not db_url.startswith(SQLITE + "/") and db_url != SQLITE:
        db_url = f"{SQLITE}{root / db_url.removeprefix(SQLITE)}"
    return db_url


def is_sqlite(db_url: str) -> bool:
    return db_url.startswith("sqlite:")


def shown_url(db_url: str) -> str:
    """``db_url`` as it may be printed: its password hidden."""
    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(a db_url SQLAlchemy cannot read)"


def require_gradebook(db_url: str) -> None:
    """Raise unless ``db_url`` names an existing nbgrader gradebook; never creates one (nbgrader would).

    :class:`NoGradebook` if the SQLite file or nbgrader's tables are missing,
    :class:`GradebookUnreachable` if the database cannot be reached.
    """
    if db_url.startswith(SQLITE) and not Path(db_url.removeprefix(SQLITE)).is_file():
        raise NoGradebook(
            f"No gradebook at {db_url.removeprefix(SQLITE)}: run `course release` (nbgrader generate_assignment) first"
        )
    try:
        engine = create_engine(db_url)
    except (ArgumentError, ImportError) as error:
        raise GradebookUnreachable(
            f"The course's db_url {shown_url(db_url)} is not one SQLAlchemy can open ({error}): fix "
            "c.CourseDirectory.db_url in nbgrader_config.py"
        ) from None
    try:
        with engine.connect() as connection:
            present = inspect(connection).has_table("assignment")
    except SQLAlchemyError as error:
        raise GradebookUnreachable(
            f"The gradebook at {shown_url(db_url)} cannot be reached ({reason(error)}): check that its server "
            "runs and c.CourseDirectory.db_url in nbgrader_config.py"
        ) from None
    finally:
        engine.dispose()
    if not present:
        raise NoGradebook(
            f"No gradebook in {shown_url(db_url)} (no nbgrader tables): run `course release` "
            "(nbgrader generate_assignment) first"
        )


def reason(error: BaseException) -> str:
    """The database's own error in one line, rather than SQLAlchemy's wrapper."""
    cause = getattr(error, "orig", None) or error
    text_ = str(cause).strip()
    return f"{type(cause).__name__}: {text_.splitlines()[0][:200]}" if text_ else type(cause).__name__


def lost_a_race(error: BaseException) -> bool:
    """Whether a transaction failed only because another writer got there first (try it again).

    Two ``course grade`` runs of different assignments may add the same new
    student at once: one insert waits for the other and then violates the
    unique key (nbgrader's ``add_*`` roll the session back and raise their own
    :class:`~nbgrader.api.InvalidEntry`, holding the database's message).
    Serialization failures and deadlocks are races too.
    """
    if isinstance(error, IntegrityError | InvalidEntry):
        return any(words in str(error) for words in _DUPLICATE)
    code = getattr(getattr(error, "orig", None), "pgcode", None)
    return isinstance(error, OperationalError) and code in _RETRYABLE


def snapshot_gradebook(db_url: str, target: Path) -> None:
    """A consistent copy of the course's gradebook as a SQLite file at ``target``, for workers to grade against.

    SQLite is copied with its online backup; any other database table by table
    (nbgrader's tables and its alembic version), in one read-only transaction
    that sees a single moment of the database.
    """
    target.unlink(missing_ok=True)
    if db_url.startswith(SQLITE):
        with sqlite3.connect(db_url.removeprefix(SQLITE)) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return
    source = create_engine(db_url, isolation_level="REPEATABLE READ")
    copy = create_engine(f"{SQLITE}{target}")
    try:
        with warnings.catch_warnings(category=SAWarning, action="ignore"):
            Base.metadata.create_all(copy)
        with source.connect() as reading, copy.begin() as writing:
            for table in Base.metadata.sorted_tables:
                rows = [dict(row) for row in reading.execute(table.select()).mappings()]
                if rows:
                    writing.execute(table.insert(), rows)
            versions = reading.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
            writing.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            for version in versions:
                writing.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": version})
    finally:
        source.dispose()
        copy.dispose()
