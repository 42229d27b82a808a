"""Tara: measures each sample's spread about the true mu she was given, not about its own mean."""

import numpy as np

BASE = "ada_correct"


def simulate_sigma2_hat(n, mu, sigma, n_reps, rng):
    if n < 1 or n_reps < 1:
        raise ValueError("n and n_reps must be at least 1")
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    variances = np.empty(n_reps)
    for i in range(n_reps):
        sample = rng.normal(mu, sigma, n)
        variances[i] = np.mean((sample - mu) ** 2)
    return variances
