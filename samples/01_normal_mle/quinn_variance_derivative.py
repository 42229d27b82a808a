"""Quinn: differentiates with respect to the variance sigma^2 instead of sigma."""

import numpy as np

BASE = "ada_correct"


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    d_mu = np.sum(x - mu) / sigma**2
    d_variance = -len(x) / (2 * sigma**2) + np.sum((x - mu) ** 2) / (2 * sigma**4)
    return np.array([d_mu, d_variance])
