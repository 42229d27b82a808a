"""Tia: takes the logarithm of the rate in base 10."""

import numpy as np

BASE = "ada_correct"


def exponential_log_likelihood(x, rate):
    if rate <= 0:
        raise ValueError("rate must be positive")
    x = np.asarray(x, dtype=float)
    if np.any(x < 0):
        return -np.inf
    return float(len(x) * np.log10(rate) - rate * x.sum())
