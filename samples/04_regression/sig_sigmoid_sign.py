"""Sig: writes the sigmoid as 1 / (1 + exp(Xw))."""

import numpy as np

BASE = "ada_correct"


def logistic_gradient(w, X, y):
    X = np.asarray(X, dtype=float)
    p = 1 / (1 + np.exp(X @ np.asarray(w, dtype=float)))
    return X.T @ (p - np.asarray(y))
