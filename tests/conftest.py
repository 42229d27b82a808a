"""Shared paths and helpers of the test suite."""

import atexit
import functools
import os
import shutil
import socket
import tempfile
from collections.abc import Sequence
from pathlib import Path

import nbformat
import nbgrader.api
import pytest
from hypothesis import settings

from autograder.demo import prepare_course
from autograder.nbgrader_commands import ensure_venv_on_path, generate_release
from tests.postgres_server import postgres_server  # noqa: F401 - a session fixture for every module

ROOT = Path(__file__).resolve().parent.parent
SOURCE_NOTEBOOKS = sorted((ROOT / "source").glob("*/*.ipynb"))

# The attackers' code is data for tests/test_attacks.py: importing it (as --doctest-modules would)
# runs the attacks in the test process itself.
collect_ignore = ["attacks"]

# nbgrader runs alembic as a subprocess, found on PATH, wherever the suite is started from.
ensure_venv_on_path()

# CI has two cores and runs two test processes, each grading classes: a property's example may take
# longer than hypothesis's 200 ms deadline without being wrong, so time is never a reason to fail.
settings.register_profile("course", deadline=None)
settings.load_profile("course")

# A new gradebook asks `alembic heads` (a subprocess, about 3 s) for the version to stamp it with. The answer
# depends only on the installed nbgrader, so this test process asks once. Stock nbgrader run as a subprocess
# (generate_assignment, autograde) and the grading pool's processes still ask for themselves.
nbgrader.api.get_alembic_version = functools.cache(nbgrader.api.get_alembic_version)

_RELEASED: dict[tuple[str, ...], Path] = {}


def released_course(course: Path, assignments: Sequence[str]) -> Path:
    """``course`` as :func:`prepare_course` and ``nbgrader generate_assignment`` of ``assignments`` leave it.

    Stock nbgrader releases each tuple of assignments once per test process, from the repository's
    configuration, into a private folder; every caller gets a copy (the gradebook and ``release/`` are plain
    files), so each test still starts from what nbgrader itself wrote. Add a test's own settings to the copy's
    ``nbgrader_config.py`` afterwards; a test of the release itself (or of settings that change it) runs
    nbgrader as before. Returns ``course``.
    """
    key = tuple(assignments)
    if key not in _RELEASED:
        where = Path(tempfile.mkdtemp(prefix="released-"))
        atexit.register(shutil.rmtree, where, ignore_errors=True)
        prepare_course(ROOT, where / "course")
        generate_release(where / "course", list(key), where / "release.log")
        _RELEASED[key] = where / "course"
    if course.exists():
        shutil.rmtree(course)
    shutil.copytree(_RELEASED[key], course, symlinks=True)
    return course


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


def deep_tree(folder: Path, depth: int, name: str = "deep") -> None:
    """A chain of ``depth`` folders called ``name`` in ``folder``, made relative to each other (no path could
    name the bottom one: it is longer than the kernel allows)."""
    current = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(depth):
        os.mkdir(name, dir_fd=current)
        inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=current)
        os.close(current)
        current = inner
    os.close(current)


def remove_deep_tree(folder: Path, name: str = "deep") -> None:
    """Undo :func:`deep_tree` one level at a time (shutil.rmtree would recurse past Python's stack)."""
    top = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    while True:
        try:
            os.rename(f"{name}/{name}", "lifted", src_dir_fd=top, dst_dir_fd=top)
        except FileNotFoundError:
            break
        os.rmdir(name, dir_fd=top)
        os.rename("lifted", name, src_dir_fd=top, dst_dir_fd=top)
    try:
        os.rmdir(name, dir_fd=top)
    except FileNotFoundError:
        pass
    os.close(top)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """End-to-end modules (those with a ``slow`` test) first, each kept whole and in order.

    With ``--dist loadfile`` a module goes whole to one test process, in collection order: run last, a module that
    grades a class for minutes leaves the other core idle at the end; run first, the quick modules fill in after it.
    """
    end_to_end = {item.nodeid.split("::")[0] for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in end_to_end)
