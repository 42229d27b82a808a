"""Rudy: differentiates as for a squared loss and keeps the sigmoid's derivative sigma(1 - sigma)."""

import numpy as np
from scipy.special import expit

BASE = "ada_correct"


def logistic_gradient(w, X, y):
    X = np.asarray(X, dtype=float)
    p = expit(X @ np.asarray(w, dtype=float))
    return X.T @ ((p - np.asarray(y)) * p * (1 - p))
