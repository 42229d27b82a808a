"""Only the workers' staging gradebooks commit without waiting for the disk."""

from pathlib import Path

from sqlalchemy import create_engine, text

from autograder.staging_gradebook import skip_disk_waits_under

#: SQLite's values of PRAGMA synchronous
OFF, FULL = 0, 2


def _synchronous(db: Path) -> int:
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as connection:
            return connection.execute(text("PRAGMA synchronous")).scalar_one()
    finally:
        engine.dispose()


def test_a_staging_gradebook_skips_fsync_and_the_course_gradebook_does_not(tmp_path):
    staging = tmp_path / ".grading" / "01_normal_mle" / "submissions"
    (staging / "ada").mkdir(parents=True)
    skip_disk_waits_under(staging)
    assert _synchronous(staging / "ada" / "gradebook.db") == OFF
    assert _synchronous(tmp_path / "gradebook.db") == FULL  # SQLite's default, as nbgrader opens it
    assert _synchronous(tmp_path / ".grading" / "01_normal_mle" / "template.db") == FULL
