"""Every limit and knob an instructor may tune, each with its one default and its help, in one place.

Three sections of ``nbgrader_config.py`` (or any configuration file nbgrader reads) are declared here:

- ``c.HardenedExecute.<name>``: how one notebook is run. The traits are declared on
  :class:`NotebookLimits`, which :class:`~autograder.execute.HardenedExecute` inherits, so stock
  ``nbgrader autograde`` and ``course grade`` read them from the same section. ``timeout`` is
  nbgrader's own cell time, so ``c.Execute.timeout`` sets it too.
- ``c.CourseGrading.<name>``: the batch of ``course grade``: how many workers, and the bounds of a
  submission folder (what is staged, fingerprinted and screened for stock nbgrader too). The batch
  builds it from the loaded configuration, ``CourseGrading(config=config)``, and calls
  :meth:`CourseGrading.bounds`; no default is written anywhere else.
- ``c.HiddenData.<name>``: whose hidden cases a learner gets: the course salt, and whether each
  learner's are drawn from their student id and from what they submitted too (:meth:`HiddenData.seed`,
  read by ``HardenedExecute``).

The others are declared beside the code they configure and listed by :func:`sections`:
``c.SubmissionTimes`` (:mod:`autograder.receipts`), ``c.PenaltyPerHourLate`` (:mod:`autograder.late_penalty`),
``c.CanvasExportPlugin`` (:mod:`autograder.lms_export`), ``c.FeedbackExporter`` (:mod:`autograder.feedback`) and
``c.LearnerContentStyle`` (:mod:`autograder.sanitize`).

Where a default is needed outside a configured object (``sandbox.Limits``, ``folders.Bounds``), it is
read from these traits (:func:`default`), never restated. The README's settings table is
:func:`settings_table`, every section's own settings; ``python -m autograder.settings`` prints it and
``tests/test_settings.py`` proves the README shows exactly that and that no class of ``autograder/`` with
settings of its own is left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from traitlets import Bool, Float, Integer, TraitType, Unicode
from traitlets.config import Configurable

if TYPE_CHECKING:
    from autograder.cases import Seed
    from autograder.folders import Bounds

MIB = 1024**2


class NotebookLimits(Configurable):
    """How long, how much and with what protection one submitted notebook is run."""

    timeout = Integer(
        60, allow_none=True, help="Seconds one cell may run; a cell that runs longer is stopped and scores 0."
    ).tag(config=True)
    notebook_timeout = Integer(
        600, help="Seconds one notebook may run in all; cells after that are not run and score 0."
    ).tag(config=True)
    require_sandbox = Bool(
        True, help="Refuse to grade when bubblewrap is unavailable (False: grade unprotected, with a warning)."
    ).tag(config=True)
    memory_limit_mib = Integer(3072, help="Address space of each kernel process, in MiB.").tag(config=True)
    cpu_time_limit_seconds = Integer(
        900, help="CPU seconds each kernel process may use in all (its notebook's time limit comes first)."
    ).tag(config=True)
    max_processes = Integer(256, help="Processes and threads the kernel may run at once.").tag(config=True)
    cpu_limit_cores = Float(1.0, help="CPU cores the kernel's processes may use at once, together.").tag(config=True)
    disk_limit_mib = Integer(
        512, help="All the kernel may write, in MiB: its home, working folder, /tmp, /dev/shm and outcomes (in memory)."
    ).tag(config=True)
    max_file_mib = Integer(256, help="Largest file the kernel may write, in MiB.").tag(config=True)
    scratch_mib = Integer(
        256, help="Size of the kernel's /tmp, in MiB, where the grader cannot bound its space (not root)."
    ).tag(config=True)
    interrupt_grace = Integer(5, help="Seconds a kernel gets to answer after an interrupt.").tag(config=True)
    max_output_mib = Integer(
        4,
        help="Output one cell may keep, in MiB of JSON (every output type, data and metadata, errors "
        "shortened); the rest is dropped with a note.",
    ).tag(config=True)
    max_notebook_output_mib = Integer(
        32, help="Output the whole notebook may keep, in MiB of JSON; later cells' output is dropped with a note."
    ).tag(config=True)
    render_figures = Bool(
        False,
        help="Draw matplotlib figures into the graded notebook and feedback (slower); "
        "by default figures are built but not drawn, as nothing is graded on them.",
    ).tag(config=True)


class CourseGrading(Configurable):
    """The batch of ``course grade``: its workers, and the bounds of what it reads of a submission folder."""

    workers = Integer(0, help="Submissions graded at once, one worker process each; 0 means one per CPU core.").tag(
        config=True
    )
    max_files = Integer(500, help="Files of a submission folder that are staged; the rest are left out.").tag(
        config=True
    )
    max_depth = Integer(8, help="Folders below the assignment folder that are read.").tag(config=True)
    max_file_mib = Integer(50, help="Largest file of a submission, a notebook included, in MiB.").tag(config=True)
    max_total_mib = Integer(100, help="All the files of one submission together, in MiB.").tag(config=True)
    max_name_chars = Integer(200, help="Longest file or folder name kept.").tag(config=True)
    max_entries = Integer(
        20_000, help="Entries looked at below the assignment folder, kept or not: a huge tree costs bounded time."
    ).tag(config=True)
    max_notebook_nesting = Integer(100, help="Levels of JSON a notebook may nest.").tag(config=True)
    max_notebook_values = Integer(1_000_000, help="JSON values a notebook may hold, counted before it is parsed.").tag(
        config=True
    )
    max_notebook_objects = Integer(
        20_000, help="JSON objects (cells, outputs, ...) a notebook may hold, counted before it is parsed."
    ).tag(config=True)
    summary_notes = Integer(
        12, help="Lines of the summary on what was left out of one submission; the rest are counted."
    ).tag(config=True)

    def bounds(self) -> Bounds:
        """These settings as :class:`~autograder.folders.Bounds`."""
        from autograder.folders import Bounds  # folders reads its defaults from this module

        return Bounds(
            files=self.max_files,
            depth=self.max_depth,
            file_bytes=self.max_file_mib * MIB,
            total_bytes=self.max_total_mib * MIB,
            name_chars=self.max_name_chars,
            entries=self.max_entries,
            notebook_nesting=self.max_notebook_nesting,
            notebook_values=self.max_notebook_values,
            notebook_objects=self.max_notebook_objects,
            notes=self.summary_notes,
        )


#: What ``course grade`` says when the course has no salt of its own.
NO_SALT = (
    "Warning: c.HiddenData.course_salt is not set, so anyone with the grader's code can work out every learner's "
    "hidden cases. Set it in nbgrader_config.py to a secret of your own, made with "
    '`python -c "import secrets; print(secrets.token_hex(16))"`, and change it each term.'
)


class HiddenData(Configurable):
    """Whose hidden cases a learner's functions are checked on: the course salt, the student, the submission."""

    course_salt = Unicode(
        "",
        help="Mixed into every hidden seed: set it in nbgrader_config.py to a secret of your own and change it "
        "each term, so hidden data of an earlier term are useless. Learners never see it. Make one with "
        '`python -c "import secrets; print(secrets.token_hex(16))"`; course grade warns while it is empty.',
    ).tag(config=True)
    per_student = Bool(
        True,
        help="Draw each learner's hidden cases from a seed that includes their student id, so the expected "
        "values their feedback shows are theirs alone (False: every learner gets the same cases).",
    ).tag(config=True)
    per_submission = Bool(
        True,
        help="Draw the hidden cases from a seed that also includes a digest of what the learner submitted (their "
        "cells and data files): the same submission graded again gets the same cases, marks and feedback, any "
        "change new cases, so values read in one feedback cannot be looked up in the next (False: the same "
        "cases at every grading).",
    ).tag(config=True)

    def seed(self, student: str | None, submission: str | None = None) -> Seed:
        """The seed of hidden cases for ``student``'s submission of digest ``submission`` (see the settings).

        Course-wide when not per student or with no student; the same at every grading when not per
        submission or with no digest (:func:`autograder.work_digest.work_digest`).
        """
        from autograder.cases import Seed  # cases imports numpy: only once a seed is needed

        return Seed(
            self.course_salt,
            student if self.per_student else None,
            submission if self.per_submission else None,
        )


def sections() -> dict[str, type[Configurable]]:
    """The configuration sections an instructor writes, and the class that declares each one's settings.

    The last five live beside the code they configure (submission times, the late penalty, the LMS export,
    the feedback page, the formgrader page's style), whose modules import this one or much else: they are
    imported here, when the table is wanted, never when this module is.
    """
    from autograder.feedback import FeedbackExporter
    from autograder.late_penalty import PenaltyPerHourLate
    from autograder.lms_export import CanvasExportPlugin
    from autograder.receipts import SubmissionTimes
    from autograder.sanitize import LearnerContentStyle

    return {
        "HardenedExecute": NotebookLimits,
        "CourseGrading": CourseGrading,
        "HiddenData": HiddenData,
        "SubmissionTimes": SubmissionTimes,
        "PenaltyPerHourLate": PenaltyPerHourLate,
        "CanvasExportPlugin": CanvasExportPlugin,
        "FeedbackExporter": FeedbackExporter,
        "LearnerContentStyle": LearnerContentStyle,
    }


def own_settings(cls: type[Configurable]) -> dict[str, TraitType]:
    """The settings ``cls`` declares itself (a plugin's inherited nbgrader options are nbgrader's to list)."""
    return cls.class_own_traits(config=True)


def default(cls: type[Configurable], name: str) -> Any:
    """The one default of setting ``name`` of ``cls``, for code that needs it without a configured object."""
    return cls.class_traits(config=True)[name].default_value


def _default_text(trait: TraitType) -> str:
    value = trait.default()  # a container's default is made when asked (its default_value is Undefined)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:_}".replace("_", " ") if value >= 10_000 else str(value)
    return repr(value)


def settings_table() -> str:
    """The README's table of settings: each setting's name, default and help, from the traits themselves."""
    rows = ["| setting | default | what it does |", "|---|---|---|"]
    for section, cls in sections().items():
        for name, trait in own_settings(cls).items():
            help_text = " ".join(trait.help.split()).replace("|", "\\|")
            rows.append(f"| `c.{section}.{name}` | `{_default_text(trait)}` | {help_text} |")
    return "\n".join(rows)


#: The lines between which the README holds :func:`settings_table`.
TABLE_START = "<!-- settings table: generated by `python -m autograder.settings`, do not edit by hand -->"
TABLE_END = "<!-- end of settings table -->"


def with_table(readme: str) -> str:
    """``readme`` with the text between its table markers replaced by the current :func:`settings_table`."""
    head, found, rest = readme.partition(TABLE_START + "\n")
    _, found_end, tail = rest.partition(TABLE_END)
    if not (found and found_end):
        raise ValueError(f"the README needs the lines {TABLE_START!r} and {TABLE_END!r} around its settings table")
    return f"{head}{TABLE_START}\n{settings_table()}\n{TABLE_END}{tail}"


if __name__ == "__main__":
    import sys
    from pathlib import Path

    if sys.argv[1:2] == ["--write"]:  # python -m autograder.settings --write README.md
        readme = Path(sys.argv[2])
        readme.write_text(with_table(readme.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(settings_table())
