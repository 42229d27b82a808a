"""Sal: divides the squared residuals by 2 sigma."""

import numpy as np

BASE = "ada_correct"


def linear_regression_nll(w, sigma, X, y):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    r = y - X @ np.asarray(w, dtype=float)
    n = len(y)
    return float(n * np.log(sigma) + 0.5 * n * np.log(2 * np.pi) + r @ r / (2 * sigma))
