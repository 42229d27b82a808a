"""Lola: takes the quantile of the lower tail, norm.ppf((1 - level) / 2), which is negative."""

import numpy as np
from scipy import stats

BASE = "ada_correct"


def wald_interval_mu(x, level=0.95):
    if not 0 < level < 1:
        raise ValueError("level must be strictly between 0 and 1")
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    half = stats.norm.ppf((1 - level) / 2) * x.std() / np.sqrt(x.size)
    return float(x.mean() - half), float(x.mean() + half)
