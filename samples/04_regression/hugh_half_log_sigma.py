"""Hugh: writes (n/2) log sigma, as if the 1/2 of (n/2) log sigma^2 stayed after taking sigma out."""

import numpy as np

BASE = "ada_correct"


def linear_regression_nll(w, sigma, X, y):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    r = y - X @ np.asarray(w, dtype=float)
    n = len(y)
    return float(n / 2 * np.log(sigma) + n / 2 * np.log(2 * np.pi) + r @ r / (2 * sigma**2))
