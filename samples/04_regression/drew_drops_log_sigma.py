"""Drew: keeps the 2 pi constant but drops n log sigma."""

import numpy as np

BASE = "ada_correct"


def linear_regression_nll(w, sigma, X, y):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    r = y - X @ np.asarray(w, dtype=float)
    return float(len(y) / 2 * np.log(2 * np.pi) + r @ r / (2 * sigma**2))
