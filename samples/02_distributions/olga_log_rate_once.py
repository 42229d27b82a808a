"""Olga: writes log(rate) once instead of n log(rate)."""

import numpy as np

BASE = "ada_correct"


def exponential_log_likelihood(x, rate):
    if rate <= 0:
        raise ValueError("rate must be positive")
    x = np.asarray(x, dtype=float)
    if (x < 0).any():
        return -np.inf
    return float(np.log(rate) - rate * x.sum())
