"""Reading a learner's submission folder safely: regular files within bounds, never a link followed.

A submission folder is the learner's to fill: links (to ``/proc/self/mem``, to
other learners' folders, in loops), named pipes that block whoever opens them,
devices, sockets, sparse files of many gigabytes, trees thousands of folders
deep, hundreds of thousands of files, names with newlines or bytes that are
not UTF-8. :func:`read_submission` takes only what the grader can grade, its
regular files within :class:`Bounds`, reads each exactly once (so what is
fingerprinted is what is staged, even if the learner's files change meanwhile),
and notes everything else in plain words for the summary. It never raises
because of what the folder holds.
"""

from __future__ import annotations

import errno
import hashlib
import mimetypes
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograder.settings import MIB, CourseGrading, default

#: Names the grader writes into an autograded folder: a learner's file of such a name is left out.
RESERVED_PREFIX = ".course-grade"
#: Student ids and assignment names ``course grade`` grades: what hub usernames are made of (letters,
#: digits, ``_ . @ + -``), starting with a letter or a digit, at most 100 characters. nbgrader's formgrader
#: prints a student id as HTML unescaped, and a student may choose the folder name it comes from.
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@+-]{0,99}")
SAFE_NAME_RULE = "1 to 100 letters, digits and _ . @ + -, starting with a letter or a digit"
_KINDS = {
    stat.S_IFLNK: "a link",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}
#: Files a browser renders as a page or runs. The formgrader serves any file of an autograded folder in
#: the instructor's own origin (/formgrader/submissions/<id>/<file>), typed by the machine's
#: ``mimetypes`` (/etc/mime.types), so a file of such a type is never kept: these suffixes, and any
#: suffix that ``mimetypes`` maps to an HTML, XML, script, PDF or Flash type.
PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".xht", ".svg", ".svgz", ".xml", ".xsl", ".xslt", ".js", ".mjs")
PAGE_SUFFIXES += (".mht", ".mhtml", ".pdf", ".swf", ".appcache", ".manifest", ".webmanifest")
_PAGE_TYPES = {"text/html", "text/xml", "text/xsl", "application/xml", "application/pdf", "text/cache-manifest"}
_PAGE_TYPES |= {"application/x-shockwave-flash", "application/manifest+json", "message/rfc822", "multipart/related"}
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
#: Files are opened without following a link and without blocking, should a pipe be swapped in.
FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_CHUNK = MIB


@dataclass(frozen=True)
class Bounds:
    """What of a submission folder is staged and fingerprinted: its regular files, within these bounds.

    Everything else (links, pipes, devices, sockets, files or trees beyond a
    bound, names that are not plain text) is left out and named in the
    summary, so that no folder can stop the batch or lead the grader out of it.
    The defaults are :class:`~autograder.settings.CourseGrading`'s, and an instructor sets them there.
    """

    files: int = default(CourseGrading, "max_files")
    depth: int = default(CourseGrading, "max_depth")  # folders below the assignment folder
    file_bytes: int = default(CourseGrading, "max_file_mib") * MIB  # a notebook too
    total_bytes: int = default(CourseGrading, "max_total_mib") * MIB
    name_chars: int = default(CourseGrading, "max_name_chars")
    entries: int = default(CourseGrading, "max_entries")  # looked at below the top folder, kept or not
    notebook_nesting: int = default(CourseGrading, "max_notebook_nesting")  # levels of JSON in a notebook
    notebook_values: int = default(CourseGrading, "max_notebook_values")  # commas and openings outside strings
    notebook_objects: int = default(CourseGrading, "max_notebook_objects")  # cells, outputs, ...: the costly values
    notes: int = default(CourseGrading, "summary_notes")  # lines in the summary on what was left out


DEFAULT_BOUNDS = Bounds()


@dataclass
class Submission:
    """What a submission folder holds within bounds: its digest, the files kept, and what was left out."""

    fingerprint: str
    files: list[str]
    notes: list[str]


class _CopyFailed(Exception):
    """Writing the staged copy failed (a full disk, say): the grader's problem, not the folder's."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


class _Copy:
    """The staged copy of one file (or none); an error writing it raises :class:`_CopyFailed`."""

    def __init__(self, target: Path | None) -> None:
        self.handle = None
        if target is not None:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                self.handle = target.open("xb")
            except OSError as error:
                raise _CopyFailed(error) from error

    def write(self, chunk: bytes) -> None:
        try:
            if self.handle is not None:
                self.handle.write(chunk)
        except OSError as error:
            raise _CopyFailed(error) from error

    def close(self) -> None:
        """Flush and close; a full disk often shows only here."""
        try:
            if self.handle is not None:
                self.handle.close()
        except OSError as error:
            raise _CopyFailed(error) from error


def safe_name(name: str) -> bool:
    """Whether ``name`` is a student id or assignment name ``course grade`` grades (:data:`SAFE_NAME`)."""
    return SAFE_NAME.fullmatch(name) is not None


def shown(name: str, width: int = 80) -> str:
    """A learner's file name as plain text: non-UTF-8 bytes and control characters escaped, cut to ``width``."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _odd_name(name: str, bounds: Bounds) -> str | None:
    """Why the grader leaves out a file or folder of this name, or None if it takes it."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "a name that is not UTF-8"
    if not name.isprintable():
        return "a control character in its name"
    if len(name) > bounds.name_chars:
        return f"a name longer than {bounds.name_chars} characters"
    if _GLOB_CHARACTERS.intersection(name):
        # nbgrader's is_ignored globs each file's folder path: a folder named * lists every folder beside it, and a
        # chain of them made each file's check list the whole tree (92 s of CPU a pass for 200 such folders)
        return "a *, ? or [ in its name, which nbgrader would read as a pattern"
    return None


#: Characters Python's glob reads as a pattern in a path (nbgrader globs paths that hold learner names)
_GLOB_CHARACTERS = frozenset("*?[")


def _is_page_type(media_type: str | None) -> bool:
    if media_type is None:
        return False  # served as application/octet-stream: downloaded, never rendered
    return media_type in _PAGE_TYPES or media_type.endswith("+xml") or "script" in media_type


def is_page(name: str) -> bool:
    """Whether a browser would render or run a file of this name (any case: EVIL.HTML too)."""
    media_type, _ = mimetypes.guess_type(name.lower(), strict=False)
    return name.lower().endswith(PAGE_SUFFIXES) or _is_page_type(media_type)


def size_text(count: float) -> str:
    """A byte count for people: 512 bytes, 1.5 MiB, 10.0 GiB."""
    if count < 1024:
        return f"{count:.0f} bytes"
    for unit in ("KiB", "MiB"):
        count /= 1024
        if count < 1024:
            return f"{count:.1f} {unit}"
    return f"{count / 1024:.1f} GiB"


class _FolderReader:
    """Reads a submission folder without following links, within bounds; copies what it keeps if asked.

    Every entry is looked at with ``lstat`` and opened relative to its folder's
    descriptor with ``O_NOFOLLOW``, and a file is checked again with ``fstat``
    once open, so neither a link nor an entry swapped for a link or a pipe after
    the listing is ever followed or blocks. Reading errors become notes; an error
    writing the copy raises :class:`_CopyFailed`.
    """

    def __init__(self, bounds: Bounds, copy_to: Path | None) -> None:
        self.bounds = bounds
        self.copy_to = copy_to
        self.digests: dict[str, bytes] = {}
        self.notes: list[str] = []
        self.unnoted = 0
        self.total = 0
        self.entries = 0

    def note(self, text: str) -> None:
        if text in self.notes:
            return
        if len(self.notes) < self.bounds.notes:
            self.notes.append(text)
        else:
            self.unnoted += 1

    def result(self) -> Submission:
        """The files kept, in order, and a digest of their names and contents that does not depend on the order."""
        digest = hashlib.sha256()
        for path in sorted(self.digests):
            digest.update(path.encode() + b"\0" + self.digests[path])
        more = [f"and {self.unnoted} more entries were ignored"] if self.unnoted else []
        return Submission(digest.hexdigest(), list(self.digests), self.notes + more)

    def folder(self, folder: int, relative: str, depth: int, first: Sequence[str] = ()) -> None:
        """Read the open folder ``folder``, ``relative`` to the submission and ``depth`` folders down.

        The entries named in ``first`` (the assignment's notebooks) are read
        before any other, so no pile of other files can push them out of bounds.
        """
        for name in first:
            if _exists(name, folder):
                self.entry(folder, name, f"{relative}{name}", depth, notebook=True)
        names: list[str] = []
        with os.scandir(folder) as listing:
            for entry in listing:
                if entry.name in first:
                    continue
                if self.entries >= self.bounds.entries:
                    self.note(f"the folder holds more than {self.bounds.entries} entries: the rest was ignored")
                    break
                self.entries += 1
                names.append(entry.name)
        for name in sorted(names):
            self.entry(folder, name, f"{relative}{name}", depth)

    def entry(self, folder: int, name: str, path: str, depth: int, notebook: bool = False) -> None:
        """Keep, enter or leave out one entry of an open folder (``notebook``: one of the assignment's)."""
        ignored = "ignored, so it was graded as missing" if notebook else "ignored"
        if name == ".ipynb_checkpoints":
            return
        odd = _odd_name(name, self.bounds)
        if odd:
            self.note(f"{shown(path)} has {odd}: {ignored}")
            return
        if depth == 0 and name.startswith(RESERVED_PREFIX):
            self.note(f"{shown(path)} has a name the grader keeps for its own records: ignored")
            return
        try:
            info = os.stat(name, dir_fd=folder, follow_symlinks=False)
        except OSError as error:
            self.note(f"{shown(path)} could not be read ({error.strerror}): {ignored}")
            return
        if stat.S_ISDIR(info.st_mode):
            if depth == 0 and name.endswith(".ipynb"):  # nbgrader would take it for a notebook
                self.note(f"{shown(path)} is a folder named like a notebook: {ignored}")
            elif depth + 1 > self.bounds.depth:
                self.note(f"{shown(path)} is nested deeper than {self.bounds.depth} folders: ignored")
            else:
                self.subfolder(folder, name, path, depth)
        elif stat.S_ISREG(info.st_mode) and is_page(name) and not notebook:
            self.note(f"{shown(path)} is a web page or script, which would open in the instructor's session: ignored")
        elif stat.S_ISREG(info.st_mode):
            self.file(folder, name, path, info.st_size, ignored)
        else:
            self.note(f"{shown(path)} is {_KINDS.get(stat.S_IFMT(info.st_mode), 'not a regular file')}: {ignored}")

    def subfolder(self, folder: int, name: str, path: str, depth: int) -> None:
        try:
            inner = os.open(name, _FOLDER_FLAGS, dir_fd=folder)
        except OSError as error:
            self.note(f"{shown(path)} could not be opened ({error.strerror}): ignored")
            return
        try:
            self.folder(inner, f"{path}/", depth + 1)
        except OSError as error:
            self.note(f"{shown(path)} could not be read ({error.strerror}): ignored")
        finally:
            os.close(inner)

    def file(self, folder: int, name: str, path: str, size: int, ignored: str) -> None:
        """Read (and copy) one regular file if it fits the bounds, digesting exactly what was read."""
        bounds = self.bounds
        if len(self.digests) >= bounds.files:
            self.note(f"the folder holds more than {bounds.files} files: the rest was ignored")
            return
        if size > bounds.file_bytes:
            self.note(
                f"{shown(path)} is {size_text(size)}, over the {size_text(bounds.file_bytes)} a file may be: {ignored}"
            )
            return
        room = min(bounds.file_bytes, bounds.total_bytes - self.total)
        if size > room:
            self.note(f"{shown(path)} would take the folder over {size_text(bounds.total_bytes)}: {ignored}")
            return
        try:
            descriptor = os.open(name, FILE_FLAGS, dir_fd=folder)
        except OSError as error:
            self.note(f"{shown(path)} could not be read ({error.strerror}): {ignored}")
            return
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                self.note(f"{shown(path)} changed into something other than a file: {ignored}")
                return
            digest, read = self._read(descriptor, path, room)
        except OSError as error:
            self._discard(path)
            self.note(f"{shown(path)} could not be read ({error.strerror}): {ignored}")
            return
        finally:
            os.close(descriptor)
        if read > room:
            self._discard(path)
            self.note(f"{shown(path)} grew past {size_text(room)} while it was read: {ignored}")
            return
        self.digests[path] = digest
        self.total += read

    def _read(self, descriptor: int, path: str, room: int) -> tuple[bytes, int]:
        """The digest of the open file and how much was read (at most ``room + 1`` bytes), copied if asked."""
        digest = hashlib.sha256()
        read = 0
        copy = _Copy(None if self.copy_to is None else self.copy_to / path)
        try:
            while read <= room:
                chunk = os.read(descriptor, min(_CHUNK, room + 1 - read))
                if not chunk:
                    break
                read += len(chunk)
                digest.update(chunk)
                copy.write(chunk)
        finally:
            copy.close()
        return digest.digest(), read

    def _discard(self, path: str) -> None:
        if self.copy_to is not None:
            (self.copy_to / path).unlink(missing_ok=True)


def _exists(name: str, folder: int) -> bool:
    try:
        os.stat(name, dir_fd=folder, follow_symlinks=False)
    except OSError:
        return False
    return True


def _open_submission(root: Path, student: str, assignment: str, reader: _FolderReader) -> int | None:
    """A descriptor of ``submitted/<student>/<assignment>``, or None (noted) if either is a link or unreadable."""
    where = "submitted"
    try:
        folder = os.open(root / where, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)  # the course's own folder
    except OSError as error:
        reader.note(f"{where} could not be opened ({error.strerror}), so nothing was graded")
        return None
    for name in (student, assignment):
        where = f"{where}/{name}"
        try:
            inner: int | None = os.open(name, _FOLDER_FLAGS, dir_fd=folder)
        except OSError as error:
            link = error.errno in (errno.ELOOP, errno.ENOTDIR) and os.path.islink(root / where)
            why = "is a link, not a folder: not followed" if link else f"could not be opened ({error.strerror})"
            reader.note(f"{shown(where)} {why}, so nothing of it was graded")
            inner = None
        finally:
            os.close(folder)
        if inner is None:
            return None
        folder = inner
    return folder


def read_submission(
    root: Path,
    student: str,
    assignment: str,
    notebooks: Sequence[str] = (),
    bounds: Bounds = DEFAULT_BOUNDS,
    copy_to: Path | None = None,
) -> Submission:
    """What ``submitted/<student>/<assignment>`` holds within ``bounds``, copied into ``copy_to`` if given.

    The files named in ``notebooks`` (the assignment's notebooks) are taken
    first. Never raises because of what the folder holds; raises OSError only
    if writing the copy fails.
    """
    reader = _FolderReader(bounds, copy_to)
    try:
        if copy_to is not None:
            copy_to.mkdir(parents=True, exist_ok=True)
        folder = _open_submission(root, student, assignment, reader)
        if folder is not None:
            try:
                reader.folder(folder, "", 0, notebooks)
            except OSError as error:
                reader.note(f"the submission folder could not be read ({error.strerror}): what was read is graded")
            finally:
                os.close(folder)
    except _CopyFailed as failure:
        raise failure.error from None
    return reader.result()


def fingerprint(
    root: Path, student: str, assignment: str, notebooks: Sequence[str] = (), bounds: Bounds = DEFAULT_BOUNDS
) -> str:
    """A digest of what of a submission would be graded, so a changed submission is graded again."""
    return read_submission(root, student, assignment, notebooks, bounds).fingerprint


def regular_file_bytes(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes (opened without following a link)."""
    descriptor = os.open(path, FILE_FLAGS)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("it is not a regular file")
        if info.st_size > limit:
            raise ValueError(f"it is {size_text(info.st_size)}, over the {size_text(limit)} a file may be")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read(limit + 1)
    finally:
        os.close(descriptor)


@dataclass(frozen=True)
class JsonShape:
    """What a JSON text holds, counted outside its strings without parsing it."""

    values: int  # openings and commas: one per value, about
    objects: int  # ``{``: the values that cost most to build and to check
    depth: int  # the deepest nesting of arrays and objects


_SCAN_CHUNK = 1 << 18
_QUOTE, _BACKSLASH, _COMMA = ord('"'), ord("\\"), ord(",")


def json_shape(data: bytes) -> JsonShape:
    """Count the values, objects and depth of the JSON ``data`` in linear time and bounded memory.

    A byte is in a string when an odd number of unescaped quotes come before
    it; a quote is escaped when an odd run of backslashes comes just before it.
    Both are carried from one chunk to the next. Where ``data`` is not JSON
    the counts may be wrong, but only past the first error, where a parser stops.
    """
    codes = np.frombuffer(data, dtype=np.uint8)
    values = objects = depth = deepest = 0
    backslashes, quoted = 0, 0  # the run of backslashes ending the previous chunk; whether it ended in a string
    for start in range(0, len(codes), _SCAN_CHUNK):
        chunk = codes[start : start + _SCAN_CHUNK]
        index = np.arange(len(chunk))
        last_other = np.maximum.accumulate(np.where(chunk == _BACKSLASH, -1, index))
        run = index - last_other + np.where(last_other < 0, backslashes, 0)  # backslashes ending at each byte
        escaped = np.concatenate(([backslashes], run[:-1])) % 2 == 1
        inside = (np.cumsum((chunk == _QUOTE) & ~escaped) + quoted) % 2 == 1
        braces = (chunk == ord("{")) & ~inside
        opening = braces | ((chunk == ord("[")) & ~inside)
        closing = ((chunk == ord("}")) | (chunk == ord("]"))) & ~inside
        levels = depth + np.cumsum(opening.astype(np.int64) - closing)
        values += int(opening.sum() + ((chunk == _COMMA) & ~inside).sum())
        objects += int(braces.sum())
        deepest, depth = max(deepest, int(levels.max())), int(levels[-1])
        backslashes, quoted = int(run[-1]), int(inside[-1])
    return JsonShape(values, objects, deepest)


def json_beyond(data: bytes, bounds: Bounds) -> str | None:
    """Why the JSON ``data`` is beyond a notebook's bounds (values, objects, nesting), or None."""
    shape = json_shape(data)
    if shape.depth > bounds.notebook_nesting:
        return f"its JSON is nested more than {bounds.notebook_nesting} levels deep"
    if shape.values > bounds.notebook_values:
        return f"its JSON holds more than {bounds.notebook_values:,} values"
    if shape.objects > bounds.notebook_objects:
        return f"its JSON holds more than {bounds.notebook_objects:,} objects"
    return None
