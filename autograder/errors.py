"""Why the course's tools could not do what was asked, as exceptions whose message says what to do.

Library code raises these and never exits; only the ``course`` command
(:mod:`autograder.cli`) turns one into a red message and its ``exit_code``, so
a script can tell the kinds apart (1 is kept for "ran, but something failed",
such as a submission that was not recorded, and 2 is argparse's wrong usage).
"""


class CourseError(Exception):
    """A failure the instructor can act on; ``str(error)`` says what happened and what to do."""

    exit_code = 3


class NotACourse(CourseError):
    """The folder is not a course: no ``nbgrader_config.py`` or no ``source/``."""

    exit_code = 4


class NoGradebook(CourseError):
    """The course has no gradebook yet (it is made by ``course release``)."""

    exit_code = 5


class UnknownAssignment(CourseError):
    """No such assignment in the gradebook (or in ``source/``, for a release)."""

    exit_code = 6


class SandboxMissing(CourseError):
    """Grading would run learner code unprotected: bubblewrap is missing and the course requires it."""

    exit_code = 7


class NbgraderFailed(CourseError):
    """A stock nbgrader command failed; its log says why."""

    exit_code = 8


class BadConfig(CourseError):
    """nbgrader's configuration cannot be loaded: a file given with ``--config`` is missing or a file fails."""

    exit_code = 9


class GradebookUnreachable(CourseError):
    """The course's gradebook database (its ``db_url``) cannot be reached or read."""

    exit_code = 10
