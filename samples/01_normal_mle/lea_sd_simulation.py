"""Lea: her simulation returns the standard deviations sigma_hat instead of the variances."""

import numpy as np

BASE = "ada_correct"


def simulate_sigma2_hat(n, mu, sigma, n_reps, rng):
    if n < 1 or n_reps < 1 or sigma <= 0:
        raise ValueError("need n >= 1, n_reps >= 1 and sigma > 0")
    return np.array([np.std(rng.normal(mu, sigma, n)) for _ in range(n_reps)])


ANSWER = """Because the sample mean is used. For large n the difference between n and n-1 is small."""
