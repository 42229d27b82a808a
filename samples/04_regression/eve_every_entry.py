"""Eve: adds lam to the whole matrix."""

import numpy as np

BASE = "ada_correct"


def ridge_map(X, y, lam):
    if lam < 0:
        raise ValueError("lam must be non-negative")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam, X.T @ y)
