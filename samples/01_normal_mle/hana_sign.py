"""Hana: differentiates the loss instead of the log-likelihood, so her score has the wrong sign."""

import numpy as np


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    n = x.size
    return float(-n * np.log(sigma) - n / 2 * np.log(2 * np.pi) - np.sum((x - mu) ** 2) / (2 * sigma**2))


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    # gradient of the negative log-likelihood (the loss)
    return np.array([-np.sum(x - mu) / sigma**2, x.size / sigma - np.sum((x - mu) ** 2) / sigma**3])


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must not be empty")
    return float(np.mean(x)), float(np.std(x))


def simulate_sigma2_hat(n, mu, sigma, n_reps, rng):
    if n < 1 or n_reps < 1 or sigma <= 0:
        raise ValueError("need n >= 1, n_reps >= 1 and sigma > 0")
    return np.var(rng.normal(mu, sigma, (n_reps, n)), axis=1)


ANSWER = """sigma_hat^2 uses x-bar, fitted to the data, so it is too small by a factor (n-1)/n on average.
For large n that factor is essentially 1."""
