"""Sigi: divides by sigma where the information has sigma squared."""

import numpy as np

BASE = "ada_correct"


def normal_fisher_information(sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return np.array([[1 / sigma, 0.0], [0.0, 2 / sigma]])
