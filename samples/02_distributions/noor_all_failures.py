"""Noor: gives every observation a log(1 - p) term, n log(1 - p) instead of (n - s) log(1 - p)."""

import numpy as np
from scipy.special import xlogy

BASE = "ada_correct"


def bernoulli_log_likelihood(x, p):
    if not 0 <= p <= 1:
        raise ValueError("p must be between 0 and 1")
    x = np.asarray(x)
    return float(xlogy(x.sum(), p) + xlogy(len(x), 1 - p))
