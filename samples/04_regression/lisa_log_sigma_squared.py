"""Lisa: writes n log sigma^2 for the normalising term."""

import numpy as np

BASE = "ada_correct"


def linear_regression_nll(w, sigma, X, y):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    r = y - X @ np.asarray(w, dtype=float)
    n = len(y)
    return float(n * np.log(sigma**2) + n / 2 * np.log(2 * np.pi) + r @ r / (2 * sigma**2))
