"""Xena: returns the residuals sigma(Xw) - y, forgetting to multiply by X transposed."""

import numpy as np
from scipy.special import expit

BASE = "ada_correct"


def logistic_gradient(w, X, y):
    X = np.asarray(X, dtype=float)
    return expit(X @ np.asarray(w, dtype=float)) - np.asarray(y)
