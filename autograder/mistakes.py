"""Recognising a catalogued mistake from numbers: the matchers mistakes are declared with, and the diagnosis.

A mistake (:class:`autograder.cases.Mistake`) belongs to its graded function and is declared with it in
:mod:`autograder.functions`. It is recognised from numbers alone: when a learner's wrong output on a
hidden case equals what the mistake computes on that case (within the grader's tolerances), the
feedback names it in the words of its ``advice``.
"""

import warnings
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np
from scipy import stats

from autograder.cases import BadCall, Case, GradedFunction, Matcher, Mistake
from autograder.checks import ATOL, RTOL, as_real


def computes(wrong: Callable[..., Any], component: int | None = None) -> Matcher:
    """A matcher for a mistake that computes ``wrong(**inputs)`` (or one component of it).

    Only finite values are explained this way: many formulas break down alike on a degenerate case (NaN or
    -inf at p = 1 or n = 1), so agreeing there names nothing; NaN and overflow have matchers of their own.
    """

    def matcher(case: Case, received: Any) -> bool:
        try:
            expected = wrong(**case.fresh_kwargs())
            if component is not None:
                expected, received = expected[component], received[component]
            expected, received = np.asarray(expected, dtype=float), np.asarray(received, dtype=float)
            return (
                expected.shape == received.shape
                and bool(np.all(np.isfinite(received)))
                and bool(np.all(np.isclose(received, expected, rtol=RTOL, atol=ATOL)))
            )
        except (TypeError, ValueError, IndexError):
            return False

    return matcher


def negated(reference: Callable[..., Any]) -> Matcher:
    """A matcher for a sign error: minus the reference's value (a loss for a log-likelihood, or the reverse)."""
    return computes(lambda **inputs: -np.asarray(reference(**inputs), dtype=float))


def averaged(reference: Callable[..., Any], data: str) -> Matcher:
    """A matcher for a mean over observations where the sum belongs: the reference's value over n.

    ``data`` names the argument holding the observations (``"x"``, ``"k"``, ``"y"``).
    """
    return computes(lambda **inputs: np.asarray(reference(**inputs), dtype=float) / np.size(inputs[data]))


def exponentiated(reference: Callable[..., Any]) -> Matcher:
    """A matcher for the likelihood where its logarithm belongs: exp of the reference's log-likelihood."""
    return computes(lambda **inputs: np.exp(reference(**inputs)))


def in_base_10(reference: Callable[..., Any]) -> Matcher:
    """A matcher for logarithms taken in base 10 throughout: the reference's natural-log value over ln 10."""
    return computes(lambda **inputs: np.asarray(reference(**inputs), dtype=float) / np.log(10))


def simulated_mean(target: Callable[[int, float], float]) -> Matcher:
    """A matcher for a simulation whose average lands on ``target(n, sigma)``, within Monte Carlo error.

    The bound is five standard errors of the mean of ``n_reps`` draws, with the
    spread estimated from the received draws themselves; a single draw has no spread, and fits.
    """

    def matcher(case: Case, received: Any) -> bool:
        try:
            draws = np.asarray(received, dtype=float).ravel()
            if draws.size < 2:  # no spread to measure the Monte Carlo error by: one draw fits any mistake
                return bool(draws.size == 1 and np.isfinite(draws[0]))
            kwargs = case.kwargs
            standard_error = np.std(draws) / np.sqrt(draws.size)
            goal = target(kwargs["n"], kwargs["sigma"])
            return bool(abs(np.mean(draws) - goal) <= 5 * standard_error)
        except (TypeError, ValueError, KeyError):
            return False

    return matcher


def simulated_chi2(law: Callable[[int, float], tuple[float, int]]) -> Matcher:
    """A matcher for a simulation whose draws follow ``scale``·χ²(``dof``), ``(scale, dof) = law(n, sigma)``.

    Two simulations can share a mean and differ in shape (spread about the true μ and Bessel's n - 1 both
    average σ²): a Kolmogorov-Smirnov test at the judge's level (p >= 1e-6) tells them apart on a large sample.
    A single draw has no shape to test, and fits.
    """

    def matcher(case: Case, received: Any) -> bool:
        try:
            draws = np.asarray(received, dtype=float).ravel()
            if not (draws.size and np.all(np.isfinite(draws))):
                return False
            if draws.size == 1:
                return True
            scale, dof = law(case.kwargs["n"], case.kwargs["sigma"])
            return bool(stats.kstest(draws / scale, "chi2", args=(dof,)).pvalue >= 1e-6)
        except (TypeError, ValueError, KeyError, ZeroDivisionError):
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


def _evaluable(received: Any) -> bool:
    """Whether a received value is something a mistake's matcher can explain: a number, an array or a tuple."""
    return as_real(received) is not None or isinstance(received, (tuple, list, np.ndarray))


def _finite(value: Any, depth: int = 0) -> bool:
    """Whether a value is made of finite real numbers only (None entries of a tuple aside)."""
    if isinstance(value, tuple) and depth < 2:
        return all(item is None or _finite(item, depth + 1) for item in value)
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return False
    return bool(np.all(np.isfinite(array)))


def diagnosis(function: GradedFunction, case: Case, received: Any) -> tuple[tuple[Mistake, ...], tuple[Mistake, ...]]:
    """What a wrong ``received`` on ``case`` says about the catalogue: the mistakes that explain it, and those
    it rules out.

    A mistake that the right answer would also match on this case (say, the median for the mean when
    n = 1) explains nothing and is left out. A mistake is ruled out by a finite wrong value, on a case whose
    right answer is finite, that it does not match: a learner who made only that mistake would have
    returned what it computes (or passed, where it computes the right answer). Infinities, NaN and values
    that are not numbers rule out nothing: there a learner's one mistake meets a second slip (an impossible
    observation not sent to -inf) or the mistake's own formula breaks down (n - 1 = 0 at n = 1).
    """
    if not _evaluable(received):
        return (), ()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        right = function.reference(*case.fresh_kwargs().values())
        consistent = tuple(mistake for mistake in function.mistakes if _matches(mistake, case, received))
        explained = tuple(mistake for mistake in consistent if not _matches(mistake, case, right))
        if not (_finite(received) and _finite(right)):
            return explained, ()
    return explained, tuple(mistake for mistake in function.mistakes if mistake not in consistent)


def diagnose(function: GradedFunction, case: Case, received: Any) -> tuple[Mistake, ...]:
    """Every catalogued mistake of ``function`` that explains ``received`` on ``case`` (see :func:`diagnosis`)."""
    return diagnosis(function, case, received)[0]


def diagnose_returned(bad: BadCall, returned: Any) -> tuple[Mistake, ...]:
    """The catalogued mistake a bad call names when it returned ``returned`` instead of raising, if its matcher
    explains that value (a call that returned something else, a wrong root, names nothing)."""
    mistake = bad.if_returned
    if mistake is None:
        return ()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return (mistake,) if _matches(mistake, Case(bad.why, bad.kwargs), returned) else ()


def _matches(mistake: Mistake, case: Case, received: Any) -> bool:
    """Whether ``mistake`` explains ``received``; a matcher that trips over odd data explains nothing."""
    try:
        return bool(mistake.matches(case, received))
    except Exception:  # learner data (a huge int, a ragged list ...) must not turn a verdict into a crash
        return False


class Diagnosed(Protocol):
    """A failed check as :func:`likely_mistakes` reads it (:class:`autograder.runner.CheckResult`)."""

    mistakes: tuple[Mistake, ...]
    ruled_out: tuple[Mistake, ...]


def most_likely(
    explanations: Sequence[Sequence[Mistake]], ruled_out: Sequence[Sequence[Mistake]] = ()
) -> list[Mistake]:
    """The fewest mistakes that explain every explained failure, most explanatory first, never a ruled-out one.

    A mistake is named only if it explains every failed check it can be evaluated on: one that another failed
    check contradicts (``ruled_out``) is not named, however many checks it explains (``-λ`` for ``-nλ`` equals
    ℓ/n on all-zero counts, but not on the typical data it also fails). Where one case fits two mistakes (at
    n = 1, the unbiased maximum 2·max(x) equals the method of moments 2·x̄), the mistake that fits the other
    failures too is the one named; between mistakes that explain the same checks, the first declared is.
    """
    excluded = {mistake for found in ruled_out for mistake in found}
    # tuples in the catalogue's order, never sets: a tie goes the same way in every process
    remaining = [tuple(mistake for mistake in found if mistake not in excluded) for found in explanations]
    remaining = [found for found in remaining if found]
    chosen: list[Mistake] = []
    while remaining:
        counts: dict[Mistake, int] = {}
        for found in remaining:
            for mistake in found:
                counts[mistake] = counts.get(mistake, 0) + 1
        best = max(counts, key=lambda mistake: counts[mistake])
        chosen.append(best)
        remaining = [found for found in remaining if best not in found]
    return chosen


def likely_mistakes(failed: Sequence[Diagnosed]) -> list[Mistake]:
    """The mistakes feedback names for a function's failed checks (:func:`most_likely` of their diagnoses)."""
    return most_likely([result.mistakes for result in failed], [result.ruled_out for result in failed])
