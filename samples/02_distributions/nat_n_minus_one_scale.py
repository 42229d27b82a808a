"""Nat: divides the absolute deviations by n - 1."""

import numpy as np

BASE = "ada_correct"


def laplace_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    m = np.median(x)
    deviations = [abs(v - m) for v in x]
    return float(m), float(sum(deviations) / (len(x) - 1)) if len(x) > 1 else 0.0
