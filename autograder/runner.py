"""Run one graded function of a learner on its hidden cases and collect what went wrong."""

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.cases import BadCall, Case, GradedFunction, describe
from autograder.checks import PASS, Verdict, format_value
from autograder.mistakes import Mistake, diagnose

PARTS = ("typical", "edge")


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one hidden check, with the learner-facing explanation when it failed."""

    description: str
    verdict: Verdict
    mistakes: tuple[Mistake, ...] = ()

    @property
    def passed(self) -> bool:
        return self.verdict.passed

    def message(self) -> str:
        """What the learner reads: the input and what was wrong with the output."""
        return f"{self.description}\n    {self.verdict.problem}"


def _call(learner: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    """Call positionally (learners may rename parameters), keeping warnings off stderr."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return learner(*kwargs.values())


def _exception_problem(error: BaseException) -> str:
    if isinstance(error, NotImplementedError):
        return "not implemented yet (it still raises NotImplementedError)"
    return f"raised {type(error).__name__}: {error}"


def _changed_inputs(case: Case, used: dict[str, Any]) -> list[str]:
    changed = []
    for name, original in case.kwargs.items():
        if isinstance(original, (list, np.ndarray)):
            try:
                same = np.array_equal(np.asarray(original), np.asarray(used[name]))
            except (TypeError, ValueError):
                same = False
            if not same:
                changed.append(name)
    return changed


def check_case(spec: GradedFunction, learner: Callable[..., Any], case: Case) -> CheckResult:
    """Call the learner's function on one hidden case and judge the output."""
    description = f"{spec.name} on {case.describe()}"
    kwargs = case.fresh_kwargs()
    try:
        received = _call(learner, kwargs)
    except Exception as error:
        return CheckResult(description, Verdict(False, _exception_problem(error)))
    verdict = spec.judge(case, received)
    if verdict.passed:
        changed = _changed_inputs(case, kwargs)
        if changed:
            verdict = Verdict(
                False,
                f"the function changed its input {', '.join(changed)}: work on a copy, never modify the caller's data",
            )
        return CheckResult(description, verdict)
    return CheckResult(description, verdict, diagnose(spec.name, case, received, spec.reference))


def check_bad_call(spec: GradedFunction, learner: Callable[..., Any], bad: BadCall) -> CheckResult:
    """A call outside the function's domain must raise the stated error, naming the parameter."""
    arguments = ", ".join(f"{name}={describe(value)}" for name, value in bad.kwargs.items())
    description = f"{spec.name}({arguments}), where {bad.parameter} {bad.why}"
    wanted = f"{bad.error.__name__} naming '{bad.parameter}'" if bad.must_name else bad.error.__name__
    try:
        received = _call(learner, dict(bad.kwargs))
    except bad.error as error:
        if bad.parameter in str(error) or not bad.must_name:
            return CheckResult(description, PASS)
        problem = f"raised {bad.error.__name__}('{error}'), but the message should name the parameter '{bad.parameter}'"
        return CheckResult(description, Verdict(False, problem))
    except Exception as error:
        return CheckResult(description, Verdict(False, f"should raise {wanted}, but {_exception_problem(error)}"))
    return CheckResult(description, Verdict(False, f"should raise {wanted}, but returned {format_value(received)}"))


def run_part(spec: GradedFunction, learner: Callable[..., Any], part: str) -> Sequence[CheckResult]:
    """Every hidden check of one part: "typical" (cases) or "edge" (cases, bad calls, properties)."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, got part={part!r}")
    results = [check_case(spec, learner, case) for case in spec.cases(part)]
    if part == "edge":
        results += [check_bad_call(spec, learner, bad) for bad in spec.bad_calls]
        for prop in spec.properties:
            try:
                verdict = prop.check(learner)
            except Exception as error:
                verdict = Verdict(False, _exception_problem(error))
            results.append(CheckResult(f"{spec.name}: {prop.label}", verdict))
    return results
