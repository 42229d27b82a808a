"""Tara: sums the base-10 logarithms of the Poisson probabilities."""

import numpy as np
from scipy import stats

BASE = "ada_correct"


def poisson_log_likelihood(k, lam):
    if lam <= 0:
        raise ValueError("lam must be positive")
    return float(np.sum(np.log10(stats.poisson.pmf(np.asarray(k), lam))))
