"""Folders as bytes and back, for grading on machines that share no filesystem.

:func:`pack` turns the regular files of chosen folders into one uncompressed
tar (never following a link), :func:`unpack` writes such a tar back, and
trusts nothing in it: what a grading machine returns went through code that
ran beside learner code, so every member must be a plain file or folder with
a relative name under an expected top folder (no absolute path, no ``..``,
no link or device), and counts and sizes are checked against
:class:`ArchiveLimits` before anything is written. A file is created with
``O_EXCL | O_NOFOLLOW``, so nothing in the target can be overwritten through
a link either.
"""

from __future__ import annotations

import fnmatch
import io
import os
import stat
import tarfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MIB = 1024**2


class HostileArchive(ValueError):
    """An archive that breaks :class:`ArchiveLimits` or names something other than plain files and folders."""


@dataclass(frozen=True)
class ArchiveLimits:
    """What an archive may hold: members, bytes per file and in all, folders deep, characters per name."""

    members: int = 2_000
    file_bytes: int = 128 * MIB
    total_bytes: int = 256 * MIB
    depth: int = 16
    name_chars: int = 1_000


def pack(root: Path, tops: Iterable[str], skip: Iterable[str] = ()) -> bytes:
    """The regular files and folders under ``root/<top>`` for each of ``tops``, as an uncompressed tar.

    Links and anything but files and folders are skipped, never followed;
    missing tops are skipped too, and files whose name matches a pattern of ``skip`` (``*.ipynb``).
    """
    skip = tuple(skip)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for top in tops:
            start = root / top
            if not start.is_dir() or start.is_symlink():
                continue
            for folder, names, files in os.walk(start):  # os.walk never descends into a linked folder
                here = Path(folder)
                archive.add(here, arcname=here.relative_to(root).as_posix(), recursive=False)
                names[:] = sorted(name for name in names if not (here / name).is_symlink())
                for name in sorted(files):
                    path = here / name
                    if stat.S_ISREG(path.lstat().st_mode) and not any(fnmatch.fnmatch(name, p) for p in skip):
                        archive.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
    return buffer.getvalue()


def _checked_name(member: tarfile.TarInfo, tops: tuple[str, ...], limits: ArchiveLimits) -> PurePosixPath:
    """The member's name as a relative path under one of ``tops``; raises :class:`HostileArchive` otherwise."""
    name = member.name
    path = PurePosixPath(name)
    if len(name) > limits.name_chars or "\0" in name or "\\" in name:
        raise HostileArchive(f"a member's name is too long or holds odd characters: {name[:80]!r}")
    if path.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        raise HostileArchive(f"a member's name is not a plain relative path: {name[:80]!r}")
    if path.parts[0] not in tops:
        raise HostileArchive(f"a member lies outside {', '.join(tops)}: {name[:80]!r}")
    if len(path.parts) > limits.depth:
        raise HostileArchive(f"a member is nested deeper than {limits.depth} folders: {name[:80]!r}")
    return path


def unpack(data: bytes, into: Path, tops: Iterable[str], limits: ArchiveLimits = ArchiveLimits()) -> list[str]:
    """Write the tar ``data`` under ``into``; return the files written.

    Every member is checked before anything is written; an archive that breaks
    a rule raises :class:`HostileArchive` naming it, and ``into`` is left as it was.
    """
    tops = tuple(tops)
    if len(data) > limits.total_bytes + (limits.members + 1) * 2048:  # headers: 512 B each, PAX ones a few more
        raise HostileArchive(f"the archive is {len(data)} bytes, over the {limits.total_bytes} allowed")
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
            members: list[tarfile.TarInfo] = []
            total = 0
            for member in archive:
                if len(members) >= limits.members:
                    raise HostileArchive(f"the archive holds more than {limits.members} members")
                if not (member.isreg() or member.isdir()):
                    raise HostileArchive(f"a member is not a plain file or folder: {member.name[:80]!r}")
                _checked_name(member, tops, limits)
                if member.size > limits.file_bytes:
                    raise HostileArchive(f"a file is over {limits.file_bytes} bytes: {member.name[:80]!r}")
                total += member.size
                if total > limits.total_bytes:
                    raise HostileArchive(f"the archive holds over {limits.total_bytes} bytes")
                members.append(member)
            names = [member.name for member in members]
            if len(set(names)) != len(names):
                raise HostileArchive("the archive names a member twice")
            return _write(archive, members, into)
    except tarfile.TarError as error:
        raise HostileArchive(f"the archive cannot be read: {error}") from None


def _write(archive: tarfile.TarFile, members: list[tarfile.TarInfo], into: Path) -> list[str]:
    """Write checked members: folders made (never through a link), files created anew, mode 0600 or 0700."""
    written = []
    for member in members:
        target = into / member.name
        for parent in reversed([*PurePosixPath(member.name).parents][:-1]):
            _folder(into / parent)
        if member.isdir():
            _folder(target)
            continue
        source = archive.extractfile(member)
        assert source is not None  # a regular file always has contents
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        with os.fdopen(descriptor, "wb") as sink:
            while chunk := source.read(MIB):
                sink.write(chunk)
        written.append(member.name)
    return written


def _folder(path: Path) -> None:
    """Make folder ``path`` unless it is one already; a link or a file in its place raises."""
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        if not stat.S_ISDIR(path.lstat().st_mode):
            raise HostileArchive(f"{path.name[:80]!r} is in the way of a folder") from None
