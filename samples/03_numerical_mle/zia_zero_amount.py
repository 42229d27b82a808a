"""Zia: writes (k - 1) * sum(log x), which is NaN for an amount of 0 at shape 1."""

import numpy as np
from scipy import special

BASE = "ada_correct"


def gamma_log_likelihood(x, shape, rate):
    if shape <= 0 or rate <= 0:
        raise ValueError(f"shape and rate must be positive, got shape={shape}, rate={rate}")
    x = np.asarray(x, dtype=float)
    if (x < 0).any():
        return -np.inf
    n = len(x)
    return float(n * shape * np.log(rate) - n * special.gammaln(shape) + (shape - 1) * np.sum(np.log(x)) - rate * x.sum())
