"""Lin: reuses the least-squares gradient, with no sigmoid."""

import numpy as np

BASE = "ada_correct"


def logistic_gradient(w, X, y):
    X = np.asarray(X, dtype=float)
    return X.T @ (X @ np.asarray(w, dtype=float) - np.asarray(y))
