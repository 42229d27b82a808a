"""How much output a learner's kernel may leave in a graded notebook: a budget per cell and per notebook.

A kernel can send any message type (``stream``, ``display_data``,
``update_display_data``, ``execute_result``, ``error``), with data of any
MIME type and any JSON (not only strings), metadata, tracebacks of any
length, and it can clear and replace what it sent. :class:`OutputBudget`
bounds all of it by the size of its JSON text, in two steps:

- while a cell runs, :meth:`OutputBudget.admit` charges every message
  (replacements included, which an append-only count would miss) and says
  whether to keep it, so a flood cannot fill the grader's memory;
- when the cell is done, :meth:`OutputBudget.settle` measures what the cell
  really holds (the execute reply's error, display updates, ...), keeps
  what fits in the cell's and the notebook's room, shortens every error
  (never drops the last one: an error is what scores a test cell 0) and
  says where output was dropped.

Text the grader writes itself (its verdicts) is shortened with
:func:`shorten_text` before it goes into a cell.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from nbformat import NotebookNode
from nbformat.v4 import new_output

MIB = 2**20
#: Longest exception name, message and traceback line kept from a kernel's error, and most traceback lines.
MAX_ENAME, MAX_EVALUE, MAX_TRACEBACK_LINE, MAX_TRACEBACK_LINES = 200, 2000, 2000, 40


def json_size(value: Any) -> int:
    """Characters of ``value`` as JSON; anything that cannot be written as JSON counts as too big."""
    try:
        return len(json.dumps(value, ensure_ascii=False, allow_nan=True))
    except (TypeError, ValueError, RecursionError, OverflowError):
        return sys.maxsize


def shorten_text(text: Any, limit: int) -> str:
    """``text`` as a string of at most about ``limit`` characters, saying how much was cut."""
    text = text if isinstance(text, str) else repr(text)[: limit + 1]
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... [{len(text) - limit} more characters cut by the grader]"


def shorten_error(output: NotebookNode) -> NotebookNode:
    """An error output of bounded size (name, message and traceback as plain, short strings)."""
    traceback = output.get("traceback")
    lines = traceback if isinstance(traceback, list) else []
    kept = [shorten_text(line, MAX_TRACEBACK_LINE) for line in lines[:MAX_TRACEBACK_LINES]]
    if len(lines) > MAX_TRACEBACK_LINES:
        kept.append(f"[{len(lines) - MAX_TRACEBACK_LINES} more traceback lines cut by the grader]")
    return new_output(
        "error",
        ename=shorten_text(output.get("ename", "Error"), MAX_ENAME),
        evalue=shorten_text(output.get("evalue", ""), MAX_EVALUE),
        traceback=kept,
    )


def dropped_note(limit: int) -> NotebookNode:
    """The line that says where the grader dropped a cell's output (``limit`` characters)."""
    return new_output(
        "stream", name="stdout", text=f"\n[the grader dropped this cell's output beyond {limit / MIB:.3g} MiB]\n"
    )


class OutputBudget:
    """Output a notebook's cells may keep: ``cell_limit`` characters of JSON per cell, ``notebook_limit`` in all."""

    def __init__(self, cell_limit: int, notebook_limit: int) -> None:
        self.cell_limit = cell_limit
        self.notebook_limit = notebook_limit
        self.notebook_used = 0
        self.start_cell()

    @property
    def room(self) -> int:
        """What the current cell may still hold: its own limit or what is left of the notebook's."""
        return max(0, min(self.cell_limit, self.notebook_limit - self.notebook_used))

    def start_cell(self) -> None:
        self.cell_seen, self.cut, self.error_kept = 0, False, False

    def admit(self, content: Any) -> bool:
        """Charge one message's content (any type) to the running cell; whether it may be kept."""
        if self.cell_seen > self.room:
            return False  # past the room already: not even worth measuring
        self.cell_seen += json_size(content)
        return self.cell_seen <= self.room

    def overflow(self, msg_type: Any, content: Any) -> list[NotebookNode]:
        """What stays of a message beyond the room: a note the first time, and one error, shortened.

        The error is kept because nbgrader scores a test cell by whether it has one.
        """
        kept = []
        if not self.cut:
            self.cut = True
            kept.append(dropped_note(self.room))
        if msg_type == "error" and not self.error_kept:
            self.error_kept = True
            kept.append(shorten_error(NotebookNode(content) if isinstance(content, dict) else NotebookNode()))
        return kept

    def settle(self, outputs: list[NotebookNode]) -> list[NotebookNode]:
        """The outputs of a finished cell that fit its room, errors shortened; charged to the notebook."""
        room, used, kept, dropped = self.room, 0, [], False
        errors = [i for i, output in enumerate(outputs) if output.get("output_type") == "error"]
        for index, output in enumerate(outputs):
            if output.get("output_type") == "error":
                output = shorten_error(output)
            size = json_size(output)
            if used + size <= room or (errors and index == errors[-1]):
                kept.append(output)
                used += size
            else:
                dropped = True
        if dropped:
            kept.append(dropped_note(room))
            used += json_size(kept[-1])
        self.notebook_used += used
        return kept
