"""Moe: matches the gamma mean and variance (the method of moments)."""

import numpy as np
from scipy import special, stats

BASE = "ada_correct"


def gamma_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0 or (x <= 0).any():
        raise ValueError("x must be non-empty and positive")
    mean, variance = x.mean(), x.var()
    return float(mean**2 / variance), float(mean / variance)
