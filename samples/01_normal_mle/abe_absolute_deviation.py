"""Abe: measures the spread by the mean absolute deviation."""

import numpy as np

BASE = "ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must not be empty")
    return float(x.mean()), float(np.mean(np.abs(x - x.mean())))
