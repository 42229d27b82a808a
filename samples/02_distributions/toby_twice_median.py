"""Toby: doubles the median, a method of moments with the middle value."""

import numpy as np

BASE = "ada_correct"


def uniform_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return float(2 * np.median(x))
