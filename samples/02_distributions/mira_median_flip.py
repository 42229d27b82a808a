"""Mira: estimates p by the median outcome."""

import numpy as np

BASE = "ada_correct"


def bernoulli_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return float(np.median(x))
