"""Rune: returns 1 / sum(x), forgetting the n of n / sum(x)."""

import numpy as np

BASE = "ada_correct"


def exponential_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return float(1 / np.sum(x))
