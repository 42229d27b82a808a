"""Ross: takes the square root of the sum of squares and forgets to divide by n."""

import numpy as np

BASE = "ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(np.sqrt(np.sum((x - x.mean()) ** 2)))
