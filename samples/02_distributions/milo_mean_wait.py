"""Milo: returns the mean waiting time, not the rate."""

import numpy as np

BASE = "ada_correct"


def exponential_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return float(np.mean(x))
