"""Ada: everything right, vectorised NumPy, Newton for the gamma shape from Minka's start."""

import numpy as np
from scipy import special, stats


def gradient_ascent(score, theta0, learning_rate, n_steps):
    if learning_rate <= 0:
        raise ValueError("learning_rate must be positive")
    if n_steps < 0:
        raise ValueError("n_steps must be non-negative")
    theta = np.array(theta0, dtype=float)
    history = np.zeros((n_steps + 1, theta.size))
    history[0] = theta
    for t in range(1, n_steps + 1):
        theta = theta + learning_rate * np.asarray(score(theta))
        history[t] = theta
    return theta, history


def newton_raphson(score, hessian, theta0, tol=1e-10, max_iter=100):
    theta = np.array(theta0, dtype=float)
    for _ in range(max_iter):
        step = np.linalg.solve(np.atleast_2d(hessian(theta)), score(theta))
        theta = theta - step
        if np.linalg.norm(step) < tol:
            return theta
    raise RuntimeError("no convergence within max_iter steps")


def gamma_log_likelihood(x, shape, rate):
    if shape <= 0 or rate <= 0:
        raise ValueError(f"shape and rate must be positive, got shape={shape}, rate={rate}")
    x = np.asarray(x, dtype=float)
    if (x < 0).any():
        return -np.inf
    n = len(x)
    return float(n * shape * np.log(rate) - n * special.gammaln(shape) + np.sum(special.xlogy(shape - 1, x)) - rate * x.sum())


def gamma_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0 or (x <= 0).any():
        raise ValueError("x must be non-empty and positive")
    s = np.log(x.mean()) - np.log(x).mean()
    k = (3 - s + np.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s)
    for _ in range(50):
        k_new = k - (np.log(k) - special.digamma(k) - s) / (1 / k - special.polygamma(1, k))
        if abs(k_new - k) < 1e-14 * k:
            break
        k = k_new
    return float(k), float(k / x.mean())


def normal_fisher_information(sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return np.array([[1 / sigma**2, 0.0], [0.0, 2 / sigma**2]])


def wald_interval_mu(x, level=0.95):
    if not 0 < level < 1:
        raise ValueError("level must be strictly between 0 and 1")
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    z = stats.norm.ppf((1 + level) / 2)
    half = z * x.std() / np.sqrt(x.size)
    return float(x.mean() - half), float(x.mean() + half)
