"""Pat: combines the constants into -(n/2) log(2 pi sigma), forgetting that sigma is squared there."""

import numpy as np

BASE = "ada_correct"


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    n = len(x)
    return float(-n / 2 * np.log(2 * np.pi * sigma) - np.sum((x - mu) ** 2) / (2 * sigma**2))
