"""Sky: takes the median for the location and the standard deviation for the scale."""

import numpy as np

BASE = "ada_correct"


def laplace_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return float(np.median(x)), float(np.std(x))
