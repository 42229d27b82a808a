"""Lily: returns the log-likelihood instead of its negative."""

import numpy as np
from scipy.special import expit

BASE = "ada_correct"


def linear_regression_nll(w, sigma, X, y):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    r = np.asarray(y, dtype=float) - np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    n = len(r)
    return float(-n * np.log(sigma) - n / 2 * np.log(2 * np.pi) - r @ r / (2 * sigma**2))
