"""A known learner mistake: what it computes, how the numbers reveal it, what the learner reads.

A mistake is recognised from numbers alone: when a learner's wrong output on a
hidden case equals what the mistake computes on that case (within the
grader's tolerances), the feedback names it in the words of ``advice``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.cases import Case
from autograder.checks import ATOL, RTOL

Matcher = Callable[[Case, Any], bool]


@dataclass(frozen=True)
class Mistake:
    """One known mistake in one graded function."""

    function: str
    name: str
    advice: str
    matches: Matcher


def computes(wrong: Callable[..., Any], component: int | None = None) -> Matcher:
    """A matcher for a mistake that computes ``wrong(**inputs)`` (or one component of it)."""

    def matcher(case: Case, received: Any) -> bool:
        try:
            expected = wrong(**case.fresh_kwargs())
            if component is not None:
                expected, received = expected[component], received[component]
            expected, received = np.asarray(expected, dtype=float), np.asarray(received, dtype=float)
            return expected.shape == received.shape and bool(
                np.all(np.isclose(received, expected, rtol=RTOL, atol=ATOL, equal_nan=True))
            )
        except (TypeError, ValueError, IndexError):
            return False

    return matcher


def simulated_mean(target: Callable[[int, float], float]) -> Matcher:
    """A matcher for a simulation whose average lands on ``target(n, sigma)``, within Monte Carlo error.

    The bound is five standard errors of the mean of ``n_reps`` draws, with the
    spread estimated from the received draws themselves.
    """

    def matcher(case: Case, received: Any) -> bool:
        try:
            draws = np.asarray(received, dtype=float).ravel()
            kwargs = case.kwargs
            standard_error = np.std(draws) / np.sqrt(draws.size)
            goal = target(kwargs["n"], kwargs["sigma"])
            return bool(abs(np.mean(draws) - goal) <= 5 * standard_error)
        except (TypeError, ValueError, KeyError):
            return False

    return matcher


def not_a_number() -> Matcher:
    """A matcher for a mistake that produces NaN (such as 0 * log 0 evaluated as 0 * -inf)."""

    def matcher(case: Case, received: Any) -> bool:
        try:
            return bool(np.any(np.isnan(np.asarray(received, dtype=float))))
        except (TypeError, ValueError):
            return False

    return matcher


def overflows() -> Matcher:
    """A matcher for a mistake that overflows to inf or NaN where the right value is finite."""

    def matcher(case: Case, received: Any) -> bool:
        try:
            return not bool(np.all(np.isfinite(np.asarray(received, dtype=float))))
        except (TypeError, ValueError):
            return False

    return matcher
