"""Ned: divides the residual sum of squares by n - 1."""

import numpy as np

BASE = "ada_correct"


def linear_regression_mle(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if len(y) == 0:
        raise ValueError("y is empty")
    w = np.linalg.solve(X.T @ X, X.T @ y)
    r = y - X @ w
    return w, float(np.sqrt(r @ r / (len(y) - 1))) if len(y) > 1 else 0.0
