"""Suki: scores the predicted probabilities by their squared error."""

import numpy as np
from scipy.special import expit

BASE = "ada_correct"


def logistic_nll(w, X, y):
    p = expit(np.asarray(X, dtype=float) @ np.asarray(w, dtype=float))
    return float(np.sum((np.asarray(y) - p) ** 2))
