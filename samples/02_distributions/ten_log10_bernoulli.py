"""Ten: uses log base 10."""

import numpy as np
from scipy.special import xlogy

BASE = "ada_correct"


def bernoulli_log_likelihood(x, p):
    if not 0 <= p <= 1:
        raise ValueError("p must be between 0 and 1")
    x = np.asarray(x, dtype=float)
    s, n = x.sum(), x.size
    return float((xlogy(s, p) + xlogy(n - s, 1 - p)) / np.log(10))
