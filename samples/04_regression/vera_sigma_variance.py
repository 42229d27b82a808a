"""Vera: reads sigma as the noise variance."""

import numpy as np

BASE = "ada_correct"


def linear_regression_nll(w, sigma, X, y):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    n, r = len(y), y - X @ w
    return float(n / 2 * np.log(sigma) + n / 2 * np.log(2 * np.pi) + r @ r / (2 * sigma))
