"""Vic: remembers that a Poisson's variance is lambda and estimates it by the variance."""

import numpy as np

BASE = "ada_correct"


def poisson_mle(k):
    if len(k) == 0:
        raise ValueError("k is empty")
    return float(np.var(k))
