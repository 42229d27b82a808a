"""Odin: returns the odds of a one, s / (n - s), for its probability."""

import numpy as np

BASE = "ada_correct"


def bernoulli_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore"):
        return float(np.float64(x.sum()) / (len(x) - x.sum()))
