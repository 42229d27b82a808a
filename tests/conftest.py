"""Shared paths and helpers of the test suite."""

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE_NOTEBOOKS = sorted((ROOT / "source").glob("*/*.ipynb"))

# The attackers' code is data for tests/test_attacks.py: importing it (as --doctest-modules would)
# runs the attacks in the test process itself.
collect_ignore = ["attacks"]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def read_notebook(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)
