"""Yan: returns the standard deviation of y, not of the residuals."""

import numpy as np

BASE = "ada_correct"


def linear_regression_mle(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if len(y) == 0:
        raise ValueError("y is empty")
    w, *_ = np.linalg.lstsq(X, y, rcond=None)
    return w, float(np.std(y))
