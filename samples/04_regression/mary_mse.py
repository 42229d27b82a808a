"""Mary: returns the mean squared error, the loss she knows from scikit-learn."""

import numpy as np
from scipy.special import expit

BASE = "ada_correct"


def linear_regression_nll(w, sigma, X, y):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    r = np.asarray(y, dtype=float) - np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    return float(np.mean(r**2))
