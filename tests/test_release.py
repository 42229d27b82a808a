"""The committed release: what stock nbgrader generates from source/, with nothing hidden in it."""

import filecmp
import json
import shutil
import subprocess
import sys

import pytest

from autograder.nbgrader_commands import nbgrader_env
from tests.conftest import ROOT, SOURCE_NOTEBOOKS

ASSIGNMENTS = sorted({path.parent.name for path in SOURCE_NOTEBOOKS})
RELEASED = sorted((ROOT / "release").glob("*/*.ipynb"))
SECRETS = ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "autograder", "solutions"]


def test_every_assignment_is_released():
    assert sorted(p.name for p in (ROOT / "release").iterdir()) == ASSIGNMENTS


@pytest.mark.parametrize("path", RELEASED, ids=lambda p: p.parent.name)
def test_the_release_holds_no_solution_and_no_hidden_test(path):
    text = path.read_text()
    for secret in SECRETS:
        assert secret not in text, f"{path.name} contains {secret!r}"


@pytest.mark.parametrize("path", RELEASED, ids=lambda p: p.parent.name)
def test_released_solution_cells_are_stubs(path):
    for cell in json.loads(path.read_text())["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution") and cell["cell_type"] == "code":
            assert "raise NotImplementedError()" in "".join(cell["source"])


@pytest.mark.slow
def test_the_release_is_what_nbgrader_generates_from_source_now(tmp_path):
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(ROOT / "source", tmp_path / "source")
    for assignment in ASSIGNMENTS:
        subprocess.run(
            [sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"],
            cwd=tmp_path,
            env=nbgrader_env(),
            check=True,
            capture_output=True,
        )
    comparison = filecmp.dircmp(tmp_path / "release", ROOT / "release")
    stale = []
    for assignment in ASSIGNMENTS:
        inner = filecmp.dircmp(tmp_path / "release" / assignment, ROOT / "release" / assignment)
        stale += inner.left_only + inner.right_only
        _, mismatch, errors = filecmp.cmpfiles(inner.left, inner.right, inner.common_files, shallow=False)
        stale += mismatch + errors
    assert not comparison.left_only and not comparison.right_only
    assert not stale, f"release/ is stale in {stale}: run `make release` and commit it"
