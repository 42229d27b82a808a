"""Cy: takes np.std of the residuals."""

import numpy as np

BASE = "ada_correct"


def linear_regression_mle(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.linalg.lstsq(X, y, rcond=None)[0]
    return w, float(np.std(y - X @ w))
