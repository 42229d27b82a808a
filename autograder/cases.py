"""How a graded function is declared: its hidden cases, bad calls, properties, judge and known mistakes.

Each assignment's module in :mod:`autograder.functions` declares its graded functions with these small
objects, once; everything else (the registry, the grade ids, the tests' tables) is derived from them.
Hidden inputs are ones a learner never sees, described in words they understand.
"""

import copy
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograder.checks import Verdict, format_value


@dataclass(frozen=True)
class Seed:
    """Whose hidden data to draw: the course salt, the student and the submission, each only when configured.

    The salt is set in ``nbgrader_config.py`` (:class:`autograder.settings.HiddenData`), never here; with
    ``student=None`` every learner gets the same, course-wide cases (what in-process checks use).
    ``submission`` is a digest of what the learner wrote (:func:`autograder.work_digest.work_digest`): any
    change to it draws new cases, so values read in one grading's feedback are of no use in the next.
    """

    salt: str = ""
    student: str | None = None
    submission: str | None = None


#: No salt, no student: the seed of checks run outside a configured grader (``autograder.hidden.check``).
COURSE_WIDE = Seed()


def hidden_rng(function_name: str, part: str, seed: Seed = COURSE_WIDE) -> np.random.Generator:
    """The generator of one function's hidden data: seeded, but from seeds learners never see.

    Every input is hashed together, so two students, two salts, two submissions or two functions never
    share a stream. Without a submission the key is what it was before submissions entered the seed.
    """
    fields = [seed.salt, seed.student, function_name, part]
    if seed.submission is not None:
        fields.append(seed.submission)
    key = json.dumps(fields).encode()
    return np.random.default_rng(np.random.SeedSequence(int.from_bytes(hashlib.sha256(key).digest(), "big")))


def describe(value: Any) -> str:
    """An input summarised for feedback: short arrays in full, long ones by their shape and range."""
    if isinstance(value, np.random.Generator):
        return "a numpy Generator"
    if callable(value):
        return "a function"
    if isinstance(value, (list, np.ndarray)):
        array = np.asarray(value, dtype=float)
        kind = "list" if isinstance(value, list) else "array"
        if array.size <= 6:
            return format_value(value if isinstance(value, list) else array)
        if array.ndim == 1:
            return (
                f"{kind} of {array.size} values from {array.min():.4g} to {array.max():.4g} (mean {array.mean():.4g})"
            )
        return f"{kind} of shape {array.shape}"
    return format_value(value)


@dataclass(frozen=True)
class Case:
    """One call of a graded function on hidden inputs.

    ``label`` says in words what the data are (the learner reads it);
    ``kwargs`` are the call's arguments, named as the spec names them and passed in that order (by position).
    """

    label: str
    kwargs: dict[str, Any]

    def fresh_kwargs(self) -> dict[str, Any]:
        """Deep copies of the inputs, so a learner's call cannot change the case."""
        return copy.deepcopy(self.kwargs)

    def describe(self) -> str:
        """The call in words: the label and every argument summarised."""
        arguments = ", ".join(f"{name}={describe(value)}" for name, value in self.kwargs.items())
        return f"{self.label}: {arguments}"


@dataclass(frozen=True)
class BadCall:
    """A call that must raise: by default a ValueError whose message names ``parameter``.

    ``if_returned`` is a catalogued mistake that a call returning instead of raising may reveal (such as
    newton_raphson returning its last iterate after max_iter): feedback names it when its matcher explains the
    value returned on ``kwargs``.
    """

    parameter: str
    kwargs: dict[str, Any]
    error: type[Exception] = ValueError
    why: str = "is outside its allowed values"
    must_name: bool = True
    if_returned: "Mistake | None" = None


Judge = Callable[[Case, Any], Verdict]
#: Whether a mistake explains a learner's output on a case: ``matches(case, received)``.
Matcher = Callable[[Case, Any], bool]


@dataclass(frozen=True)
class Property:
    """A check of several outputs together (e.g. one seed gives one result): its calls and its judge."""

    label: str
    calls: Sequence[dict[str, Any]]
    judge: Callable[[list[Any]], Verdict]


@dataclass(frozen=True)
class Mistake:
    """One known mistake in one graded function: what the learner reads, how the numbers reveal it, who makes it.

    ``matches(case, received)`` says whether the mistake explains a wrong output (see
    :mod:`autograder.mistakes` for matchers); ``learners`` are the sample learners who make it, files
    ``samples/<assignment>/<learner>.py`` of the function's assignment.
    """

    name: str
    advice: str
    matches: Matcher
    learners: tuple[str, ...]


@dataclass(frozen=True)
class GradedFunction:
    """Everything the grader knows about one graded function of the spec, declared in one place.

    ``assignment`` is the assignment whose notebook defines it (its test cells' grade ids follow
    :mod:`autograder.grade_ids`); ``reference`` is the solution in ``solutions/``; ``typical`` and
    ``edge`` draw hidden cases from a generator; ``judge`` says whether a learner's output on a case
    is acceptable; ``bad_calls`` must each raise ValueError naming the parameter; ``properties`` are
    checked with the edge cases; ``mistakes`` are the known mistakes that feedback can name.
    """

    name: str
    assignment: str
    reference: Callable[..., Any]
    typical: Callable[[np.random.Generator], Sequence[Case]]
    edge: Callable[[np.random.Generator], Sequence[Case]]
    judge: Judge
    bad_calls: Sequence[BadCall] = field(default_factory=tuple)
    properties: Sequence[Property] = field(default_factory=tuple)
    mistakes: tuple[Mistake, ...] = ()

    def cases(self, part: str, seed: Seed = COURSE_WIDE) -> Sequence[Case]:
        """The hidden cases of one part ("typical" or "edge"), always the same ones for the same ``seed``."""
        draw = {"typical": self.typical, "edge": self.edge}[part]
        return draw(hidden_rng(self.name, part, seed))
