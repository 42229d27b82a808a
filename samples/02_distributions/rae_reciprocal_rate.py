"""Rae: returns 1 / mean, as for the exponential rate."""

import numpy as np

BASE = "ada_correct"


def poisson_mle(k):
    if len(k) == 0:
        raise ValueError("k is empty")
    with np.errstate(divide="ignore"):
        return float(1 / np.mean(k))
