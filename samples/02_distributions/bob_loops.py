"""Bob: everything right, with plain Python loops and the math module."""

import math


def bernoulli_log_likelihood(x, p):
    if p < 0 or p > 1:
        raise ValueError(f"p={p} is not a probability")
    total = 0.0
    for xi in x:
        q = p if xi == 1 else 1 - p
        if q == 0:
            return -math.inf
        total += math.log(q)
    return total


def bernoulli_mle(x):
    if len(x) == 0:
        raise ValueError("cannot estimate p from empty x")
    return sum(x) / len(x)


def poisson_log_likelihood(k, lam):
    if lam <= 0:
        raise ValueError("lam must be > 0")
    return sum(ki * math.log(lam) - lam - math.lgamma(ki + 1) for ki in k)


def poisson_mle(k):
    if len(k) == 0:
        raise ValueError("k is empty")
    return sum(k) / len(k)


def exponential_log_likelihood(x, rate):
    if rate <= 0:
        raise ValueError("rate must be > 0")
    total = 0.0
    for xi in x:
        if xi < 0:
            return -math.inf
        total += math.log(rate) - rate * xi
    return total


def exponential_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return len(x) / sum(x)


def uniform_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return float(max(x))


def laplace_mle(x):
    values = sorted(x)
    n = len(values)
    if n == 0:
        raise ValueError("x is empty")
    median = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2
    return float(median), sum(abs(v - median) for v in values) / n


def categorical_mle(x, n_categories):
    import numpy as np

    if n_categories < 1:
        raise ValueError("n_categories must be >= 1")
    if len(x) == 0:
        raise ValueError("x is empty")
    counts = [0] * n_categories
    for label in x:
        if not 0 <= label < n_categories:
            raise ValueError(f"label {label} in x is out of range")
        counts[label] += 1
    return np.array([c / len(x) for c in counts])
