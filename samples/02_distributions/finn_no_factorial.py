"""Finn: drops log k! because it does not depend on lambda."""

import numpy as np

BASE = "ada_correct"


def poisson_log_likelihood(k, lam):
    if lam <= 0:
        raise ValueError("lam must be positive")
    k = np.asarray(k)
    return float(np.sum(k * np.log(lam) - lam))
