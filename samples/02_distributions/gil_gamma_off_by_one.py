"""Gil: writes log k! as gammaln(k)."""

import numpy as np
from scipy.special import gammaln

BASE = "ada_correct"


def poisson_log_likelihood(k, lam):
    if lam <= 0:
        raise ValueError("lam must be positive")
    k = np.asarray(k, dtype=float)
    return float(np.sum(k * np.log(lam) - lam - gammaln(k)))
