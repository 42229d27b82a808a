"""Ian: leaves the intercept out of the penalty."""

import numpy as np

BASE = "ada_correct"


def ridge_map(X, y, lam):
    if lam < 0:
        raise ValueError("lam must be non-negative")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    penalty = lam * np.eye(X.shape[1])
    penalty[0, 0] = 0.0
    return np.linalg.solve(X.T @ X + penalty, X.T @ y)
