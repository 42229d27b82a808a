"""Nico: scales the penalty by 1 / n."""

import numpy as np
from scipy.special import expit

BASE = "ada_correct"


def ridge_map(X, y, lam):
    if lam < 0:
        raise ValueError("lam must be non-negative")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam / len(y) * np.eye(X.shape[1]), X.T @ y)
