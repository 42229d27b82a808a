"""Rosa: forgets the 1/sigma^2 factor of the chain rule in d/dmu."""

import numpy as np

BASE = "ada_correct"


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    return np.array([np.sum(x - mu), -len(x) / sigma + np.sum((x - mu) ** 2) / sigma**3])
