"""Xan: centres the sigma part of the score at the sample mean instead of mu."""

import numpy as np

BASE = "ada_correct"


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    d_mu = np.sum(x - mu) / sigma**2
    d_sigma = -len(x) / sigma + np.sum((x - x.mean()) ** 2) / sigma**3
    return np.array([d_mu, d_sigma])
