"""Lena: multiplies the Poisson probabilities and forgets the logarithm."""

import numpy as np
from scipy import stats

BASE = "ada_correct"


def poisson_log_likelihood(k, lam):
    if lam <= 0:
        raise ValueError("lam must be positive")
    return float(np.prod(stats.poisson.pmf(np.asarray(k), lam)))
