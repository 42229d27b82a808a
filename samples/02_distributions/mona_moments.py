"""Mona: matches the mean theta / 2 to the sample mean (the method of moments)."""

import numpy as np

BASE = "ada_correct"


def uniform_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return float(2 * np.mean(x))
