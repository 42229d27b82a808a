"""Lars: uses the mean as the Laplace location, as for the Normal."""

import numpy as np

BASE = "ada_correct"


def laplace_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    x = np.asarray(x, dtype=float)
    m = x.mean()
    return float(m), float(np.mean(np.abs(x - m)))
