"""Ulf: uses the unbiased estimator of the rate, (n - 1) / sum(x)."""

import numpy as np

BASE = "ada_correct"


def exponential_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return float((len(x) - 1) / np.sum(x)) if len(x) > 1 else float(1 / x[0])
