"""Sid: forgets to square sigma in the derivative in mu."""

import numpy as np

BASE = "ada_correct"


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    d_mu = np.sum(x - mu) / sigma
    d_sigma = -len(x) / sigma + np.sum((x - mu) ** 2) / sigma**3
    return np.array([d_mu, d_sigma])
