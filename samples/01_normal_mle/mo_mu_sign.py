"""Mo: writes the derivative in mu as the loss's, (mu - x) / sigma squared."""

import numpy as np

BASE = "ada_correct"


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    return np.array([np.sum(mu - x) / sigma**2, -len(x) / sigma + np.sum((x - mu) ** 2) / sigma**3])
