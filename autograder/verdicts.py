"""The grader's verdict on one hidden test cell, from what the learner's kernel wrote back.

Before a hidden test cell runs, :class:`~autograder.execute.HardenedExecute`
writes the hidden inputs to the sandbox's inbox; the cell's ``record(...)``
writes the outcomes to a file in the sandbox's socket folder. The kernel can
put anything at that path instead (a folder, a link, a FIFO, a socket, a
huge sparse file, JSON nested a million deep) and anything in the file, so
:func:`verdict` reads it strictly, judges it here, outside the kernel, and
turns every failure into a failed check with a short message: bad learner
data costs that function, never the notebook.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nbformat import NotebookNode
from nbgrader import utils

from autograder.cases import GradedFunction
from autograder.functions import find
from autograder.hidden import report
from autograder.outputs import shorten_text
from autograder.runner import MalformedOutcomes, Planned, argument_lists, judge, parse_outcomes
from autograder.wire import MAX_BYTES, load_json

#: The most a kernel may write as outcomes of one cell (a simulation returns 20 000 numbers: 0.4 MB).
MAX_OUTCOMES_BYTES = MAX_BYTES
#: Longest verdict the grader writes into a cell, and longest error of the cell it quotes.
MAX_VERDICT_CHARS, MAX_QUOTED_CHARS = 32_000, 500


def hidden_target(cell: NotebookNode) -> tuple[GradedFunction, str] | None:
    """The graded function and part a test cell checks, from its grade id (``normal_mle_edge``)."""
    if cell.cell_type != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
        return None
    if "record(" not in cell.source:
        return None
    return find(None, cell.metadata["nbgrader"].get("grade_id", ""))


def read_outcomes(path: Path) -> Any:
    """The kernel's outcomes file as JSON, refusing links, non-files and oversized files; None if absent."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise MalformedOutcomes(f"the outcomes file could not be opened ({error.strerror})") from None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_OUTCOMES_BYTES:  # a folder opens too
        os.close(descriptor)
        raise MalformedOutcomes("the outcomes file is not a regular file of a sensible size")
    with os.fdopen(descriptor, "rb") as handle:
        content = handle.read(MAX_OUTCOMES_BYTES + 1)  # it may grow after fstat
        if len(content) > MAX_OUTCOMES_BYTES:
            raise MalformedOutcomes("the outcomes file is not a regular file of a sensible size")
        return load_json(content)  # the grader's own strict parser: size, depth and count bounded first


def clear_path(path: Path) -> None:
    """Remove whatever is at ``path`` (a file, link, FIFO, socket or folder), never following a link."""
    try:
        if stat.S_ISDIR(path.lstat().st_mode):
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except OSError:
        pass  # absent, or already gone; what is left there is refused when read


def verdict(
    spec: GradedFunction, part: str, planned: Sequence[Planned], outcomes: Path, errors: Sequence[str]
) -> tuple[bool, str]:
    """Whether the hidden checks passed, and the learner's message (at most ``MAX_VERDICT_CHARS``).

    ``errors`` are the cell's errors ("Name: message"), quoted when nothing was recorded. The
    outcomes file is removed afterwards, whatever it was.
    """
    try:
        raw = read_outcomes(outcomes)
        if raw is None:
            cause = f" The cell stopped with {shorten_text(errors[0], MAX_QUOTED_CHARS)}." if errors else ""
            if any(f"name '{spec.name}' is not defined" in error for error in errors):
                cause += f" Keep the name {spec.name} from the assignment: the grader calls it by that name."
            message = f"{spec.name}: no outputs were recorded on the hidden inputs, so no hidden check could pass."
            passed, message = False, message + cause
        else:
            passed, message = report(
                spec.name, part, judge(planned, spec, parse_outcomes(raw, len(argument_lists(planned))))
            )
    except MalformedOutcomes as error:
        passed, message = False, f"{spec.name}: the recorded outputs could not be read ({error})"
    except Exception as error:  # the last resort: learner data the checks above did not foresee
        passed, message = False, f"{spec.name}: the recorded outputs could not be judged ({type(error).__name__})"
    finally:
        clear_path(outcomes)
    return passed, shorten_text(message, MAX_VERDICT_CHARS)
