"""Ora: returns the two estimates in the other order."""

import numpy as np

BASE = "ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must not be empty")
    return float(x.std()), float(x.mean())
