"""Nico: differentiates only the squared deviations in sigma, losing the -n/sigma of the log term."""

import numpy as np

BASE = "ada_correct"


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    return np.array([np.sum(x - mu) / sigma**2, np.sum((x - mu) ** 2) / sigma**3])
