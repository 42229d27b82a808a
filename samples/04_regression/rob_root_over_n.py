"""Rob: takes the square root of the residual sum of squares, then divides by n."""

import numpy as np

BASE = "ada_correct"


def linear_regression_mle(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if len(y) == 0:
        raise ValueError("y is empty")
    w, *_ = np.linalg.lstsq(X, y, rcond=None)
    r = y - X @ w
    return w, float(np.sqrt(r @ r) / len(y))
