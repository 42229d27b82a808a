"""Cara: returns the binary cross-entropy (the negative log-likelihood) she knows from classifiers."""

import numpy as np

BASE = "ada_correct"


def bernoulli_log_likelihood(x, p):
    from scipy.special import xlogy

    if not 0 <= p <= 1:
        raise ValueError("p must be between 0 and 1")
    x = np.asarray(x)
    return float(-np.sum(xlogy(x, p) + xlogy(1 - x, 1 - p)))
