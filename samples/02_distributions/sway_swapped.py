"""Sway: gives the ones log(1 - p) and the zeros log p."""

import numpy as np
from scipy.special import xlogy

BASE = "ada_correct"


def bernoulli_log_likelihood(x, p):
    if not 0 <= p <= 1:
        raise ValueError("p must be between 0 and 1")
    x = np.asarray(x, dtype=float)
    return float(np.sum(xlogy(x, 1 - p) + xlogy(1 - x, p)))
