"""A late-submission penalty of a fixed number of points per started hour late.

nbgrader's own ``LateSubmissionPlugin`` knows only "none" and "zero". This
plugin subtracts ``points_per_hour`` for every hour or part of an hour after
the due date (the assignment's, plus any extension), which nbgrader's
``AssignLatePenalties`` step records per notebook while autograding, capped at
the notebook's score. Configure it in ``nbgrader_config.py``::

    c.AssignLatePenalties.plugin_class = "autograder.late_penalty.PenaltyPerHourLate"
    c.PenaltyPerHourLate.points_per_hour = 1.0

The due date is set with ``nbgrader db assignment add <name> --duedate=...``.
The submission time nbgrader reads is the one :mod:`autograder.receipts` puts in
``timestamp.txt`` before grading: the exchange's receipt, never a time the
learner wrote that the receipt does not bear out. The penalty is worked out
when the submission is autograded, from its autograded score.
"""

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float, validate


class PenaltyPerHourLate(LateSubmissionPlugin):
    """Subtract ``points_per_hour`` per started hour late (nbgrader caps it at the notebook's score)."""

    points_per_hour = Float(1.0, help="Points taken off per hour, or part of an hour, after the due date.").tag(
        config=True
    )

    @validate("points_per_hour")
    def _non_negative(self, proposal: dict) -> float:
        value = proposal["value"]
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"points_per_hour must be a finite number >= 0, got {value}")
        return value

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float | None:
        """``points_per_hour`` times the hours late, rounded up; None (no penalty) when not late."""
        if total_seconds_late <= 0:
            return None
        return self.points_per_hour * math.ceil(total_seconds_late / 3600)
