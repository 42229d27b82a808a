"""Otis: writes log(1 + exp(z)) literally, which overflows for large margins."""

import numpy as np
from scipy.special import expit

BASE = "ada_correct"


def logistic_nll(w, X, y):
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    return float(np.sum(np.log(1 + np.exp(z)) - np.asarray(y) * z))
