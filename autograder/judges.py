"""Judges: how a learner's output on a hidden case is compared with the reference's.

Each factory takes the reference function and returns a judge
``judge(case, received) -> Verdict`` that calls the reference on the case.
"""

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograder.cases import Case, Judge
from autograder.checks import (
    PASS,
    Verdict,
    as_real,
    compare_array,
    compare_pair,
    compare_scalar,
    describe_received,
    entries,
    not_worse_fit,
)


def _expected(reference: Callable[..., Any], case: Case) -> Any:
    return reference(*case.fresh_kwargs().values())


def same_value(reference: Callable[..., Any]) -> Judge:
    """A real number equal to the reference's (log-likelihoods, one-parameter estimates)."""
    return lambda case, received: compare_scalar(_expected(reference, case), received)


def same_array(reference: Callable[..., Any]) -> Judge:
    """An array of the reference's shape and values (scores, gradients, proportions)."""
    return lambda case, received: compare_array(_expected(reference, case), received)


def same_fit(
    reference: Callable[..., Any],
    names: tuple[str, str],
    log_likelihood: Callable[..., float],
    data: Sequence[str] = ("x",),
) -> Judge:
    """A pair of estimates equal to the reference's, or fitting the data at least as well.

    ``log_likelihood(*data, first, second)`` scores a pair on the case's data;
    the fallback only scores finite estimates whose second (a scale) is
    positive, and only a finite log-likelihood can pass it.
    """

    def judge(case: Case, received: Any) -> Verdict:
        expected = _expected(reference, case)
        verdict = compare_pair(expected, received, names)
        estimates = [as_real(value) for value in entries(received, 2) or ()]
        if verdict.passed or len(estimates) != 2 or None in estimates:
            return verdict
        first, second = estimates
        if not (np.isfinite(first) and second > 0 and np.isfinite(second) and expected[1] > 0):
            return verdict
        inputs = [case.kwargs[name] for name in data]
        better = not_worse_fit(log_likelihood(*inputs, *expected), log_likelihood(*inputs, first, second))
        return PASS if better else verdict

    return judge


def same_outputs(reference: Callable[..., Any], names: Sequence[str]) -> Judge:
    """A tuple of outputs (numbers, arrays or None), each equal to the reference's."""

    def judge(case: Case, received: Any) -> Verdict:
        expected = _expected(reference, case)
        if not isinstance(received, (tuple, list)) or len(received) != len(expected):
            return Verdict(False, f"expected a tuple ({', '.join(names)}), got {describe_received(received)}")
        problems = []
        for name, want, got in zip(names, expected, received, strict=True):
            if want is None:
                verdict = PASS if got is None else Verdict(False, f"expected None, got {describe_received(got)}")
            elif np.ndim(want) == 0:
                verdict = compare_scalar(want, got)
            else:
                verdict = compare_array(np.asarray(want), got)
            if not verdict.passed:
                problems.append(f"{name}: {verdict.problem}")
        return Verdict(not problems, "; ".join(problems))

    return judge
