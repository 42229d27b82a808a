"""Shared paths and helpers of the test suite."""

import os
import socket
import tempfile
from pathlib import Path

import nbformat
import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SOURCE_NOTEBOOKS = sorted((ROOT / "source").glob("*/*.ipynb"))

# The attackers' code is data for tests/test_attacks.py: importing it (as --doctest-modules would)
# runs the attacks in the test process itself.
collect_ignore = ["attacks"]

# CI has two cores and runs two test processes, each grading classes: a property's example may take
# longer than hypothesis's 200 ms deadline without being wrong, so time is never a reason to fail.
settings.register_profile("course", deadline=None)
settings.load_profile("course")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def read_notebook(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def unix_socket_at(path: Path) -> socket.socket:
    """A listening Unix socket whose file is at ``path``, however long (a bound path is capped at 107 bytes).

    It is bound in a short private folder, then its file is moved into place.
    """
    server = socket.socket(socket.AF_UNIX)
    short = tempfile.mkdtemp(prefix="s")
    server.bind(os.path.join(short, "s"))
    os.rename(os.path.join(short, "s"), path)
    os.rmdir(short)
    return server
