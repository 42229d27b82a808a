"""Nell: returns the negative log-likelihood of the gamma."""

import numpy as np
from scipy import special, stats

BASE = "ada_correct"


def gamma_log_likelihood(x, shape, rate):
    if shape <= 0 or rate <= 0:
        raise ValueError(f"shape and rate must be positive, got shape={shape}, rate={rate}")
    return -float(np.sum(stats.gamma.logpdf(x, shape, scale=1 / rate)))
