"""Leo: returns the likelihood p^s (1 - p)^(n - s) instead of its logarithm."""

import numpy as np

BASE = "ada_correct"


def bernoulli_log_likelihood(x, p):
    if not 0 <= p <= 1:
        raise ValueError("p must be between 0 and 1")
    x = np.asarray(x)
    s = x.sum()
    return float(p**s * (1 - p) ** (len(x) - s))
