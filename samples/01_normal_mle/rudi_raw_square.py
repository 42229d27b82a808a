"""Rudi: forgets to subtract the mean in sigma_hat."""

import numpy as np

BASE = "ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must not be empty")
    return float(x.mean()), float(np.sqrt(np.mean(x**2)))
