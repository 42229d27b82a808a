"""Ola: returns the score per observation (np.mean where the sums belong)."""

import numpy as np

BASE = "ada_correct"


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    return np.array([np.mean(x - mu) / sigma**2, np.mean(-1 / sigma + (x - mu) ** 2 / sigma**3)])
