"""Chen: everything right, through scipy.stats."""

import numpy as np
from scipy import stats


def bernoulli_log_likelihood(x, p):
    if not 0 <= p <= 1:
        raise ValueError("p must be in [0, 1]")
    return float(np.sum(stats.bernoulli.logpmf(x, p)))


def bernoulli_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return float(np.mean(x))


def poisson_log_likelihood(k, lam):
    if lam <= 0:
        raise ValueError("lam must be positive")
    return float(np.sum(stats.poisson.logpmf(k, lam)))


def poisson_mle(k):
    if len(k) == 0:
        raise ValueError("k is empty")
    return float(np.mean(k))


def exponential_log_likelihood(x, rate):
    if rate <= 0:
        raise ValueError("rate must be positive")
    return float(np.sum(stats.expon.logpdf(x, scale=1 / rate)))


def exponential_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    _, scale = stats.expon.fit(x, floc=0)
    return float(1 / scale)


def uniform_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    _, scale = stats.uniform.fit(x, floc=0)
    return float(scale)


def laplace_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    location, scale = stats.laplace.fit(x)
    return float(location), float(scale)


def categorical_mle(x, n_categories):
    if n_categories < 1:
        raise ValueError("n_categories must be at least 1")
    if len(x) == 0 or min(x) < 0 or max(x) >= n_categories:
        raise ValueError("x must hold labels 0..n_categories-1")
    labels, counts = np.unique(x, return_counts=True)
    proportions = np.zeros(n_categories)
    proportions[labels] = counts / len(x)
    return proportions
