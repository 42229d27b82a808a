"""Eli: returns the variance where normal_mle asks for the standard deviation."""

import numpy as np


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    n = x.size
    return float(-n * np.log(sigma) - n / 2 * np.log(2 * np.pi) - ((x - mu) @ (x - mu)) / (2 * sigma**2))


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    return np.array([(x - mu).sum() / sigma**2, -x.size / sigma + ((x - mu) ** 2).sum() / sigma**3])


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must not be empty")
    mu_hat = x.mean()
    return float(mu_hat), float(np.mean((x - mu_hat) ** 2))


def simulate_sigma2_hat(n, mu, sigma, n_reps, rng):
    if n < 1 or n_reps < 1 or sigma <= 0:
        raise ValueError("need n >= 1, n_reps >= 1 and sigma > 0")
    return rng.normal(mu, sigma, (n_reps, n)).var(axis=1)


ANSWER = """We estimate the mean from the same data, so the spread looks smaller than it is. The factor
(n-1)/n is almost 1 for large n."""
