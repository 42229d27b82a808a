"""Hana: differentiates the loss instead of the log-likelihood, so her score has the wrong sign."""

import numpy as np

BASE = "ada_correct"


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    # gradient of the negative log-likelihood (the loss)
    return np.array([-np.sum(x - mu) / sigma**2, x.size / sigma - np.sum((x - mu) ** 2) / sigma**3])


ANSWER = """sigma_hat^2 uses x-bar, fitted to the data, so it is too small by a factor (n-1)/n on average.
For large n that factor is essentially 1."""
