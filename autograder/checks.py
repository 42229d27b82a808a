"""Numeric comparisons of a learner's output with the expected one, at stated tolerances.

Every graded value is compared with ``numpy.isclose(received, expected,
rtol=RTOL, atol=ATOL)``: a relative error of one in a million absorbs any
correct algebra (loops, ``scipy.stats``, another summation order) while the
smallest known mistake (n - 1 instead of n at n = 10 000) is still 1e-4 away.
"""

from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np

RTOL = 1e-6
ATOL = 1e-9


@dataclass(frozen=True)
class Verdict:
    """Whether a received value is acceptable and, if not, what is wrong with it."""

    passed: bool
    problem: str = ""


PASS = Verdict(True)


def format_value(value: Any) -> str:
    """Short, readable rendering of a number, array or tuple for a feedback message."""
    if isinstance(value, tuple):
        return "(" + ", ".join(format_value(v) for v in value) + ")"
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, threshold=8, separator=", ")
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (Real, np.number)):
        return f"{float(value):.10g}"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def as_real(value: Any) -> float | None:
    """The value as a float if it is a real scalar (int, float, numpy scalar, 0-d array)."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (Real, np.integer, np.floating)):
        return float(value)
    if isinstance(value, np.ndarray) and value.shape == () and np.issubdtype(value.dtype, np.number):
        return float(value)
    return None


def close(expected: Any, received: Any) -> bool:
    """Whether two numbers or arrays of one shape agree within RTOL and ATOL."""
    return bool(np.all(np.isclose(received, expected, rtol=RTOL, atol=ATOL)))


def compare_scalar(expected: float, received: Any) -> Verdict:
    """A received real number against the expected one."""
    value = as_real(received)
    if value is None:
        return Verdict(False, f"expected a number, got {type(received).__name__} {format_value(received)}")
    if not close(expected, value):
        return Verdict(False, f"expected {format_value(expected)}, got {format_value(value)}")
    return PASS


def compare_array(expected: np.ndarray, received: Any) -> Verdict:
    """A received array (or list) against the expected array: shape first, then values."""
    try:
        array = np.asarray(received, dtype=float)
    except (TypeError, ValueError):
        return Verdict(False, f"expected an array of numbers, got {format_value(received)}")
    if array.shape != expected.shape:
        return Verdict(False, f"expected an array of shape {expected.shape}, got shape {array.shape}")
    if not close(expected, array):
        return Verdict(False, f"expected {format_value(expected)}, got {format_value(array)}")
    return PASS


def compare_pair(expected: tuple[float, float], received: Any, names: tuple[str, str]) -> Verdict:
    """A received pair of estimates against the expected pair, naming the wrong one."""
    if not isinstance(received, (tuple, list, np.ndarray)) or len(received) != 2:
        return Verdict(False, f"expected a tuple ({names[0]}, {names[1]}), got {format_value(received)}")
    wrong = []
    for name, want, got in zip(names, expected, received, strict=True):
        value = as_real(got)
        if value is None:
            wrong.append(f"{name} should be a number, got {format_value(got)}")
        elif not close(want, value):
            wrong.append(f"{name}: expected {format_value(want)}, got {format_value(value)}")
    return Verdict(not wrong, "; ".join(wrong))


def not_worse_fit(log_likelihood_reference: float, log_likelihood_received: float) -> bool:
    """Whether an estimate fits at least as well as the reference MLE (scipy's nllf rule).

    Following ``assert_nllf_less_or_close`` in scipy's ``test_fit.py``: an
    estimate whose log-likelihood is higher than, or within RTOL of, the
    reference's is an acceptable maximiser.
    """
    slack = RTOL * max(1.0, abs(log_likelihood_reference))
    return bool(log_likelihood_received >= log_likelihood_reference - slack)
