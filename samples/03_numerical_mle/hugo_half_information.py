"""Hugo: halves the sigma entry instead of doubling it."""

import numpy as np

BASE = "ada_correct"


def normal_fisher_information(sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return np.array([[1 / sigma**2, 0.0], [0.0, 1 / (2 * sigma**2)]])
