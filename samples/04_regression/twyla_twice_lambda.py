"""Twyla: differentiates lambda ||w||^2 to 2 lambda w and keeps the 2 in the normal equations."""

import numpy as np

BASE = "ada_correct"


def ridge_map(X, y, lam):
    if lam < 0:
        raise ValueError("lam must be non-negative")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + 2 * lam * np.eye(X.shape[1]), X.T @ y)
