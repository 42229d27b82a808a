"""Hidden checks of one graded function: plan the calls, then judge what came back.

Grading happens in two steps so that the learner's kernel never judges
anything: :func:`plan` lists the calls of one part (the hidden cases, the bad
calls that must raise, the calls a property needs); the learner's function is
called on them elsewhere (``mlelab.grading.record`` inside the kernel, or
:func:`run_part` in this process); what comes back is read by the grader's own
strict decoder (:mod:`autograder.wire`), and :func:`judge` then compares the
outcomes with the reference here, where learner code cannot reach.
"""

import copy
import json
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from mlelab.grading import call_each

from autograder.cases import COURSE_WIDE, BadCall, Case, GradedFunction, Mistake, Property, Seed, describe
from autograder.checks import PASS, Verdict, format_value, shorten
from autograder.mistakes import diagnose_returned, diagnosis
from autograder.wire import (
    MAX_RAISED,
    PLAIN_DATA,
    MalformedOutcomes,
    Outcome,
    Raised,
    Refused,
    outcomes_from_json,
    read_outcomes,
)

PARTS = ("typical", "edge")
#: Longest problem of one check a learner reads: legitimate ones (two summarised arrays per output of
#: fit_logistic) stay well under it, and nothing the learner sends can make one longer.
MAX_PROBLEM = 1000


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one hidden check, with the learner-facing explanation when it failed."""

    description: str
    verdict: Verdict
    mistakes: tuple[Mistake, ...] = ()
    #: Catalogued mistakes this failed check contradicts (:func:`autograder.mistakes.diagnosis`).
    ruled_out: tuple[Mistake, ...] = ()

    @property
    def passed(self) -> bool:
        return self.verdict.passed

    def message(self) -> str:
        """What the learner reads: the input and what was wrong with the output."""
        return f"{self.description}\n    {shorten(self.verdict.problem, MAX_PROBLEM)}"


@dataclass(frozen=True)
class Planned:
    """One hidden check: a case, a bad call or a property, and the argument lists it needs called."""

    item: Case | BadCall | Property
    calls: tuple[tuple[Any, ...], ...]


def plan(spec: GradedFunction, part: str, seed: Seed = COURSE_WIDE) -> list[Planned]:
    """Every hidden check of one part: "typical" (cases) or "edge" (cases, bad calls, properties).

    The cases are drawn for ``seed`` (the course salt and, per student, their id: :class:`~autograder.cases.Seed`).
    """
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, got part={part!r}")
    planned = [Planned(case, (tuple(case.fresh_kwargs().values()),)) for case in spec.cases(part, seed)]
    if part == "edge":
        planned += [Planned(bad, (tuple(bad.kwargs.values()),)) for bad in spec.bad_calls]
        planned += [
            Planned(prop, tuple(tuple(copy.deepcopy(kwargs).values()) for kwargs in prop.calls))
            for prop in spec.properties
        ]
    return planned


def argument_lists(planned: Sequence[Planned]) -> list[tuple[Any, ...]]:
    """The calls to make, in order: what the kernel receives."""
    return [arguments for check in planned for arguments in check.calls]


@contextmanager
def _quiet() -> Iterator[None]:
    """No warnings from judging odd numbers (overflow, NaN) on the grader's stderr."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def parse_outcomes(data: Any, count: int) -> list[Outcome]:
    """Outcomes from their parsed JSON form (``mlelab.grading.call_each``), read by the strict decoder.

    Raises MalformedOutcomes, with a short message, when the records are not outcomes of ``count``
    calls; a value that is not plain data becomes a refused value, which fails its check. Raw bytes
    from a kernel go through :func:`autograder.wire.read_outcomes`, which bounds them before parsing.
    """
    return outcomes_from_json(data, count)


def _exception_problem(raised: Raised) -> str:
    if raised.is_a(NotImplementedError):
        return "not implemented yet (it still raises NotImplementedError)"
    return f"raised {raised.type}: {raised.message}"


def _changed_inputs(case: Case, outcome: Outcome) -> list[str]:
    changed = []
    for index, (name, original) in enumerate(case.kwargs.items()):
        if isinstance(original, (list, np.ndarray)):
            try:
                same = np.array_equal(np.asarray(original), np.asarray(outcome.after.get(index)))
            except (TypeError, ValueError):
                same = False
            if not same:
                changed.append(name)
    return changed


def describe_check(spec: GradedFunction, item: Case | BadCall | Property) -> str:
    """The first line of a check's message: the call, or the property, in words."""
    if isinstance(item, Case):
        return f"{spec.name} on {item.describe()}"
    if isinstance(item, BadCall):
        arguments = ", ".join(f"{name}={describe(value)}" for name, value in item.kwargs.items())
        return f"{spec.name}({arguments}), where {item.parameter} {item.why}"
    return f"{spec.name}: {item.label}"


def judge_case(spec: GradedFunction, case: Case, outcome: Outcome) -> CheckResult:
    """Judge the learner's output on one hidden case."""
    description = describe_check(spec, case)
    if outcome.raised is not None:
        return CheckResult(description, Verdict(False, _exception_problem(outcome.raised)))
    received = outcome.value
    verdict = spec.judge(case, received)
    if verdict.passed:
        changed = _changed_inputs(case, outcome)
        if changed:
            verdict = Verdict(
                False,
                f"the function changed its input {', '.join(changed)}: work on a copy, never modify the caller's data",
            )
        return CheckResult(description, verdict)
    return CheckResult(description, verdict, *diagnosis(spec, case, received))


def names(message: str, parameter: str) -> bool:
    """Whether ``message`` names ``parameter`` as a word: "n must be positive", not "n_reps" or "expected".

    >>> names("n must be at least 1, got n=0", "n"), names("n_reps must be positive", "n")
    (True, False)
    """
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(parameter)}(?![A-Za-z0-9_])", message) is not None


def judge_bad_call(spec: GradedFunction, bad: BadCall, outcome: Outcome) -> CheckResult:
    """A call outside the function's domain must raise the stated error, naming the parameter."""
    description = describe_check(spec, bad)
    wanted = f"{bad.error.__name__} naming '{bad.parameter}'" if bad.must_name else bad.error.__name__
    raised = outcome.raised
    if raised is None:
        returned = Verdict(False, f"should raise {wanted}, but returned {format_value(outcome.value)}")
        return CheckResult(description, returned, diagnose_returned(bad, outcome.value))
    if not raised.is_a(bad.error):
        return CheckResult(description, Verdict(False, f"should raise {wanted}, but {_exception_problem(raised)}"))
    if names(raised.message, bad.parameter) or not bad.must_name:
        return CheckResult(description, PASS)
    problem = (
        f"raised {bad.error.__name__}('{raised.message}'), but the message should name the parameter '{bad.parameter}'"
    )
    return CheckResult(description, Verdict(False, problem))


def judge_property(spec: GradedFunction, prop: Property, outcomes: Sequence[Outcome]) -> CheckResult:
    """A property holds of the learner's outputs on its calls."""
    description = describe_check(spec, prop)
    for outcome in outcomes:
        if outcome.raised is not None:
            return CheckResult(description, Verdict(False, _exception_problem(outcome.raised)))
    return CheckResult(description, prop.judge([outcome.value for outcome in outcomes]))


def _refused(spec: GradedFunction, outcomes: Sequence[Outcome]) -> str | None:
    """Why a check fails before any judge sees it: the kernel sent back something that is not plain data."""
    for outcome in outcomes:
        if isinstance(outcome.value, Refused):
            return f"{spec.name} returned {outcome.value.what}: {PLAIN_DATA}"
        for after in outcome.after.values():
            if isinstance(after, Refused):
                return f"after the call, an input of {spec.name} held {after.what}: {PLAIN_DATA}"
    return None


def _judge_one(spec: GradedFunction, check: Planned, outcomes: Sequence[Outcome]) -> CheckResult:
    """One planned check judged; if judging itself fails on the learner's data, the check fails.

    Every judge is meant to turn odd data into a failed verdict with a
    message; this is the last line behind them, so one value no judge foresaw
    costs its check, never the others nor the whole cell.
    """
    refused = _refused(spec, outcomes)
    if refused:
        return CheckResult(describe_check(spec, check.item), Verdict(False, refused))
    try:
        with _quiet():
            if isinstance(check.item, Case):
                return judge_case(spec, check.item, outcomes[0])
            if isinstance(check.item, BadCall):
                return judge_bad_call(spec, check.item, outcomes[0])
            return judge_property(spec, check.item, outcomes)
    except Exception as error:
        problem = (
            f"your output could not be judged ({type(error).__name__}: {shorten(str(error), MAX_RAISED)}); "
            "return the type the assignment asks for: real numbers, arrays or tuples of them"
        )
        return CheckResult(describe_check(spec, check.item), Verdict(False, problem))


def judge(planned: Sequence[Planned], spec: GradedFunction, outcomes: Sequence[Outcome]) -> list[CheckResult]:
    """Every planned check judged on its outcomes (one per call, in the planned order)."""
    if len(outcomes) != len(argument_lists(planned)):
        raise MalformedOutcomes(f"expected {len(argument_lists(planned))} outcomes, got {len(outcomes)}")
    results, position = [], 0
    for check in planned:
        results.append(_judge_one(spec, check, outcomes[position : position + len(check.calls)]))
        position += len(check.calls)
    return results


def run_part(
    spec: GradedFunction, learner: Callable[..., Any], part: str, seed: Seed = COURSE_WIDE
) -> list[CheckResult]:
    """Grade ``learner`` in this process, through the same wire, in the same bytes, as a kernel would."""
    planned = plan(spec, part, seed)
    calls = argument_lists(planned)
    try:
        written = json.dumps(call_each(learner, calls)).encode()  # what record's json.dump writes
    except ValueError as error:  # an int of over 4300 digits: the kernel's record would fail too
        raise MalformedOutcomes(f"the outcomes could not be written ({shorten(str(error), MAX_RAISED)})") from None
    return judge(planned, spec, read_outcomes(written, len(calls)))
