"""Rio: averages the reciprocals of the waits."""

import numpy as np

BASE = "ada_correct"


def exponential_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0 or np.any(x <= 0):
        raise ValueError("x must be non-empty and positive")
    return float(np.mean(1 / x))
