"""Stock nbgrader commands, run as subprocesses of this virtual environment (``course release`` is one)."""

import os
import subprocess
import sys
from pathlib import Path

from autograder.errors import NbgraderFailed


def nbgrader_env() -> dict[str, str]:
    """The environment for nbgrader subprocesses: this venv's bin first (nbgrader runs alembic)."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def nbgrader(*args: str, cwd: Path, log: Path) -> int:
    """Run ``nbgrader *args`` in ``cwd``, appending its output to ``log``; its exit code."""
    with log.open("a") as sink:
        command = [sys.executable, "-m", "nbgrader", *args]
        return subprocess.run(command, cwd=cwd, env=nbgrader_env(), stdout=sink, stderr=subprocess.STDOUT).returncode


def generate_release(root: Path, assignments: list[str], log: Path) -> None:
    """``nbgrader generate_assignment --force`` for each assignment, from ``root``; raises if one fails."""
    for assignment in assignments:
        if nbgrader("generate_assignment", assignment, "--force", cwd=root, log=log) != 0:
            raise NbgraderFailed(f"nbgrader generate_assignment {assignment} failed: its errors are in {log}")
