"""Meda: takes the median absolute deviation for the scale."""

import numpy as np

BASE = "ada_correct"


def laplace_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must not be empty")
    m = np.median(x)
    return float(m), float(np.median(np.abs(x - m)))
