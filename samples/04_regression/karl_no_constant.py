"""Karl: drops (n/2) log(2 pi) from the regression NLL."""

import numpy as np
from scipy.special import expit

BASE = "ada_correct"


def linear_regression_nll(w, sigma, X, y):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    r = np.asarray(y, dtype=float) - np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    return float(len(r) * np.log(sigma) + r @ r / (2 * sigma**2))
