"""Ivy: returns the asymptotic covariance, the information's inverse."""

import numpy as np

BASE = "ada_correct"


def normal_fisher_information(sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return np.diag([sigma**2, sigma**2 / 2])
