"""Max: returns the negative log-likelihood (the loss he will minimise) where the log-likelihood is asked."""

import numpy as np

BASE = "ada_correct"


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    n = x.size
    return float(n * np.log(sigma) + n / 2 * np.log(2 * np.pi) + np.sum((x - mu) ** 2) / (2 * sigma**2))


ANSWER = """The sample mean is fitted to the data, so the MLE variance is (n-1)/n times too small on average."""
