"""Source notebooks and the reference library: one source of truth for solution code.

Each graded function's solution cell in ``source/`` holds exactly the source
of its reference in ``solutions/`` (as declared in :mod:`autograder.functions`),
with nbgrader's solution markers around the body below the docstring. :func:`sync_solutions` writes it there;
``course sync-solutions --check`` fails when a notebook has drifted.
"""

import ast
import inspect
import re
from collections.abc import Iterator
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.functions import GRADED

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_DEF = re.compile(r"^def (\w+)\(", re.MULTILINE)


def solution_cell_source(name: str) -> str:
    """The solution-cell text for graded function ``name``: its reference source with markers."""
    source = inspect.getsource(GRADED[name].reference).rstrip("\n")
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    docstring = function.body[0]
    lines = source.split("\n")
    cut = docstring.end_lineno if isinstance(docstring, ast.Expr) else function.body[0].lineno - 1
    return "\n".join([*lines[:cut], f"    {BEGIN}", *lines[cut:], f"    {END}"])


def graded_function_in(cell: NotebookNode) -> str | None:
    """The graded function a solution cell defines, or None for any other cell."""
    if cell.cell_type != "code" or not cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
        return None
    match = _DEF.search(cell.source)
    return match.group(1) if match and match.group(1) in GRADED else None


def source_notebooks(root: Path) -> Iterator[Path]:
    """Every notebook under ``root/source``, in a stable order."""
    for path in sorted((root / "source").glob("*/*.ipynb")):
        if ".ipynb_checkpoints" not in path.parts:
            yield path


def sync_solutions(root: Path, *, check: bool = False) -> list[str]:
    """Rewrite (or, with ``check``, only compare) every solution cell from ``solutions/``.

    Returns the "notebook: function" pairs that differed.
    """
    drifted = []
    for path in source_notebooks(root):
        notebook = nbformat.read(path, as_version=4)
        changed = False
        for cell in notebook.cells:
            name = graded_function_in(cell)
            if name is None:
                continue
            wanted = solution_cell_source(name)
            if cell.source != wanted:
                drifted.append(f"{path.relative_to(root)}: {name}")
                cell.source = wanted
                changed = True
        if changed and not check:
            nbformat.write(notebook, path)
    return drifted
