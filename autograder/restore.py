"""A submitted notebook read as plain data, with its nbgrader metadata rebuilt from the gradebook.

Nothing a submission says about its own cells is believed. A learner can
edit any byte of the ``.ipynb``: mark a test cell ``solution: true`` (stock
nbgrader then leaves it for manual grading), give it a ``schema_version``
nbgrader does not know (stock ``nbgrader autograde`` then aborts the whole
run), add a grade cell worth 1000 points, rename, duplicate, move or delete
cells, change their types and ids, point the kernelspec elsewhere. So:

- :class:`SubmissionExporter` (``c.Autograde.exporter_class``) first has
  every submission folder screened (:mod:`autograder.stock`: links, pipes,
  devices and trees out of bounds are set aside before nbgrader reads any
  folder), then opens a notebook only if it is a regular file within the size
  bound, never following a link, and reads it with :func:`plain_notebook`:
  nbformat 4.5, cells of known types with string sources and unique ids, no
  outputs, and of the cells' metadata only nbgrader's, as plain values.
  nbconvert's own code that runs before any preprocessor then sees nothing it
  can trip on. A notebook it cannot read is graded as missing: an empty
  notebook, which the next step fills with the release's graded cells (each
  scores 0) under a note saying why.
- :class:`RestoreMetadata`, first of ``c.Autograde.sanitize_preprocessors``,
  rebuilds every cell's nbgrader metadata from the gradebook's source
  cells, matched by ``grade_id`` (the last cell claiming an id keeps it, as
  in nbgrader's ``DeduplicateIds``); a cell the source does not know loses
  its nbgrader metadata, and grade and task cells that are missing come back
  after the source cell they followed. The notebook's own metadata becomes
  the source's kernelspec. nbgrader's ``OverwriteCells`` then restores the
  locked cells' sources, and ``CheckCellMetadata`` finds nothing to refuse.
"""

from __future__ import annotations

import datetime
import errno
import json
import os
import re
import stat
from dataclasses import dataclass
from typing import Any, TextIO

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbformat.corpus.words import generate_corpus_id
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.api import Gradebook
from nbgrader.converters import Autograde
from nbgrader.nbgraderformat import SCHEMA_VERSION
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.folders import DEFAULT_BOUNDS, FILE_FLAGS, json_beyond, shown, size_text
from autograder.settings import CourseGrading
from autograder.stock import screen_submissions

CELL_TYPES = ("code", "markdown", "raw")
_CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_PLAIN = (str, bool, int, float)


class UnreadableNotebook(ValueError):
    """A submission that cannot be read as a notebook at all."""


def _text(value: Any) -> str:
    """A cell source as nbformat stores it (a string or a list of strings), else empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return "".join(value)
    return ""


def _plain_cell(data: Any, used_ids: set[str]) -> NotebookNode | None:
    """One cell as plain data: a known type, a string source, a fresh id if its own is bad or taken."""
    if not isinstance(data, dict):
        return None
    cell_type = data.get("cell_type") if data.get("cell_type") in CELL_TYPES else "raw"
    cell = NotebookNode(cell_type=cell_type, metadata=NotebookNode(), source=_text(data.get("source")))
    metadata = data.get("metadata")
    claims = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    if isinstance(claims, dict):
        cell.metadata.nbgrader = {k: v for k, v in claims.items() if isinstance(k, str) and isinstance(v, _PLAIN)}
    cell_id = data.get("id")
    if not isinstance(cell_id, str) or not _CELL_ID.match(cell_id) or cell_id in used_ids:
        cell_id = generate_corpus_id()
    used_ids.add(cell_id)
    cell.id = cell_id
    if cell_type == "code":
        cell.outputs, cell.execution_count = [], None
    attachments = data.get("attachments")
    if cell_type != "code" and isinstance(attachments, dict):
        bundles = {
            name: dict(bundle)
            for name, bundle in attachments.items()
            if isinstance(bundle, dict) and all(isinstance(v, str) for v in bundle.values())
        }
        if bundles:
            cell.attachments = bundles
    return cell


def plain_notebook(data: Any) -> NotebookNode:
    """A valid nbformat 4.5 notebook made of what is plain in ``data`` (parsed JSON), outputs cleared.

    Each cell keeps its type (unknown types become raw), its source and its
    nbgrader metadata as plain values (for :class:`RestoreMetadata` to judge);
    other cell metadata is dropped. The notebook keeps a kernelspec and a
    language name if they are strings.
    """
    if not isinstance(data, dict):
        raise UnreadableNotebook("the file is not a notebook (its JSON is not an object)")
    cells = data.get("cells") if isinstance(data.get("cells"), list) else []
    used_ids: set[str] = set()
    plain = [cell for cell in (_plain_cell(c, used_ids) for c in cells) if cell is not None]
    notebook = new_notebook(cells=plain)
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    kernelspec = metadata.get("kernelspec")
    if isinstance(kernelspec, dict) and all(isinstance(v, str) for v in kernelspec.values()):
        notebook.metadata.kernelspec = dict(kernelspec)
    language = metadata.get("language_info")
    if isinstance(language, dict) and isinstance(language.get("name"), str):
        notebook.metadata.language_info = {"name": language["name"]}
    return notebook


def read_submitted_notebook(stream: TextIO, max_chars: int) -> NotebookNode:
    """A submitted notebook as :func:`plain_notebook`, refusing files over ``max_chars`` or nested too deeply."""
    try:
        text = stream.read(max_chars + 1)
    except UnicodeDecodeError:
        raise UnreadableNotebook("the notebook is not UTF-8 text") from None
    if len(text) > max_chars:
        raise UnreadableNotebook(f"the notebook is larger than {max_chars // 2**20} MiB")
    beyond = json_beyond(text.encode("utf-8", "surrogatepass"), DEFAULT_BOUNDS)  # before parsing costs memory
    if beyond:
        raise UnreadableNotebook(f"the notebook is too big to read: {beyond}")
    try:
        data = json.loads(text)
    except RecursionError:
        raise UnreadableNotebook("the notebook's JSON is nested too deeply") from None
    except ValueError as error:
        raise UnreadableNotebook(f"the notebook is not valid JSON ({error})") from None
    if isinstance(data, dict) and data.get("nbformat") != 4:
        try:
            data = nbformat.reads(text, as_version=4)  # an older format, upgraded by nbformat
        except Exception as error:  # whatever nbformat makes of learner bytes
            raise UnreadableNotebook(f"the notebook's format could not be read ({type(error).__name__})") from None
    return plain_notebook(data)


def _kind(mode: int) -> str:
    """A file type in words."""
    kinds = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket", stat.S_IFLNK: "a link"}
    kinds |= {stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}
    return kinds.get(stat.S_IFMT(mode), "not a regular file")


def open_submitted_notebook(path: str, max_bytes: int) -> tuple[NotebookNode, float]:
    """The notebook at ``path`` (:func:`read_submitted_notebook`) and its modification time.

    Only a regular file of at most ``max_bytes`` is read: a link is never
    followed and a pipe or device never opened (or waited on, should one be
    swapped in). Anything else raises :class:`UnreadableNotebook`.
    """
    try:
        mode = os.lstat(path).st_mode
        if not stat.S_ISREG(mode):
            raise UnreadableNotebook(f"it is {_kind(mode)}, not a file")
        descriptor = os.open(path, FILE_FLAGS)
    except OSError as error:
        words = {errno.ELOOP: "it is a link", errno.ENOENT: "it is not there"}
        raise UnreadableNotebook(words.get(error.errno, f"it could not be opened: {error.strerror}")) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableNotebook(f"it is {_kind(info.st_mode)}, not a file")
        if info.st_size > max_bytes:
            raise UnreadableNotebook(f"it is {size_text(info.st_size)}, over the {size_text(max_bytes)} it may be")
        with os.fdopen(descriptor, encoding="utf-8", closefd=False) as stream:
            return read_submitted_notebook(stream, max_bytes), info.st_mtime
    finally:
        os.close(descriptor)


class SubmissionExporter(NotebookExporter):
    """nbconvert's notebook exporter, reading each notebook with :func:`open_submitted_notebook`.

    Made by nbgrader's ``Autograde`` converter once it has found the submission
    folders and before it reads any of them: it has them screened then
    (:func:`~autograder.stock.screen_submissions`). A notebook it cannot read is
    graded as missing (``resources["nbgrader"]["graded_as_missing"]`` says why),
    never failing the submission.
    """

    @property
    def max_notebook_bytes(self) -> int:
        """Largest notebook the grader reads (``c.CourseGrading.max_file_mib``); a larger one is graded as missing."""
        return CourseGrading(config=self.config).bounds().file_bytes

    def __init__(self, config: Any = None, **kw: Any) -> None:
        super().__init__(config=config, **kw)
        self.left_out = screen_submissions(self.parent) if isinstance(self.parent, Autograde) else {}

    def from_file(self, file_stream: TextIO, resources: Any = None, **kw: Any) -> tuple[Any, Any]:
        notebook = read_submitted_notebook(file_stream, self.max_notebook_bytes)
        return self.from_notebook_node(notebook, resources=resources, **kw)

    def from_filename(self, filename: str, resources: Any = None, **kw: Any) -> tuple[Any, Any]:
        """nbconvert's ``from_filename``, opening the file with :func:`open_submitted_notebook`."""
        resources = ResourcesDict() if resources is None else resources
        if not resources.get("metadata"):
            resources["metadata"] = ResourcesDict()
        folder, name = os.path.split(filename)
        resources["metadata"]["name"], resources["metadata"]["path"] = os.path.splitext(name)[0], folder
        try:
            notebook, modified = open_submitted_notebook(filename, self.max_notebook_bytes)
        except UnreadableNotebook as error:
            why = self.left_out.get(filename) or f"{shown(name)} was not read ({error}), so it was graded as missing"
            self.log.warning("%s: %s", filename, why)
            resources.setdefault("nbgrader", {})["graded_as_missing"] = why
            notebook, modified = new_notebook(), datetime.datetime.now().timestamp()
        date = datetime.datetime.fromtimestamp(modified, tz=datetime.UTC)
        resources["metadata"]["modified_date"] = date.strftime("%B %-d, %Y")
        return self.from_notebook_node(notebook, resources=resources, **kw)


@dataclass(frozen=True)
class SourceCell:
    """What the gradebook knows of one cell of the source notebook."""

    name: str
    cell_type: str
    source: str
    locked: bool
    checksum: str | None
    grade: bool
    solution: bool
    task: bool
    points: float | None

    def nbgrader_metadata(self) -> dict[str, Any]:
        """The cell's nbgrader metadata as the release has it, with the source's checksum."""
        metadata: dict[str, Any] = {
            "grade": self.grade,
            "solution": self.solution,
            "locked": self.locked,
            "task": self.task,
            "grade_id": self.name,
            "cell_type": self.cell_type,
            "schema_version": SCHEMA_VERSION,
        }
        if self.checksum:
            metadata["checksum"] = self.checksum
        if self.points is not None:
            metadata["points"] = int(self.points) if float(self.points).is_integer() else self.points
        return metadata


def source_cells(db_url: str, notebook: str, assignment: str) -> tuple[list[SourceCell], dict | None]:
    """The source notebook's cells, in the gradebook's order (the notebook's), and its kernelspec."""
    with Gradebook(db_url) as gradebook:
        found = gradebook.find_notebook(notebook, assignment)
        points = {cell.name: cell.max_score for cell in [*found.grade_cells, *found.task_cells]}
        grades = {cell.name for cell in found.grade_cells}
        solutions = {cell.name for cell in found.solution_cells}
        tasks = {cell.name for cell in found.task_cells}
        cells = [
            SourceCell(
                name=cell.name,
                cell_type=cell.cell_type,
                source=cell.source or "",
                locked=bool(cell.locked),
                checksum=cell.checksum,
                grade=cell.name in grades,
                solution=cell.name in solutions,
                task=cell.name in tasks,
                points=points.get(cell.name),
            )
            for cell in found.source_cells
        ]
        kernelspec = json.loads(found.kernelspec) if found.kernelspec else None
    return cells, kernelspec


def _set_type(cell: NotebookNode, cell_type: str) -> None:
    """Give a cell the source's type, with the fields nbformat wants for it."""
    if cell.cell_type == cell_type:
        return
    cell.cell_type = cell_type
    cell.pop("attachments", None)
    if cell_type == "code":
        cell.outputs, cell.execution_count = [], None
    else:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)


def restore_cells(cells: list[NotebookNode], reference: list[SourceCell]) -> list[NotebookNode]:
    """``cells`` with nbgrader metadata from ``reference`` only, and missing grade and task cells added back."""
    known = {source.name: source for source in reference}
    placed: dict[str, NotebookNode] = {}
    for cell in reversed(cells):  # the last cell claiming an id keeps it
        claimed = cell.metadata.pop("nbgrader", None)
        grade_id = claimed.get("grade_id") if isinstance(claimed, dict) else None
        if isinstance(grade_id, str) and grade_id in known and grade_id not in placed:
            source = known[grade_id]
            _set_type(cell, source.cell_type)
            cell.metadata.nbgrader = source.nbgrader_metadata()
            placed[grade_id] = cell
    restored = list(cells)
    for position, source in enumerate(reference):
        if source.name in placed or not (source.grade or source.task):
            continue
        make = new_code_cell if source.cell_type == "code" else new_markdown_cell
        cell = make(source.source, metadata={"nbgrader": source.nbgrader_metadata()})
        before = [placed[s.name] for s in reference[:position] if s.name in placed]
        index = next(i for i, c in enumerate(restored) if c is before[-1]) + 1 if before else 0
        restored.insert(index, cell)
        placed[source.name] = cell
    return restored


class RestoreMetadata(NbGraderPreprocessor):
    """Rebuild every cell's nbgrader metadata, and the notebook's kernelspec, from the gradebook.

    The first step of nbgrader's sanitising stage (``c.Autograde.sanitize_preprocessors``),
    so that stock ``nbgrader autograde`` and ``course grade`` both believe nothing a
    submission says about its own cells.
    """

    def preprocess(self, nb: NotebookNode, resources: Any) -> tuple[NotebookNode, Any]:
        info = resources["nbgrader"]
        reference, kernelspec = source_cells(info["db_url"], info["notebook"], info["assignment"])
        notebook = plain_notebook(nb)
        notebook.cells = restore_cells(notebook.cells, reference)
        if info.get("graded_as_missing"):
            note = f"**Graded as missing, 0 points:** {info['graded_as_missing']}."
            notebook.cells.insert(0, new_markdown_cell(note))
        if kernelspec:
            notebook.metadata = NotebookNode(kernelspec=kernelspec)
            if isinstance(kernelspec.get("language"), str):
                notebook.metadata.language_info = {"name": kernelspec["language"]}
        return notebook, resources
