"""Chen: everything right, leaning on scipy.stats and numpy's statistics functions."""

import numpy as np
from scipy import stats


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return float(np.sum(stats.norm.logpdf(x, loc=mu, scale=sigma)))


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    z = (np.asarray(x) - mu) / sigma
    return np.array([np.sum(z) / sigma, np.sum(z**2 - 1) / sigma])


def normal_mle(x):
    if len(x) == 0:
        raise ValueError("x must not be empty")
    mu, sigma = stats.norm.fit(x)
    return float(mu), float(sigma)


def simulate_sigma2_hat(n, mu, sigma, n_reps, rng):
    if n < 1 or sigma <= 0 or n_reps < 1:
        raise ValueError(f"invalid n={n}, sigma={sigma} or n_reps={n_reps}")
    samples = stats.norm.rvs(loc=mu, scale=sigma, size=(n_reps, n), random_state=rng)
    return np.var(samples, axis=1, ddof=0)


ANSWER = """x-bar is closer to the data than mu is, so the MLE underestimates the variance by a factor
(n-1)/n. That factor tends to 1 and the bias (sigma^2/n) is much smaller than the sampling noise."""
