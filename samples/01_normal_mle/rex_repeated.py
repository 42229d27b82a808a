"""Rex: draws one sample and repeats its variance n_reps times."""

import numpy as np

BASE = "ada_correct"


def simulate_sigma2_hat(n, mu, sigma, n_reps, rng):
    if n < 1 or sigma <= 0 or n_reps < 1:
        raise ValueError(f"need n >= 1, sigma > 0, n_reps >= 1, got n={n}, sigma={sigma}, n_reps={n_reps}")
    sample = rng.normal(mu, sigma, n)
    return np.full(n_reps, sample.var())
