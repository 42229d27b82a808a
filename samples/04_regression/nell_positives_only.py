"""Nell: keeps only the y log sigma(z) term of the cross-entropy, forgetting the (1 - y) log(1 - sigma(z)) of the zeros."""

import numpy as np

BASE = "ada_correct"


def logistic_nll(w, X, y):
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    return float(np.sum(np.asarray(y) * np.logaddexp(0, -z)))
