"""Hidden checks in this process, and the message a learner reads about them.

The checks run on data drawn from seeds the learner never sees. A failure
raises ``HiddenCheckFailed`` whose message names each failing input, the
expected and received values and, where the numbers reveal one, the mistake.
"""

import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from autograder.functions import GRADED
from autograder.mistakes import likely_mistakes
from autograder.runner import CheckResult, run_part


class HiddenCheckFailed(AssertionError):
    """One or more hidden checks of a graded function failed."""


def check(name: str, learner: Callable[..., Any], part: str = "typical") -> None:
    """Grade ``learner`` as the spec's function ``name`` on one part of its hidden checks.

    Parameters
    ----------
    name : str
        The graded function's name in the course spec.
    learner : callable
        The learner's implementation.
    part : {"typical", "edge"}, default="typical"
        Typical data, or edge cases plus parameter checks and properties.

    Raises
    ------
    HiddenCheckFailed
        If any check fails; the message is written for the learner.
    """
    if not callable(learner):
        raise HiddenCheckFailed(f"{name} should be a function, but it is {type(learner).__name__}")
    passed, message = report(name, part, run_part(GRADED[name], learner, part))
    if not passed:
        raise HiddenCheckFailed(message)
    print(message)


def report(name: str, part: str, results: Sequence[CheckResult]) -> tuple[bool, str]:
    """Whether every check passed, and the message the learner reads either way."""
    failed = [result for result in results if not result.passed]
    if not failed:
        return True, f"✓ {name}: all {len(results)} hidden checks passed ({part} cases)."
    lines = [f"{len(failed)} of {len(results)} hidden checks of {name} failed:"]
    lines += [f"  ✗ {result.message()}" for result in failed]
    mistakes = likely_mistakes(failed)
    lines += [
        textwrap.fill(f"Likely mistake ({mistake.name}): {mistake.advice}", width=100, subsequent_indent="    ")
        for mistake in mistakes
    ]
    return False, "\n".join(lines)
