"""Stock nbgrader commands, run as subprocesses of this virtual environment (``course release`` is one).

nbgrader runs ``alembic`` as a subprocess when it creates a gradebook, so this
environment's ``bin`` folder must be on ``PATH``, for its subprocesses and for
nbgrader run in this process: :func:`venv_on_path` is the one place that says so.
"""

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from autograder.errors import NbgraderFailed


def venv_on_path(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` with this virtual environment's ``bin`` first on ``PATH`` (unchanged if it is there already)."""
    bin_dir = str(Path(sys.executable).parent)
    path = env.get("PATH", "")
    return {**env, "PATH": path if bin_dir in path.split(os.pathsep) else f"{bin_dir}{os.pathsep}{path}"}


def nbgrader_env() -> dict[str, str]:
    """The environment for nbgrader subprocesses: this one, with the venv's ``bin`` on ``PATH``."""
    return venv_on_path(os.environ)


def ensure_venv_on_path() -> None:
    """Put the venv's ``bin`` on this process's ``PATH``, for nbgrader run here (and processes started later)."""
    os.environ["PATH"] = nbgrader_env()["PATH"]


def nbgrader(*args: str, cwd: Path, log: Path, config_file: Path | None = None) -> int:
    """Run ``nbgrader *args`` in ``cwd``, appending its output to ``log``; its exit code.

    ``config_file`` is read in place of the Jupyter paths' ``nbgrader_config.py`` (nbgrader's ``--config``).
    """
    extra = [f"--JupyterApp.config_file={config_file.resolve()}"] if config_file is not None else []
    with log.open("a") as sink:
        command = [sys.executable, "-m", "nbgrader", *args, *extra]
        return subprocess.run(command, cwd=cwd, env=nbgrader_env(), stdout=sink, stderr=subprocess.STDOUT).returncode


def generate_release(root: Path, assignments: list[str], log: Path, config_file: Path | None = None) -> None:
    """``nbgrader generate_assignment --force`` for each assignment, from ``root``; raises if one fails."""
    for assignment in assignments:
        done = nbgrader("generate_assignment", assignment, "--force", cwd=root, log=log, config_file=config_file)
        if done != 0:
            raise NbgraderFailed(f"nbgrader generate_assignment {assignment} failed: its errors are in {log}")
