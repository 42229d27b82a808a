"""Tom: divides the residual sum of squares by sigma^2, not 2 sigma^2."""

import numpy as np

BASE = "ada_correct"


def linear_regression_nll(w, sigma, X, y):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    n, r = len(y), y - X @ w
    return float(n * np.log(sigma) + n / 2 * np.log(2 * np.pi) + r @ r / sigma**2)
