"""Vera: returns RSS / n, the variance, as sigma_hat."""

import numpy as np
from scipy.special import expit

BASE = "ada_correct"


def linear_regression_mle(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if len(y) == 0:
        raise ValueError("y is empty")
    w, *_ = np.linalg.lstsq(X, y, rcond=None)
    r = y - X @ w
    return w, float(r @ r / len(y))
