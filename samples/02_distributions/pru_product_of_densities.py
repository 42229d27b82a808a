"""Pru: multiplies the exponential densities and forgets the logarithm."""

import numpy as np

BASE = "ada_correct"


def exponential_log_likelihood(x, rate):
    if rate <= 0:
        raise ValueError("rate must be positive")
    x = np.asarray(x, dtype=float)
    density = np.where(x < 0, 0.0, rate * np.exp(-rate * np.abs(x)))
    return float(np.prod(density))
