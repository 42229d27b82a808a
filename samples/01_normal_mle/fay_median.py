"""Fay: uses the median for mu_hat ("it is more robust"), the rest right."""

import numpy as np

BASE = "ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must not be empty")
    return float(np.median(x)), float(np.std(x))


ANSWER = """Because x-bar is estimated from the sample. It does not matter for large n."""
