"""What output a learner's kernel may leave in a graded notebook: well formed, and within a budget per cell and
per notebook.

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

Every output is also rebuilt as well-formed nbformat before it enters a
cell: a kernel's session can send any JSON as a message's content (text as a
list, a number or null, data as a list, metadata as a string, an execution
count of ``true``...), which nbformat may accept but later steps (nbgrader's
``LimitOutput`` and ``SaveAutoGrades``, the sanitiser, the feedback
templates) do not. :func:`kernel_output` turns a message into a valid output
(or None when it is no output), :func:`clean_output` does the same for any
output node, and :func:`check_notebook` is the last check of a graded
notebook: an output still invalid becomes an error that says so.

Text the grader writes itself (its verdicts) is shortened with
:func:`shorten_text` before it goes into a cell.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Mapping
from typing import Any

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_output

from autograder.settings import MIB

#: Longest exception name, message and traceback line kept from a kernel's error, and most traceback lines.
MAX_ENAME, MAX_EVALUE, MAX_TRACEBACK_LINE, MAX_TRACEBACK_LINES = 200, 2000, 2000, 40
#: Message types that are outputs (``update_display_data`` changes a display: see :func:`kernel_output`).
OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error")
#: Deepest JSON kept in an output's data or metadata, and the largest execution count kept.
MAX_JSON_DEPTH, MAX_EXECUTION_COUNT = 64, 2**31 - 1
#: The cell metadata key of the grader's verdict summary (:mod:`autograder.hidden_checks`); only the grader
#: writes it. Most labels a summary lists, and their longest (a function has a few dozen checks).
SUMMARY_KEY, MAX_SUMMARY_LABELS, MAX_LABEL_CHARS = "autograder_verdict", 64, 200
#: Mimetypes whose data may be any JSON (nbformat's pattern); every other mimetype holds text.
JSON_MIMETYPE = re.compile(r"application/(.*\+)?json")


def json_size(value: Any) -> int:
    """Characters of ``value`` as JSON; anything that cannot be written as JSON counts as too big."""
    try:
        return len(json.dumps(value, ensure_ascii=False, allow_nan=True))
    except (TypeError, ValueError, RecursionError, OverflowError):
        return sys.maxsize


def writable(text: str) -> str:
    """``text`` with each lone surrogate (JSON's ``"\\ud800"``, which no UTF-8 file can hold) as ``?``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def shorten_text(text: Any, limit: int) -> str:
    """``text`` as a writable string of at most about ``limit`` characters, saying how much was cut."""
    if not isinstance(text, str):
        try:
            text = repr(text)[: limit + 1]
        except RecursionError:
            text = f"[a {type(text).__name__} nested too deeply to show]"
    text = writable(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... [{len(text) - limit} more characters cut by the grader]"


def shorten_error(output: Mapping[str, Any]) -> NotebookNode:
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


def as_text(value: Any) -> str | None:
    """An nbformat multiline string (a string, or a list of strings) as one :func:`writable` string; None for
    anything else."""
    if isinstance(value, str):
        return writable(value)
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return writable("".join(value))
    return None


def plain_json(value: Any, depth: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``value`` is JSON that is written and read back as it is: objects with string keys, lists,
    :func:`writable` strings, finite numbers, booleans and null, nested at most ``depth`` deep."""
    stack = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if level > depth:
            return False
        if isinstance(item, dict):
            if not all(isinstance(key, str) and writable(key) == key for key in item):
                return False
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, str):
            if writable(item) != item:
                return False
        elif isinstance(item, list):
            stack.extend((child, level + 1) for child in item)
        elif isinstance(item, float):
            if not math.isfinite(item):
                return False
        elif isinstance(item, int) and not isinstance(item, bool):
            if item.bit_length() > 1024:  # beyond any float, and past Python's limit on digits to print
                return False
        elif not (item is None or isinstance(item, bool)):
            return False
    return True


def execution_count(value: Any) -> int | None:
    """``value`` if it is a valid execution count (an int, not a bool, from 0 to 2**31 - 1), else None."""
    return value if type(value) is int and 0 <= value <= MAX_EXECUTION_COUNT else None


def mimebundle(data: Any) -> dict[str, Any] | None:
    """A display's data as nbformat wants it: JSON mimetypes with plain JSON, every other mimetype with one
    string; malformed entries dropped. None if ``data`` is not an object, or nothing of a non-empty one is left."""
    if not isinstance(data, dict):
        return None
    kept: dict[str, Any] = {}
    for mimetype, value in data.items():
        if not isinstance(mimetype, str) or writable(mimetype) != mimetype:
            continue
        if JSON_MIMETYPE.fullmatch(mimetype):
            if plain_json(value):
                kept[mimetype] = value
        elif (text := as_text(value)) is not None:
            kept[mimetype] = text
    return kept if kept or not data else None


#: How every note the grader writes among a cell's outputs begins.
NOTE_PREFIX = "[the grader "


def malformed_note(kind: Any) -> NotebookNode:
    """The line that stands for an output the kernel sent malformed (``kind``: its type)."""
    name = kind if kind in OUTPUT_TYPES else "unknown"
    return new_output("stream", name="stdout", text=f"{NOTE_PREFIX}dropped a malformed {name} output of the kernel]\n")


def joins(previous: Any, output: NotebookNode) -> bool:
    """Whether stream ``output`` continues ``previous``: the same stream, neither a note of the grader's."""
    return (
        output.output_type == "stream"
        and isinstance(previous, dict)
        and previous.get("output_type") == "stream"
        and previous.get("name") == output.name
        and not any(str(o.get("text", "")).lstrip("\n").startswith(NOTE_PREFIX) for o in (previous, output))
    )


def clean_output(output: Any) -> NotebookNode:
    """``output`` (any JSON) as a valid nbformat output that every later step can read.

    Text fields become one string, a stream other than stdout and stderr is stdout, data keeps its
    well-formed mimetypes, metadata that is not plain JSON is emptied, an odd execution count is None, an
    error's fields become short strings (:func:`shorten_error`: an error is kept, it fails the cell); an
    output with no readable text or data, or of no known type, becomes :func:`malformed_note`.
    """
    kind = output.get("output_type") if isinstance(output, dict) else None
    if kind == "error":
        return shorten_error(output)
    if kind == "stream":
        text = as_text(output.get("text"))
        if text is None:
            return malformed_note(kind)
        name = output.get("name")
        return new_output("stream", name=name if name in ("stdout", "stderr") else "stdout", text=text)
    if kind in ("display_data", "execute_result"):
        data = mimebundle(output.get("data"))
        if data is None:
            return malformed_note(kind)
        metadata = output.get("metadata")
        metadata = metadata if isinstance(metadata, dict) and plain_json(metadata) else {}
        if kind == "display_data":
            return new_output(kind, data=data, metadata=metadata)
        count = execution_count(output.get("execution_count"))
        return new_output(kind, data=data, metadata=metadata, execution_count=count)
    return malformed_note(kind)


def kernel_output(msg: Any) -> NotebookNode | None:
    """The output a kernel's IOPub message stands for, valid whatever its content (:func:`clean_output`).

    ``stream``, ``display_data``, ``execute_result`` and ``error`` messages are outputs (content that is
    not an object leaves a note); any other type is not (None). A display update is given here as a
    ``display_data`` message, and only its data and metadata are used.
    """
    msg_type = msg.get("msg_type") if isinstance(msg, dict) else None
    if msg_type not in OUTPUT_TYPES:
        return None
    content = msg.get("content")
    fields = dict(content) if isinstance(content, dict) else {}
    return clean_output({**fields, "output_type": msg_type})


def valid_output(output: Any) -> bool:
    """Whether ``output`` is a valid nbformat output (``nbformat.validate``) that is also :func:`plain_json`."""
    try:
        nbformat.validate(output, ref="output", version=4)
    except Exception:  # a ValidationError, or jsonschema's own error on a key that is not a string
        return False
    return plain_json(output, MAX_JSON_DEPTH + 2)


def check_notebook(nb: NotebookNode) -> None:
    """The last check of a graded notebook, in place: in every code cell an invalid execution count becomes
    None and an invalid output (:func:`valid_output`) an error that says so, so the cell fails, not a later step."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        cell["execution_count"] = execution_count(cell.get("execution_count"))
        outputs = cell.get("outputs")
        outputs = outputs if isinstance(outputs, list) else []
        cell["outputs"] = [output if valid_output(output) else malformed_error() for output in outputs]


def error_output(name: str, message: str) -> NotebookNode:
    """An error output that nbgrader scores as a failure, with the message as its only traceback line."""
    return new_output("error", ename=name, evalue=message, traceback=[f"\x1b[0;31m{name}\x1b[0m: {message}"])


def malformed_error() -> NotebookNode:
    """The error that stands for an output the grader found invalid once the notebook was graded."""
    return error_output("MalformedOutput", "the grader dropped an output of this cell that was not valid nbformat")


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
        """The outputs of a finished cell that fit its room, each well formed (:func:`clean_output`: errors
        shortened); charged to the notebook."""
        room, used, kept, dropped = self.room, 0, [], False
        outputs = [clean_output(output) for output in outputs]
        errors = [i for i, output in enumerate(outputs) if output.output_type == "error"]
        for index, output in enumerate(outputs):
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


def summary_is_plain(value: Any) -> bool:
    """Whether ``value`` has exactly the shape of a summary the grader writes (what the sanitiser keeps)."""
    keys = {"function", "part", "judged", "passed", "checks", "failed", "mistakes"}
    if not isinstance(value, dict) or set(value) != keys:
        return False
    if not (isinstance(value["failed"], list) and isinstance(value["mistakes"], list)):
        return False
    texts = [value["function"], value["part"], *value["failed"], *value["mistakes"]]
    return (
        all(isinstance(text, str) and len(text) <= MAX_LABEL_CHARS for text in texts)
        and len(value["failed"]) <= MAX_SUMMARY_LABELS
        and len(value["mistakes"]) <= MAX_SUMMARY_LABELS
        and isinstance(value["judged"], bool)
        and isinstance(value["passed"], bool)
        and type(value["checks"]) is int
    )
