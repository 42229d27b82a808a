"""Uma: everything right, in her own style (explicit sums over centred data, checks up front).

Vic copies her work with new names and lines moved about: `course similarity` must rank that pair first.
"""

import math

import numpy as np


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError(f"sigma must be positive, got {sigma}")
    data = np.asarray(x, dtype=float)
    count = data.size
    centred = data - mu
    squares = np.dot(centred, centred)
    log_norm = count * math.log(sigma) + 0.5 * count * math.log(2 * math.pi)
    return float(-log_norm - squares / (2 * sigma * sigma))


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError(f"sigma must be positive, got {sigma}")
    data = np.asarray(x, dtype=float)
    count = data.size
    centred = data - mu
    grad_mu = centred.sum() / (sigma * sigma)
    grad_sigma = -count / sigma + np.dot(centred, centred) / (sigma * sigma * sigma)
    return np.array([grad_mu, grad_sigma], dtype=float)


def normal_mle(x):
    data = np.asarray(x, dtype=float)
    if data.size == 0:
        raise ValueError("x must hold at least one value")
    centre = data.sum() / data.size
    spread = math.sqrt(np.dot(data - centre, data - centre) / data.size)
    return float(centre), float(spread)


def simulate_sigma2_hat(n, mu, sigma, n_reps, rng):
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if n_reps < 1:
        raise ValueError(f"n_reps must be at least 1, got {n_reps}")
    if sigma <= 0:
        raise ValueError(f"sigma must be positive, got {sigma}")
    draws = rng.normal(loc=mu, scale=sigma, size=(n_reps, n))
    centred = draws - draws.mean(axis=1, keepdims=True)
    return (centred * centred).sum(axis=1) / n


ANSWER = """The MLE measures spread around x-bar, which is fitted to the sample itself, so on average it
falls short of sigma^2 by a factor (n-1)/n. As n grows that factor goes to 1, so the bias vanishes."""
