"""Stock ``nbgrader autograde`` screens submission folders with the configured bounds (``c.CourseGrading.*``)."""

import logging
import os
from pathlib import Path
from types import SimpleNamespace

from traitlets.config import Config

from autograder.stock import screen_submissions

ASSIGNMENT = "01_normal_mle"


def _converter(root: Path, config: Config) -> SimpleNamespace:
    """What screen_submissions reads of nbgrader's Autograde converter, for one learner's folder of 3 files."""
    folder = root / "submitted" / "learner" / ASSIGNMENT
    folder.mkdir(parents=True)
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(name)
    coursedir = SimpleNamespace(
        root=str(root),
        submitted_directory="submitted",
        directory_structure=os.path.join("{nbgrader_step}", "{student_id}", "{assignment_id}"),
        db_url=f"sqlite:///{root / 'gradebook.db'}",
    )
    return SimpleNamespace(
        coursedir=coursedir, log=logging.getLogger("test"), config=config, assignments={str(folder): []}
    )


def _kept(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "submitted" / "learner" / ASSIGNMENT).iterdir())


def test_a_configured_file_limit_is_what_stock_nbgrader_keeps(tmp_path):
    screen_submissions(_converter(tmp_path, Config({"CourseGrading": {"max_files": 2}})))
    assert len(_kept(tmp_path)) == 2


def test_without_a_setting_the_default_bounds_keep_a_small_folder_whole(tmp_path):
    screen_submissions(_converter(tmp_path, Config()))
    assert _kept(tmp_path) == ["a.txt", "b.txt", "c.txt"]
