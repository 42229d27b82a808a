"""Sina: adds rate times the total wait instead of subtracting it."""

import numpy as np

BASE = "ada_correct"


def exponential_log_likelihood(x, rate):
    if rate <= 0:
        raise ValueError("rate must be positive")
    x = np.asarray(x, dtype=float)
    if (x < 0).any():
        return -np.inf
    return float(len(x) * np.log(rate) + rate * x.sum())
