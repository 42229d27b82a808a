"""Numeric comparisons of a learner's output with the expected one, at stated tolerances.

Every graded value is compared with the rule of :func:`agree`: within
``RTOL``/``ATOL`` of the expected value, as ``numpy.isclose(received, expected,
rtol=RTOL, atol=ATOL)`` would say; a relative error of one in a million absorbs
any correct algebra (loops, ``scipy.stats``, another summation order) while the
smallest known mistake (n - 1 instead of n at n = 10 000) is still 1e-4 away.

Numbers from a kernel are hostile: NaN, infinities, integers beyond float
range, booleans, text and huge or ragged containers. The gates here
(:func:`as_real`, :func:`as_real_array`, :func:`agree`) are the one place that
decides what counts as a real number and when two agree; every judge goes
through them, so a NaN or an infinity where a finite value is expected always
fails, and an expected infinity (a log-likelihood outside the support) is
matched only by the same infinity.
"""

import math
import reprlib
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np

RTOL = 1e-6
ATOL = 1e-9
#: Longest rendering of one received value in a message (the learner controls the value).
MAX_SHOWN = 80
#: What a learner who gets a NaN or an infinity where a number belongs should look for.
NOT_FINITE_HINT = "NaN or infinite, where a finite number belongs: look for log(0), 0/0 or an overflow"

_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 3, MAX_SHOWN, MAX_SHOWN


@dataclass(frozen=True)
class Verdict:
    """Whether a received value is acceptable and, if not, what is wrong with it."""

    passed: bool
    problem: str = ""


PASS = Verdict(True)


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` cut to at most ``limit`` characters, marked with "..." where it was cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _format_int(value: int) -> str:
    if abs(value) < 10**16:
        return str(value)
    try:
        return f"{float(value):.10g}"
    except OverflowError:  # beyond float range; str() itself refuses past 4300 digits
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"


def format_value(value: Any, depth: int = 0) -> str:
    """Short, readable rendering of a number, array or tuple for a feedback message.

    Safe on anything a kernel can send: the work and the text are bounded
    whatever the size, depth or type of ``value``.
    """
    if isinstance(value, tuple):
        if depth >= 2:
            return "(...)"
        shown = [format_value(item, depth + 1) for item in value[:4]] + (["..."] if len(value) > 4 else [])
        return shorten("(" + ", ".join(shown) + ")")
    if isinstance(value, np.ndarray):
        if value.ndim > 2 or value.dtype.kind not in "biuf":
            return shorten(f"an array of shape {value.shape} and dtype {value.dtype}")
        with np.errstate(all="ignore"):
            return np.array2string(value, precision=6, threshold=8, edgeitems=3, separator=", ")
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (int, np.integer)):
        return _format_int(int(value))
    if isinstance(value, (Real, np.floating)):
        return f"{float(value):.10g}"
    try:
        return shorten(_REPR.repr(value))
    except Exception:  # a repr that fails must not stop the message
        return shorten(f"a {type(value).__name__}")


def describe_received(value: Any) -> str:
    """What a value is, for "expected a number, got ...": its type and a short rendering."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        if as_real(value) is None:
            return f"{format_value(value)}, too large for a float"
    return shorten(f"{type(value).__name__} {format_value(value)}")


def as_real(value: Any) -> float | None:
    """The value as a float if it is a real number (int, float, numpy scalar, 0-d array), else None.

    Booleans, text, containers and integers beyond float range are not real
    numbers here. NaN and infinities are; whether they are acceptable is
    :func:`agree`'s business.
    """
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Real, np.integer, np.floating)):
        return None
    try:
        return float(value)
    except OverflowError:
        return None


def as_real_array(value: Any, shape: tuple[int, ...]) -> np.ndarray | str:
    """The value as a float array of ``shape``, or what keeps it from being one.

    Accepts numpy arrays of integers or floats and (nested) lists or tuples of
    real numbers; rejects booleans, text, None, ragged nesting and integers
    beyond float range. Shapes are checked before anything is converted, so a
    huge array where a short one belongs costs nothing.
    """
    if isinstance(value, np.ndarray) and value.shape != ():
        if value.dtype.kind not in "iuf":
            return shorten(f"expected an array of numbers, got an array of {value.dtype}")
        if value.shape != shape:
            return shorten(f"expected an array of shape {shape}, got shape {value.shape}")
        return value.astype(float)
    if not shape:
        number = as_real(value)
        return f"every entry should be a number, got {describe_received(value)}" if number is None else np.array(number)
    if not isinstance(value, (list, tuple)):
        return f"expected an array of shape {shape}, got {describe_received(value)}"
    if len(value) != shape[0]:
        return f"expected an array of shape {shape}, got a {type(value).__name__} of {len(value)} entries"
    rows = []
    for item in value:
        row = as_real_array(item, shape[1:])
        if isinstance(row, str):
            return row
        rows.append(row)
    return np.array(rows, dtype=float).reshape(shape)


def agree(expected: Any, received: Any) -> np.ndarray:
    """Elementwise: within RTOL and ATOL of a finite expected value; identical to a non-finite one.

    The one comparison rule of the grader. A NaN or an infinity never agrees
    with a finite value (a comparison with NaN is False, so a check written as
    "fail if too far" would let it pass); an expected -inf is met only by -inf.
    """
    expected, received = np.asarray(expected, dtype=float), np.asarray(received, dtype=float)
    with np.errstate(all="ignore"):
        near = np.isfinite(received) & (np.abs(received - expected) <= ATOL + RTOL * np.abs(expected))
    same = (received == expected) | (np.isnan(received) & np.isnan(expected))
    return np.where(np.isfinite(expected), near, same)


def close(expected: Any, received: Any) -> bool:
    """Whether two numbers or arrays of one shape agree everywhere (see :func:`agree`)."""
    return bool(np.all(agree(expected, received)))


def not_finite(values: np.ndarray, expected: Any = 0.0) -> str:
    """The problem with NaN or infinite values where the expected ones are finite ("" if none)."""
    bad = ~np.isfinite(values) & np.isfinite(np.asarray(expected, dtype=float))
    if not bad.any():
        return ""
    if values.ndim == 0:
        return NOT_FINITE_HINT
    return f"{int(bad.sum())} of {values.size} values are {NOT_FINITE_HINT}"


def compare_scalar(expected: float, received: Any) -> Verdict:
    """A received real number against the expected one."""
    value = as_real(received)
    if value is None:
        return Verdict(False, f"expected a number, got {describe_received(received)}")
    if not close(expected, value):
        hint = not_finite(np.array(value), expected)
        return Verdict(
            False, f"expected {format_value(expected)}, got {format_value(value)}" + (f" ({hint})" if hint else "")
        )
    return PASS


def compare_array(expected: np.ndarray, received: Any) -> Verdict:
    """A received array (or list) against the expected array: shape first, then values."""
    array = as_real_array(received, expected.shape)
    if isinstance(array, str):
        return Verdict(False, array)
    if not close(expected, array):
        hint = not_finite(array, expected)
        return Verdict(
            False, f"expected {format_value(expected)}, got {format_value(array)}" + (f" ({hint})" if hint else "")
        )
    return PASS


def entries(value: Any, count: int) -> list[Any] | None:
    """The entries of a tuple, list or array of exactly ``count`` entries, else None."""
    if isinstance(value, (tuple, list)) and len(value) == count:
        return list(value)
    if isinstance(value, np.ndarray) and value.shape[:1] == (count,):
        return list(value)
    return None


def compare_tuple(expected: Sequence[Any], received: Any, names: Sequence[str]) -> Verdict:
    """A received tuple of outputs against the expected one, entry by entry, naming each wrong entry.

    The one tuple comparison of the grader: a tuple, list or array of as many entries is read
    (:func:`entries`); an expected None is met only by None, an expected number by a real number
    (:func:`compare_scalar`), an expected array by an array of its shape (:func:`compare_array`).
    """
    got = entries(received, len(expected))
    if got is None:
        return Verdict(False, f"expected a tuple ({', '.join(names)}), got {describe_received(received)}")
    wrong = []
    for name, want, value in zip(names, expected, got, strict=True):
        if want is None:
            verdict = PASS if value is None else Verdict(False, f"expected None, got {describe_received(value)}")
        elif np.ndim(want) == 0:
            verdict = compare_scalar(want, value)
        else:
            verdict = compare_array(np.asarray(want), value)
        if not verdict.passed:
            wrong.append(f"{name}: {verdict.problem}")
    return Verdict(not wrong, "; ".join(wrong))
