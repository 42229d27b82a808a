"""Una: divides by n - 1 to be unbiased, as for variances."""

import numpy as np

BASE = "ada_correct"


def poisson_mle(k):
    if len(k) == 0:
        raise ValueError("k is empty")
    return sum(k) / (len(k) - 1) if len(k) > 1 else float(k[0])
