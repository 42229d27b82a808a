"""A digest of what a learner wrote, so each new submission draws new hidden cases.

Hidden cases drawn from the course salt and the student id alone are the same at every grading: a learner
who reads a case's size and expected value in their feedback can resubmit code that looks the answer up.
:func:`work_digest` enters the seed (:class:`autograder.cases.Seed`, ``c.HiddenData.per_submission``), so
grading the same submission again draws the same cases (the same marks and feedback), while any change to
what the learner's kernel runs or reads draws new ones.

It covers everything of the submission the kernel can see: every cell the learner can edit (not locked),
read after :mod:`autograder.restore` has rebuilt the metadata from the gradebook, in order; and the data
files the sandbox received, by path and content. It is computed in the grader's process from the same
restored notebook and the same sandbox copy whichever way grading runs (``course grade``, stock
``nbgrader autograde``, a cluster worker), so all draw the same cases.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

from nbformat import NotebookNode
from nbgrader import utils

__all__ = ["work_digest"]

#: Bytes read at a time when a data file is hashed.
_BLOCK = 1024**2


def _text(source: object) -> str:
    """A cell's source as one string (nbformat allows a list of lines)."""
    if isinstance(source, list):
        return "".join(str(line) for line in source)
    return source if isinstance(source, str) else ""


def _file_sha256(path: Path) -> str | None:
    """The sha256 of a regular file, never following a link; None if it is not one or cannot be read."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        digest = hashlib.sha256()
        try:
            while block := handle.read(_BLOCK):
                digest.update(block)
        except OSError:
            return None
        return digest.hexdigest()


def _files(folder: Path) -> list[tuple[str, str]]:
    """Every regular file below ``folder`` as (relative path, sha256), sorted; links are not followed."""
    found = []
    for here, folders, names in os.walk(folder, followlinks=False):
        folders.sort()
        for name in names:
            path = Path(here) / name
            content = _file_sha256(path)
            if content is not None:
                found.append((path.relative_to(folder).as_posix(), content))
    return sorted(found)


def work_digest(nb: NotebookNode, files: Path | None = None) -> str:
    """The sha256 (hex) of what the learner wrote: the notebook's editable cells and the data files in ``files``.

    ``nb`` is the notebook as graded (its metadata restored from the gradebook); ``files`` the folder of data
    files the kernel receives (the sandbox's copy: bounded, plain files only). A locked cell's source comes
    from the gradebook, so only cells the learner can change enter; a cell's type and source are both hashed.
    """
    digest = hashlib.sha256()
    for cell in nb.get("cells", []):
        if isinstance(cell, dict) and not utils.is_locked(cell):
            digest.update(json.dumps(["cell", str(cell.get("cell_type")), _text(cell.get("source"))]).encode() + b"\n")
    for relative, content in _files(files) if files is not None else []:
        digest.update(json.dumps(["file", relative, content]).encode() + b"\n")
    return digest.hexdigest()
