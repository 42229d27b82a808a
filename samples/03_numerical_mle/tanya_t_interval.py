"""Tanya: the textbook t interval, Student's t quantile with the n - 1 standard deviation."""

import numpy as np
from scipy import stats

BASE = "ada_correct"


def wald_interval_mu(x, level=0.95):
    if not 0 < level < 1:
        raise ValueError("level must be strictly between 0 and 1")
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    if x.size == 1:
        return float(x[0]), float(x[0])
    half = stats.t.ppf((1 + level) / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size)
    return float(x.mean() - half), float(x.mean() + half)
