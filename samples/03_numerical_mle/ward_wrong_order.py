"""Ward: returns (rate, shape), the estimates in the wrong order."""

import numpy as np
from scipy import special

BASE = "ada_correct"


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
    return float(k / x.mean()), float(k)
