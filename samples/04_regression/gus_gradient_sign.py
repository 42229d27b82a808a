"""Gus: writes the residual as y - p, the gradient of the log-likelihood."""

import numpy as np
from scipy.special import expit

BASE = "ada_correct"


def logistic_gradient(w, X, y):
    X = np.asarray(X, dtype=float)
    return X.T @ (np.asarray(y) - expit(X @ np.asarray(w, dtype=float)))
