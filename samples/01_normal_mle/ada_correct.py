"""Ada: everything right, vectorised NumPy, with a thoughtful written answer."""

import numpy as np


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    n = len(x)
    return float(-n * np.log(sigma) - 0.5 * n * np.log(2 * np.pi) - np.sum((x - mu) ** 2) / (2 * sigma**2))


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    residuals = x - mu
    return np.array([residuals.sum() / sigma**2, -len(x) / sigma + (residuals**2).sum() / sigma**3])


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std())


def simulate_sigma2_hat(n, mu, sigma, n_reps, rng):
    if n < 1 or n_reps < 1:
        raise ValueError("n and n_reps must be at least 1")
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return rng.normal(mu, sigma, size=(n_reps, n)).var(axis=1)


ANSWER = """The MLE measures the spread around the sample mean, which was fitted to the same data, so the
squared deviations are a bit too small on average: E[sigma_hat^2] = (n-1)/n sigma^2. The bias is
-sigma^2/n, which vanishes as n grows, so for large samples it does not matter."""
