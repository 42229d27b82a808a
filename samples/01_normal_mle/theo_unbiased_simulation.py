"""Theo: simulates the unbiased variance (ddof=1), so his experiment shows no bias."""

import numpy as np

BASE = "ada_correct"


def simulate_sigma2_hat(n, mu, sigma, n_reps, rng):
    if n < 1 or n_reps < 1 or sigma <= 0:
        raise ValueError("need n >= 1, n_reps >= 1 and sigma > 0")
    return np.var(rng.normal(mu, sigma, (n_reps, n)), axis=1, ddof=1)
