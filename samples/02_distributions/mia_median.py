"""Mia: takes the median count as the Poisson rate."""

import numpy as np

BASE = "ada_correct"


def poisson_mle(k):
    if len(k) == 0:
        raise ValueError("k is empty")
    return float(np.median(k))
