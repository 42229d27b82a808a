"""Cub: differentiates sigma to the minus 2 as sigma to the minus 2 again."""

import numpy as np

BASE = "ada_correct"


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    r = x - mu
    return np.array([r.sum() / sigma**2, -x.size / sigma + (r @ r) / sigma**2])
