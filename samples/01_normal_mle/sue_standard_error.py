"""Sue: reports the standard error of the mean as sigma hat."""

import numpy as np

BASE = "ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std() / np.sqrt(x.size))
