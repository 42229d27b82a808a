"""Mona: the method of moments with the unbiased variance."""

import numpy as np

BASE = "ada_correct"


def gamma_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0 or np.any(x <= 0):
        raise ValueError("x must be non-empty and positive")
    v = x.var(ddof=1)
    return float(x.mean() ** 2 / v), float(x.mean() / v)
