"""Bob: everything right, written with plain Python loops and the math module."""

import math


def normal_log_likelihood(x, mu, sigma):
    if not sigma > 0:
        raise ValueError(f"sigma must be > 0, got {sigma}")
    total = 0.0
    for value in x:
        total += -math.log(sigma) - 0.5 * math.log(2 * math.pi) - (value - mu) ** 2 / (2 * sigma**2)
    return total


def normal_score(x, mu, sigma):
    import numpy as np

    if not sigma > 0:
        raise ValueError(f"sigma must be > 0, got {sigma}")
    d_mu, d_sigma = 0.0, 0.0
    for value in x:
        d_mu += (value - mu) / sigma**2
        d_sigma += -1 / sigma + (value - mu) ** 2 / sigma**3
    return np.array([d_mu, d_sigma])


def normal_mle(x):
    values = list(x)
    if len(values) == 0:
        raise ValueError("x needs at least one value")
    mean = sum(values) / len(values)
    variance = sum((v - mean) ** 2 for v in values) / len(values)
    return mean, math.sqrt(variance)


def simulate_sigma2_hat(n, mu, sigma, n_reps, rng):
    import numpy as np

    if n < 1:
        raise ValueError("n must be at least 1")
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    if n_reps < 1:
        raise ValueError("n_reps must be at least 1")
    results = []
    for _ in range(n_reps):
        sample = rng.normal(mu, sigma, size=n)
        mean = sample.mean()
        results.append(((sample - mean) ** 2).sum() / n)
    return np.array(results)


ANSWER = """Because we use x-bar instead of the real mu, which makes the deviations smaller. For big n it
hardly changes anything since (n-1)/n goes to 1."""
