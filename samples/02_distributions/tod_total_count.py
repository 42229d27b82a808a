"""Tod: returns the total count, forgetting to divide by n."""

import numpy as np

BASE = "ada_correct"


def poisson_mle(k):
    if len(k) == 0:
        raise ValueError("k is empty")
    return float(np.sum(k))
