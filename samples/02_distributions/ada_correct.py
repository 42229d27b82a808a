"""Ada: everything right, vectorised NumPy and scipy.special."""

import numpy as np
from scipy.special import gammaln, xlogy


def bernoulli_log_likelihood(x, p):
    if not 0 <= p <= 1:
        raise ValueError("p must be between 0 and 1")
    x = np.asarray(x)
    s = x.sum()
    return float(xlogy(s, p) + xlogy(len(x) - s, 1 - p))


def bernoulli_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return float(np.mean(x))


def poisson_log_likelihood(k, lam):
    if lam <= 0:
        raise ValueError("lam must be positive")
    k = np.asarray(k)
    return float(np.sum(k * np.log(lam) - lam - gammaln(k + 1)))


def poisson_mle(k):
    if len(k) == 0:
        raise ValueError("k is empty")
    return float(np.mean(k))


def exponential_log_likelihood(x, rate):
    if rate <= 0:
        raise ValueError("rate must be positive")
    x = np.asarray(x, dtype=float)
    if (x < 0).any():
        return -np.inf
    return float(len(x) * np.log(rate) - rate * x.sum())


def exponential_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return float(1 / np.mean(x))


def uniform_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return float(np.max(x))


def laplace_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    m = np.median(x)
    return float(m), float(np.mean(np.abs(np.asarray(x) - m)))


def categorical_mle(x, n_categories):
    if n_categories < 1:
        raise ValueError("n_categories must be at least 1")
    x = np.asarray(x, dtype=int)
    if x.size == 0 or x.min() < 0 or x.max() >= n_categories:
        raise ValueError("x must hold labels between 0 and n_categories - 1")
    return np.bincount(x, minlength=n_categories) / x.size
