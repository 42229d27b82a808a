"""Jo: a score that indexes past the end of its array, and a stray line after normal_mle that raises.

The stray line makes the normal_mle cell fail, but the function is defined before it runs, so
normal_mle still earns its marks: only normal_score is lost.
"""

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
    d_mu = 0.0
    for i in range(len(x) + 1):  # off by one
        d_mu += (x[i] - mu) / sigma**2
    return np.array([d_mu, -len(x) / sigma + np.sum((x - mu) ** 2) / sigma**3])


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must not be empty")
    return float(np.mean(x)), float(np.std(x))


print(f"my estimate: {normal_mle(tempo)}")  # typo: tempo, not tempos: the cell raises NameError here


def simulate_sigma2_hat(n, mu, sigma, n_reps, rng):
    if n < 1 or n_reps < 1 or sigma <= 0:
        raise ValueError("need n >= 1, n_reps >= 1 and sigma > 0")
    return np.var(rng.normal(mu, sigma, (n_reps, n)), axis=1)
