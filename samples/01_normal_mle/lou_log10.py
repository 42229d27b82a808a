"""Lou: takes logarithms base 10, as on her calculator's log key."""

import math

BASE = "ada_correct"


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    total = 0.0
    for value in x:
        total += -math.log10(sigma) - 0.5 * math.log10(2 * math.pi) - (value - mu) ** 2 / (2 * sigma**2)
    return total
