"""Bo: writes the binomial likelihood of the count, coefficient included."""

from math import comb

import numpy as np
from scipy.special import xlogy

BASE = "ada_correct"


def bernoulli_log_likelihood(x, p):
    if not 0 <= p <= 1:
        raise ValueError("p must be between 0 and 1")
    n, s = len(x), int(sum(x))
    return float(np.log(comb(n, s)) + xlogy(s, p) + xlogy(n - s, 1 - p))
