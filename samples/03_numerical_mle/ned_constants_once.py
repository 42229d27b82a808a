"""Ned: adds the normalising constants once, not n times."""

import numpy as np
from scipy import special

BASE = "ada_correct"


def gamma_log_likelihood(x, shape, rate):
    if shape <= 0:
        raise ValueError("shape must be positive")
    if rate <= 0:
        raise ValueError("rate must be positive")
    x = np.asarray(x, dtype=float)
    if np.any(x < 0):
        return -np.inf
    return float(shape * np.log(rate) - special.gammaln(shape) + np.sum(special.xlogy(shape - 1, x)) - rate * x.sum())
