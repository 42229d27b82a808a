"""Eli: returns the variance where normal_mle asks for the standard deviation."""

import numpy as np

BASE = "ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must not be empty")
    mu_hat = x.mean()
    return float(mu_hat), float(np.mean((x - mu_hat) ** 2))


ANSWER = """We estimate the mean from the same data, so the spread looks smaller than it is. The factor
(n-1)/n is almost 1 for large n."""
