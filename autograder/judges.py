"""Judges: how a learner's output on a hidden case is compared with the reference's.

Each factory takes the reference function and returns a judge
``judge(case, received) -> Verdict`` that calls the reference on the case.
Values are compared by the rules of :mod:`autograder.checks`; an estimate is
also accepted when it fits the data at least as well as the reference's
(:func:`not_worse_fit`, the one statement of that rule).
"""

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograder.cases import Case, Judge
from autograder.checks import (
    PASS,
    RTOL,
    Verdict,
    as_real_array,
    compare_array,
    compare_scalar,
    compare_tuple,
    entries,
    not_finite,
)


def _expected(reference: Callable[..., Any], case: Case) -> Any:
    return reference(*case.fresh_kwargs().values())


def not_worse_fit(log_likelihood_reference: float, log_likelihood_received: float) -> bool:
    """Whether an estimate fits at least as well as the reference MLE (scipy's nllf rule).

    Following ``assert_nllf_less_or_close`` in scipy's ``test_fit.py``: an
    estimate whose log-likelihood is higher than, or within RTOL of, the
    reference's is an acceptable maximiser. Both must be finite: a NaN or an
    infinite log-likelihood proves nothing about the fit.
    """
    reference, received = float(log_likelihood_reference), float(log_likelihood_received)
    if not (math.isfinite(reference) and math.isfinite(received)):
        return False
    return received >= reference - RTOL * max(1.0, abs(reference))


def same_value(reference: Callable[..., Any]) -> Judge:
    """A real number equal to the reference's (log-likelihoods, one-parameter estimates)."""
    return lambda case, received: compare_scalar(_expected(reference, case), received)


def same_array(reference: Callable[..., Any]) -> Judge:
    """An array of the reference's shape and values (scores, gradients, proportions)."""
    return lambda case, received: compare_array(_expected(reference, case), received)


def same_outputs(reference: Callable[..., Any], names: Sequence[str]) -> Judge:
    """A tuple of outputs (numbers, arrays or None), each equal to the reference's."""
    return lambda case, received: compare_tuple(_expected(reference, case), received, names)


def _finite_estimates(expected: Sequence[Any], received: Any) -> list[Any] | None:
    """The received estimates, shaped as the expected ones, if all are finite and the last (a scale) positive."""
    estimates = []
    for want, value in zip(expected, entries(received, len(expected)) or (), strict=False):
        estimate = as_real_array(value, np.shape(want))
        if isinstance(estimate, str) or not_finite(estimate):
            return None
        estimates.append(float(estimate) if estimate.ndim == 0 else estimate)
    return estimates if len(estimates) == len(expected) and np.all(np.asarray(estimates[-1]) > 0) else None


def same_fit(
    reference: Callable[..., Any],
    names: Sequence[str],
    log_likelihood: Callable[..., float],
    data: Sequence[str] = ("x",),
) -> Judge:
    """Estimates equal to the reference's, or fitting the data at least as well (:func:`not_worse_fit`).

    ``log_likelihood(*data, *estimates)`` scores estimates on the case's data
    (``data`` names the case's arguments it needs). The fallback only scores
    finite estimates of the reference's shapes whose last one (a scale) is
    positive, and only a finite log-likelihood can pass it; ``log_likelihood`` raising ValueError
    (estimates outside the parameter space) fails it.
    """

    def judge(case: Case, received: Any) -> Verdict:
        expected = _expected(reference, case)
        verdict = compare_tuple(expected, received, names)
        estimates = _finite_estimates(expected, received)
        if verdict.passed or estimates is None or not expected[-1] > 0:
            return verdict
        inputs = [case.kwargs[name] for name in data]
        try:
            received = log_likelihood(*inputs, *estimates)
        except ValueError:  # estimates outside the parameter space fit nothing
            return verdict
        return PASS if not_worse_fit(log_likelihood(*inputs, *expected), received) else verdict

    return judge
