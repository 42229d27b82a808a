"""Vic: Uma's work, copied, with every variable renamed, functions and independent lines reordered.

Full marks, like Uma's: `course similarity` must still rank the pair (uma_original, vic_copied) first.
"""

import math

import numpy as np


def normal_mle(x):
    values = np.asarray(x, dtype=float)
    if values.size == 0:
        raise ValueError("x must hold at least one value")
    middle = values.sum() / values.size
    width = math.sqrt(np.dot(values - middle, values - middle) / values.size)
    return float(middle), float(width)


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError(f"sigma must be positive, got {sigma}")
    values = np.asarray(x, dtype=float)
    diffs = values - mu
    size = values.size
    log_norm = size * math.log(sigma) + 0.5 * size * math.log(2 * math.pi)
    total_sq = np.dot(diffs, diffs)
    return float(-log_norm - total_sq / (2 * sigma * sigma))


def simulate_sigma2_hat(n, mu, sigma, n_reps, rng):
    if sigma <= 0:
        raise ValueError(f"sigma must be positive, got {sigma}")
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if n_reps < 1:
        raise ValueError(f"n_reps must be at least 1, got {n_reps}")
    samples = rng.normal(loc=mu, scale=sigma, size=(n_reps, n))
    devs = samples - samples.mean(axis=1, keepdims=True)
    return (devs * devs).sum(axis=1) / n


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError(f"sigma must be positive, got {sigma}")
    values = np.asarray(x, dtype=float)
    diffs = values - mu
    size = values.size
    d_sigma = -size / sigma + np.dot(diffs, diffs) / (sigma * sigma * sigma)
    d_mu = diffs.sum() / (sigma * sigma)
    return np.array([d_mu, d_sigma], dtype=float)


ANSWER = """x-bar is fitted to the same sample, so the MLE of the spread around it falls short of sigma^2
on average by a factor (n-1)/n. That factor goes to 1 as n grows, so the bias vanishes for large n."""
