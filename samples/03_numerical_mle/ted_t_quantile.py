"""Ted: takes the quantile from Student's t."""

import numpy as np
from scipy import stats

BASE = "ada_correct"


def wald_interval_mu(x, level=0.95):
    if not 0 < level < 1:
        raise ValueError("level must be in (0, 1)")
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    t = stats.t.ppf((1 + level) / 2, max(x.size - 1, 1))
    half = t * x.std() / np.sqrt(x.size)
    return float(x.mean() - half), float(x.mean() + half)
