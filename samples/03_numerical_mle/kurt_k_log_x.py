"""Kurt: writes k log x where the density has (k - 1) log x."""

import numpy as np
from scipy import special

BASE = "ada_correct"


def gamma_log_likelihood(x, shape, rate):
    if shape <= 0 or rate <= 0:
        raise ValueError(f"shape and rate must be positive, got shape={shape}, rate={rate}")
    x = np.asarray(x, dtype=float)
    if (x < 0).any():
        return -np.inf
    n = len(x)
    return float(
        n * shape * np.log(rate) - n * special.gammaln(shape) + np.sum(special.xlogy(shape, x)) - rate * x.sum()
    )
