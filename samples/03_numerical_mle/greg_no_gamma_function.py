"""Greg: drops log Gamma(k), thinking it a constant."""

import numpy as np
from scipy import special, stats

BASE = "ada_correct"


def gamma_log_likelihood(x, shape, rate):
    if shape <= 0 or rate <= 0:
        raise ValueError(f"shape and rate must be positive, got shape={shape}, rate={rate}")
    x = np.asarray(x, dtype=float)
    if (x < 0).any():
        return -np.inf
    return float(len(x) * shape * np.log(rate) + np.sum(special.xlogy(shape - 1, x)) - rate * x.sum())
