"""Nora: writes s log p + (n - s) log(1 - p) with np.log, so 0 log 0 becomes NaN."""

import numpy as np

BASE = "ada_correct"


def bernoulli_log_likelihood(x, p):
    if not 0 <= p <= 1:
        raise ValueError("p must be between 0 and 1")
    x = np.asarray(x)
    s = x.sum()
    return float(s * np.log(p) + (len(x) - s) * np.log(1 - p))
