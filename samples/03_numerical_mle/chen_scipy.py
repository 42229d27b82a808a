"""Chen: everything right, leaning on scipy: optimize.root for Newton, stats.gamma.fit for the gamma MLE."""

import numpy as np
from scipy import optimize, stats


def gradient_ascent(score, theta0, learning_rate, n_steps):
    if learning_rate <= 0 or n_steps < 0:
        raise ValueError(f"need learning_rate > 0 and n_steps >= 0, got learning_rate={learning_rate}, n_steps={n_steps}")
    thetas = [np.atleast_1d(np.asarray(theta0, dtype=float)).copy()]
    for _ in range(n_steps):
        thetas.append(thetas[-1] + learning_rate * np.atleast_1d(score(thetas[-1])))
    return thetas[-1], np.vstack(thetas)


def newton_raphson(score, hessian, theta0, tol=1e-10, max_iter=100):
    result = optimize.root(score, np.atleast_1d(np.asarray(theta0, dtype=float)), jac=hessian, method="hybr",
                           tol=tol, options={"maxfev": max_iter})
    if not result.success:
        raise RuntimeError(result.message)
    return result.x


def gamma_log_likelihood(x, shape, rate):
    if shape <= 0:
        raise ValueError("shape must be positive")
    if rate <= 0:
        raise ValueError("rate must be positive")
    return float(np.sum(stats.gamma.logpdf(x, shape, scale=1 / rate)))


def gamma_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0 or np.any(x <= 0):
        raise ValueError("x must be non-empty and positive")
    shape, _, scale = stats.gamma.fit(x, floc=0)
    return float(shape), float(1 / scale)


def normal_fisher_information(sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return np.diag([1.0, 2.0]) / sigma**2


def wald_interval_mu(x, level=0.95):
    if not 0 < level < 1:
        raise ValueError("level must be in (0, 1)")
    if len(x) == 0:
        raise ValueError("x is empty")
    mu, sigma = stats.norm.fit(x)
    z = stats.norm.ppf(0.5 + level / 2)
    return mu - z * sigma / np.sqrt(len(x)), mu + z * sigma / np.sqrt(len(x))
