"""Abe: measures absolute deviations from the mean."""

import numpy as np

BASE = "ada_correct"


def laplace_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    x = np.asarray(x, dtype=float)
    return float(np.median(x)), float(np.mean(np.abs(x - x.mean())))
