"""Odd data: normal_log_likelihood is right on the visible example and returns the integer 10**400
(beyond float range: comparing it raised OverflowError) on every other call."""

import numpy as np

BASE = "../../../../samples/01_normal_mle/ada_correct"


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    if list(x) == [1.0, 2.0, 3.0] and mu == 2.0 and sigma == 1.0:
        return float(-1.5 * np.log(2 * np.pi) - 1.0)
    return 10**400
