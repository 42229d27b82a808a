"""Stock ``nbgrader autograde`` reads a submission folder as ``course grade`` does: regular files within bounds.

nbgrader itself trusts a submission folder: it copies every other file with
``shutil.copy`` (a link to ``solutions/`` or to the gradebook arrives in
``autograded/`` as a file, ``/dev/zero`` fills the disk, a named pipe fails the
submission), reads ``timestamp.txt`` whole (a pipe blocks the run, ``/dev/zero``
fills memory, text it cannot parse fails the submission), walks trees with a
recursive ``os.walk`` and opens the notebook wherever a link points (the source
notebook, solutions and all). No nbgrader setting bounds this, and its
``pre_convert_hook`` comes too late: to decide whether to grade a submission
again, nbgrader reads its ``timestamp.txt`` before the hook runs.

The one piece of configured code nbgrader runs after it has found the
submission folders and before it reads any of them is the constructor of
``c.Autograde.exporter_class``: there :class:`~autograder.restore.SubmissionExporter`
calls :func:`screen_submissions`. Each folder is read with
:func:`autograder.folders.read_submission`. A folder that holds only what it
keeps is left as it is. Otherwise a copy of what it keeps takes the folder's
place, and the folder as submitted is moved, untouched, into a new hidden
folder beside it (``.left-out-*``, which no nbgrader glob matches); the log
names what was left out and where it went. A notebook left out is missing for
nbgrader, which grades it 0.
"""

from __future__ import annotations

import datetime
import os
import shutil
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from nbgrader.api import Gradebook, MissingEntry

from autograder import receipts
from autograder.folders import DEFAULT_BOUNDS, Bounds, read_submission, safe_name, shown
from autograder.settings import CourseGrading

#: Prefix of the hidden folder a submission folder (or a link in its place) is moved into.
LEFT_OUT_PREFIX = ".left-out-"


def set_aside(root: Path, parent: Path, name: str) -> str:
    """Move the entry ``name`` of ``parent`` (a link itself, never what it points to) into a new hidden folder.

    The folder is made beside the entry with :func:`tempfile.mkdtemp` (mode 0700, a fresh name); returns
    the entry's new path, relative to the course's ``root``.
    """
    aside = Path(tempfile.mkdtemp(prefix=LEFT_OUT_PREFIX, dir=parent))
    os.rename(parent / name, aside / name)
    return shown(str((aside / name).relative_to(root)), 200)


def holds_only(folder: Path, kept: Sequence[str]) -> bool:
    """Whether ``folder`` holds nothing but the files ``kept`` (relative paths) and the folders leading to them.

    Only folders leading to a kept file are listed, and a listing stops at its first other entry, so this
    costs no more than what is kept. No link is followed.
    """
    files = set(kept)
    parents = {str(parent) for path in files for parent in PurePosixPath(path).parents}
    pending = ["."]
    try:
        while pending:
            relative = pending.pop()
            with os.scandir(folder / relative) as listing:
                for entry in listing:
                    path = os.path.normpath(os.path.join(relative, entry.name))
                    if path in files and entry.is_file(follow_symlinks=False):
                        continue
                    if path in parents and entry.is_dir(follow_symlinks=False):
                        pending.append(path)
                        continue
                    return False
    except OSError:
        return False
    return True


def screen_folder(
    root: Path,
    student: str,
    assignment: str,
    notebooks: Sequence[str] = (),
    bounds: Bounds = DEFAULT_BOUNDS,
    *,
    due: datetime.datetime | None = None,
    config: Any = None,
) -> list[str]:
    """Leave in ``submitted/<student>/<assignment>`` only what ``course grade`` would grade; what was left out.

    Its ``timestamp.txt`` is made to say the time :func:`autograder.receipts.decide` trusts (the exchange's
    receipt, ...; ``due`` is the assignment's due date, ``config`` holds ``c.SubmissionTimes``), and the notes
    say why when it needs a word.

    ``notebooks`` (the assignment's notebook files) are taken first, as in
    :func:`~autograder.folders.read_submission`. A student or assignment folder
    that is a link is set aside itself, so nothing of it is graded. Returns a
    sentence per thing left out, and where the folder as submitted went; an
    empty list when the folder was left as it is. Raises OSError only if the
    course's own folders cannot be written.
    """
    submitted = root / "submitted"
    for parent, name in ((submitted, student), (submitted / student, assignment)):
        if (parent / name).is_symlink():
            where = set_aside(root, parent, name)
            named = shown(str((parent / name).relative_to(root)))
            return [f"{named} is a link, not a folder: not followed, so nothing of it was graded (now {where})"]
    folder, parent = submitted / student / assignment, submitted / student
    submission = read_submission(root, student, assignment, notebooks, bounds)
    # nbgrader reads the time from timestamp.txt, which the learner writes: a trusted one takes its place
    times, retime = receipts.decide(root, assignment, student, folder, due=due, config=config)
    notes = submission.notes + list(times.notes)
    if not submission.notes and not retime and holds_only(folder, submission.files):
        return notes
    clean = Path(tempfile.mkdtemp(prefix=".screened-", dir=parent))
    try:
        copied = read_submission(root, student, assignment, notebooks, bounds, copy_to=clean)
        notes = copied.notes + list(times.notes)
        receipts.write_timestamp(clean, times.time)
        os.chmod(clean, stat.S_IMODE(folder.stat().st_mode))
    except OSError as error:
        shutil.rmtree(clean, ignore_errors=True)
        where = set_aside(root, parent, assignment)
        return [*notes, f"what it keeps could not be copied ({error.strerror}), so nothing of it was graded: {where}"]
    where = set_aside(root, parent, assignment)
    os.rename(clean, folder)
    return [*(notes or ["only .ipynb_checkpoints or empty folders were left out"]), f"as submitted, it is now {where}"]


def _notebook_names(db_url: str, assignment: str) -> list[str]:
    """The assignment's notebook files as the gradebook knows them (none if it does not know the assignment)."""
    with Gradebook(db_url) as gradebook:
        try:
            return sorted(f"{notebook.name}.ipynb" for notebook in gradebook.find_assignment(assignment).notebooks)
        except MissingEntry:
            return []


def screen_submissions(converter: Any) -> dict[str, str]:
    """Screen every submission folder nbgrader's ``Autograde`` converter has found, before it reads any.

    Logs what was left out of each. Returns, for each notebook nbgrader means to
    grade that is no longer there, the sentence saying why (for its feedback).
    A folder that cannot be screened is set aside whole (or, if even that fails,
    dropped from the run, so not graded), so nbgrader never reads an unscreened folder.
    """
    coursedir, log = converter.coursedir, converter.log
    root = Path(coursedir.root)
    bounds = CourseGrading(config=converter.config).bounds()  # c.CourseGrading.*, as course grade reads them
    if coursedir.submitted_directory != "submitted" or coursedir.directory_structure != os.path.join(
        "{nbgrader_step}", "{student_id}", "{assignment_id}"
    ):
        raise ValueError("autograder.stock screens submitted/<student>/<assignment> only: keep nbgrader's layout")
    names: dict[str, list[str]] = {}
    dues: dict[str, datetime.datetime | None] = {}
    why: dict[str, str] = {}
    for folder in sorted(converter.assignments):
        student, assignment = Path(folder).relative_to(root / "submitted").parts
        if not safe_name(student):  # its id would be printed unescaped by the formgrader's pages
            log.warning(
                "Not graded: submitted/%s: a student id must be letters, digits and _.@+- only; rename the folder",
                shown(student),
            )
            del converter.assignments[folder]
            continue
        if assignment not in names:
            names[assignment] = _notebook_names(coursedir.db_url, assignment)
            dues[assignment] = receipts.due_date(coursedir.db_url, assignment)
        try:
            times = {"due": dues[assignment], "config": converter.config}
            notes = screen_folder(root, student, assignment, names[assignment], bounds, **times)
        except OSError as error:
            notes = [f"it could not be screened ({error.strerror}), so nothing of it was graded"]
            try:
                notes.append(f"as submitted, it is now {set_aside(root, Path(folder).parent, assignment)}")
            except OSError:
                notes.append("it could not be set aside either, so nbgrader skips it")
                del converter.assignments[folder]
        for note in notes:
            log.warning("Screened %s: %s", shown(f"submitted/{student}/{assignment}", 200), note)
        for notebook in converter.assignments.get(folder, ()):
            name = shown(os.path.basename(notebook))
            if notes and not os.path.lexists(notebook):
                fallback = f"{name} was graded as missing: {notes[0]}"
                why[notebook] = next((n for n in notes if n.startswith(f"{name} ")), fallback)
    return why
