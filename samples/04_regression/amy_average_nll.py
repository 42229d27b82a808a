"""Amy: averages the NLL over the observations."""

import numpy as np

BASE = "ada_correct"


def linear_regression_nll(w, sigma, X, y):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    r = y - X @ np.asarray(w, dtype=float)
    return float(np.mean(np.log(sigma) + 0.5 * np.log(2 * np.pi) + r**2 / (2 * sigma**2)))
