"""Dana: divides by n - 1 in normal_mle, as her statistics course taught (Bessel's correction)."""

import numpy as np

BASE = "ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must not be empty")
    return float(np.mean(x)), float(np.std(x, ddof=1))


ANSWER = """The estimate is biased because it divides by n. With n-1 it would be unbiased."""
