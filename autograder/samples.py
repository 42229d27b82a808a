"""The bundled sample class: realistic learners, each written as one small Python file.

A learner file ``samples/<assignment>/<student>.py`` holds the code the
learner typed into the solution cells: each top-level ``def`` of a graded
function fills that function's cell, together with the file's imports and any
statements that follow the ``def``; a module-level ``ANSWER`` string fills the
written answer. Cells the learner did not reach stay as released. A learner
who differs from another in one function only says so with ``BASE = "<other
learner>"`` and writes just that function.
"""

import ast
import shutil
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.functions import GRADED
from autograder.notebooks import graded_function_in


def learner_cells(learner_file: Path) -> tuple[dict[str, str], str | None]:
    """The solution-cell text per graded function, and the written answer, of one learner file."""
    text = learner_file.read_text()
    tree = ast.parse(text)
    imports = [
        ast.get_source_segment(text, node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    header = "\n".join(imports)
    cells: dict[str, list[str]] = {}
    current: str | None = None
    helpers: list[str] = []  # helper functions go into the cell of the next graded function
    answer = None
    base_cells: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "BASE" for t in node.targets):
            base_cells, answer = learner_cells(learner_file.parent / (ast.literal_eval(node.value) + ".py"))
            continue
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "ANSWER" for t in node.targets):
            answer = ast.literal_eval(node.value)
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the file's docstring describes the learner; it is not something they typed
        segment = ast.get_source_segment(text, node, padded=True)
        if isinstance(node, ast.FunctionDef) and node.name in GRADED:
            current = node.name
            cells[current] = [*helpers, segment]
            helpers = []
        elif isinstance(node, ast.FunctionDef) or current is None:
            helpers.append(segment)
        else:
            cells[current].append(segment)  # statements after a def stay in its cell
    own = {name: "\n\n".join([header, *parts]).strip() for name, parts in cells.items()}
    return base_cells | own, answer


def fill_release(release_notebook: NotebookNode, learner_file: Path) -> NotebookNode:
    """A copy of the released notebook filled in as the learner in ``learner_file`` did."""
    notebook = nbformat.from_dict(release_notebook)
    code, answer = learner_cells(learner_file)
    for cell in notebook.cells:
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        if not nbgrader.get("solution"):
            continue
        if cell.cell_type == "markdown" and answer is not None:
            cell.source = answer
        elif cell.cell_type == "code":
            name = graded_function_in(cell)
            if name in code:
                cell.source = code[name]
    return notebook


def write_submissions(
    class_folder: Path, release: Path, submitted: Path, only: Sequence[str] | None = None
) -> list[str]:
    """Fill ``release`` as each learner of ``class_folder`` (or those named in ``only``) did.

    Each goes into ``submitted/<student>/<assignment>/``. Returns the students, in order.
    """
    assignment = release.name
    learners = sorted(path for path in class_folder.glob("*.py") if not path.name.startswith("_"))
    if only is not None:
        learners = [path for path in learners if path.stem in only]
    for learner_file in learners:
        target = submitted / learner_file.stem / assignment
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for path in release.iterdir():
            if path.suffix == ".ipynb":
                filled = fill_release(nbformat.read(path, as_version=4), learner_file)
                nbformat.write(filled, target / path.name)
            elif path.is_file():
                shutil.copy(path, target / path.name)
    return [learner.stem for learner in learners]
