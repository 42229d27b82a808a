"""Ezra: forgets the e^(-lambda) of the Poisson pmf."""

import numpy as np
from scipy.special import gammaln

BASE = "ada_correct"


def poisson_log_likelihood(k, lam):
    if lam <= 0:
        raise ValueError("lam must be positive")
    k = np.asarray(k)
    return float(np.sum(k * np.log(lam) - gammaln(k + 1)))
