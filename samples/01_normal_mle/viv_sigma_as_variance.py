"""Viv: reads sigma as the variance, so log sigma is halved and the squares are divided by 2 sigma."""

import numpy as np

BASE = "ada_correct"


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    n = len(x)
    variance = sigma  # the density's 1/sqrt(2 pi sigma^2) read with sigma^2 = sigma
    return float(-n / 2 * np.log(2 * np.pi * variance) - np.sum((x - mu) ** 2) / (2 * variance))
