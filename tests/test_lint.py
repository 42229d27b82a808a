"""Code is ruff clean and source notebooks are stored stripped (nbstripout --verify)."""

import subprocess
import sys

from tests.conftest import ROOT, SOURCE_NOTEBOOKS


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_source_notebooks_are_stripped():
    command = [sys.executable, "-m", "nbstripout", "--keep-id", "--verify", *map(str, SOURCE_NOTEBOOKS)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
