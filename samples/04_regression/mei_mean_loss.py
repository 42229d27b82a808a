"""Mei: averages the logistic loss over samples."""

import numpy as np
from scipy.special import expit

BASE = "ada_correct"


def logistic_nll(w, X, y):
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    return float(np.mean(np.logaddexp(0, z) - np.asarray(y) * z))
