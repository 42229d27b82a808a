"""Leon: returns the Bernoulli log-likelihood instead of the loss."""

import numpy as np
from scipy.special import expit

BASE = "ada_correct"


def logistic_nll(w, X, y):
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    return float(np.sum(np.asarray(y) * z - np.logaddexp(0, z)))
