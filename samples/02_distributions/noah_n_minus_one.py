"""Noah: divides the number of ones by n - 1 out of habit."""

import numpy as np

BASE = "ada_correct"


def bernoulli_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    x = np.asarray(x, dtype=float)
    return float(x.sum() / (len(x) - 1)) if len(x) > 1 else float(x.sum())
