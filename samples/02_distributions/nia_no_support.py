"""Nia: never checks that the waits are non-negative."""

import numpy as np

BASE = "ada_correct"


def exponential_log_likelihood(x, rate):
    if rate <= 0:
        raise ValueError("rate must be positive")
    x = np.asarray(x, dtype=float)
    return float(len(x) * np.log(rate) - rate * x.sum())
