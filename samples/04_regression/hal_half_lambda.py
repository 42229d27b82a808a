"""Hal: halves the penalty, from the 1/2 in front of lambda ||w||^2."""

import numpy as np

BASE = "ada_correct"


def ridge_map(X, y, lam):
    if lam < 0:
        raise ValueError("lam must be non-negative")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam / 2 * np.eye(X.shape[1]), X.T @ y)
