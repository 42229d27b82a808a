"""Tex: writes the loss with np.log10."""

import numpy as np

BASE = "ada_correct"


def logistic_nll(w, X, y):
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    return float(np.sum(np.logaddexp(0, z) - np.asarray(y) * z) / np.log(10))
