"""Sia: takes the sigmoid of -Xw as the probability of a one."""

import numpy as np
from scipy.special import expit, xlogy

BASE = "ada_correct"


def logistic_nll(w, X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    p = expit(-(X @ np.asarray(w, dtype=float)))
    return float(-np.sum(xlogy(y, p) + xlogy(1 - y, 1 - p)))
