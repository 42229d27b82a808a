"""Carl: estimates p by the number of ones, forgetting to divide by n."""

import numpy as np

BASE = "ada_correct"


def bernoulli_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return float(np.sum(x))
