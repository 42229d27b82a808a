"""The catalogue of known learner mistakes, one small named entry each, grouped by assignment.

A mistake is recognised from numbers alone: when a learner's wrong output on a
hidden case equals what the mistake computes on that case (within the
grader's tolerances), the feedback names it in the words of its ``advice``.
"""

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograder.cases import Case
from autograder.checks import as_real
from autograder.mistakes import distributions, normal, numerical, regression
from autograder.mistakes.base import Mistake

CATALOGUE: tuple[Mistake, ...] = (
    *normal.CATALOGUE,
    *distributions.CATALOGUE,
    *numerical.CATALOGUE,
    *regression.CATALOGUE,
)


def diagnose(function: str, case: Case, received: Any, reference: Callable[..., Any]) -> tuple[Mistake, ...]:
    """Every catalogued mistake of ``function`` that explains ``received`` on ``case``.

    A mistake that the right answer would also match on this case (say, the
    median for the mean when n = 1) explains nothing and is left out.
    """
    if as_real(received) is None and not isinstance(received, (tuple, list, np.ndarray)):
        return ()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        right = reference(*case.fresh_kwargs().values())
        return tuple(
            mistake
            for mistake in CATALOGUE
            if mistake.function == function and _matches(mistake, case, received) and not _matches(mistake, case, right)
        )


def _matches(mistake: Mistake, case: Case, received: Any) -> bool:
    """Whether ``mistake`` explains ``received``; a matcher that trips over odd data explains nothing."""
    try:
        return bool(mistake.matches(case, received))
    except Exception:  # learner data (a huge int, a ragged list ...) must not turn a verdict into a crash
        return False


def most_likely(explanations: Sequence[Sequence[Mistake]]) -> list[Mistake]:
    """The fewest mistakes that explain every explained failure, most explanatory first.

    Where one case fits two mistakes (at n = 1, the unbiased maximum 2·max(x)
    equals the method of moments 2·x̄), the mistake that fits the other
    failures too is the one named.
    """
    remaining = [set(found) for found in explanations if found]
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
