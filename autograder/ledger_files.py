"""The grader's own small JSON files in a course folder (receipts, records): read within bounds, written whole.

They live in ``.grading/`` beside learners' folders, so reading one is done as
carefully as reading a submission: a regular file of bounded size, never
through a link, parsed by the grader's strict decoder. Writing replaces the
file in one step, so a reader never sees half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from autograder.folders import regular_file_bytes
from autograder.wire import load_json


def read_json(path: Path, max_bytes: int) -> Any:
    """The plain data in ``path``; None if it is absent, not a regular file, over ``max_bytes`` or not plain JSON."""
    try:
        data = regular_file_bytes(path, max_bytes)
    except (OSError, ValueError):
        return None
    if len(data) > max_bytes:  # it grew after it was measured
        return None
    try:
        return load_json(data)
    except (ValueError, RecursionError):  # MalformedOutcomes is a ValueError
        return None


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` to ``path`` atomically (a temporary file beside it, then a rename); raises OSError."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, sort_keys=True)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
