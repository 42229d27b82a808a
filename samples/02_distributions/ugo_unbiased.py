"""Ugo: corrects the maximum to make it unbiased."""

import numpy as np

BASE = "ada_correct"


def uniform_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    n = len(x)
    return float((n + 1) / n * np.max(x))
