"""Stef: the Laplace variance is 2 b^2, so she takes the standard deviation over sqrt(2) as the scale."""

import numpy as np

BASE = "ada_correct"


def laplace_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return float(np.median(x)), float(np.std(x) / np.sqrt(2))
