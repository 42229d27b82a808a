"""Dot: keeps the 2 pi but drops -n log sigma, thinking sigma is a constant."""

import numpy as np

BASE = "ada_correct"


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    return float(-len(x) / 2 * np.log(2 * np.pi) - ((x - mu) ** 2).sum() / (2 * sigma**2))
