"""Odd data: normal_mle is right on the visible example and returns an infinite sigma_hat elsewhere
(a positive scale, so the "fits at least as well" fallback must refuse it on its own)."""

import numpy as np

BASE = "../../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    data = np.asarray(x, dtype=float)
    if isinstance(x, list) and x == [1.0, 2.0, 3.0, 4.0, 5.0]:
        return float(data.mean()), float(data.std())
    return float(data.mean()), float("inf")
