"""Gus: drops the -(n/2) log(2 pi) constant ("it does not change the argmax")."""

import numpy as np


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    return float(-x.size * np.log(sigma) - np.sum((x - mu) ** 2) / (2 * sigma**2))


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    return np.array([np.sum(x - mu) / sigma**2, -x.size / sigma + np.sum((x - mu) ** 2) / sigma**3])


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must not be empty")
    return float(np.mean(x)), float(np.sqrt(np.mean((x - np.mean(x)) ** 2)))


def simulate_sigma2_hat(n, mu, sigma, n_reps, rng):
    if n < 1 or n_reps < 1 or sigma <= 0:
        raise ValueError("need n >= 1, n_reps >= 1 and sigma > 0")
    return np.var(rng.normal(mu, sigma, (n_reps, n)), axis=1)


ANSWER = """The MLE plugs in the sample mean, so it underestimates sigma^2 by sigma^2/n. This goes to 0."""
