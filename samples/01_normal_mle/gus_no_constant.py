"""Gus: drops the -(n/2) log(2 pi) constant ("it does not change the argmax")."""

import numpy as np

BASE = "ada_correct"


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    return float(-x.size * np.log(sigma) - np.sum((x - mu) ** 2) / (2 * sigma**2))


ANSWER = """The MLE plugs in the sample mean, so it underestimates sigma^2 by sigma^2/n. This goes to 0."""
