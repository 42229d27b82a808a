"""Tim: divides the squared deviations by sigma^2, forgetting the 2."""

import numpy as np

BASE = "ada_correct"


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    n = len(x)
    return float(-n * np.log(sigma) - n / 2 * np.log(2 * np.pi) - np.sum((x - mu) ** 2) / sigma**2)
