"""Bob: everything right, with lists and loops, and his own start for the gamma Newton iteration."""

import math

import numpy as np
from scipy import special


def gradient_ascent(score, theta0, learning_rate, n_steps):
    if learning_rate <= 0:
        raise ValueError("learning_rate must be > 0")
    if n_steps < 0:
        raise ValueError("n_steps must be >= 0")
    theta = [float(v) for v in np.ravel(theta0)]
    history = [list(theta)]
    for _ in range(n_steps):
        gradient = np.ravel(score(np.array(theta)))
        theta = [t + learning_rate * g for t, g in zip(theta, gradient)]
        history.append(list(theta))
    return np.array(theta), np.array(history)


def newton_raphson(score, hessian, theta0, tol=1e-10, max_iter=100):
    theta = np.ravel(np.array(theta0, dtype=float))
    iterations = 0
    while iterations < max_iter:
        step = np.linalg.inv(np.atleast_2d(hessian(theta))) @ np.ravel(score(theta))
        theta = theta - step
        iterations += 1
        if math.sqrt(sum(s * s for s in step)) < tol:
            return theta
    raise RuntimeError(f"did not converge after {max_iter} iterations")


def gamma_log_likelihood(x, shape, rate):
    if shape <= 0:
        raise ValueError("shape must be > 0")
    if rate <= 0:
        raise ValueError("rate must be > 0")
    total = 0.0
    for xi in x:
        if xi < 0:
            return -math.inf
        log_x = 0.0 if shape == 1 else (math.log(xi) if xi > 0 else -math.inf)
        total += shape * math.log(rate) - math.lgamma(shape) + (shape - 1) * log_x - rate * xi
    return total


def gamma_mle(x):
    if len(x) == 0 or min(x) <= 0:
        raise ValueError("x needs positive values")
    mean = sum(x) / len(x)
    s = math.log(mean) - sum(math.log(v) for v in x) / len(x)
    k = 0.5 / s  # a rougher start than Minka's, but Newton still gets there
    for _ in range(200):
        step = (math.log(k) - special.digamma(k) - s) / (1 / k - special.polygamma(1, k))
        k = max(k - step, k / 10)
        if abs(step) < 1e-13 * k:
            break
    return k, k / mean


def normal_fisher_information(sigma):
    if sigma <= 0:
        raise ValueError("sigma must be > 0")
    return np.array([[1 / sigma**2, 0], [0, 2 / sigma**2]], dtype=float)


def wald_interval_mu(x, level=0.95):
    from statistics import NormalDist

    if level <= 0 or level >= 1:
        raise ValueError("level must be in (0, 1)")
    if len(x) == 0:
        raise ValueError("x is empty")
    n = len(x)
    mean = sum(x) / n
    sigma = math.sqrt(sum((v - mean) ** 2 for v in x) / n)
    z = NormalDist().inv_cdf((1 + level) / 2)
    return mean - z * sigma / math.sqrt(n), mean + z * sigma / math.sqrt(n)
