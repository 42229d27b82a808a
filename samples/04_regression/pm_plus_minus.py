"""PM: writes the loss for labels -1/+1."""

import numpy as np

BASE = "ada_correct"


def logistic_nll(w, X, y):
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    return float(np.sum(np.logaddexp(0, -np.asarray(y, dtype=float) * z)))
