"""Odd data: normal_mle is right on the visible example and returns int8 estimates elsewhere, which
wrap around past 127 (the edge case around 10 000)."""

import numpy as np

BASE = "../../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    data = np.asarray(x, dtype=float)
    if isinstance(x, list) and x == [1.0, 2.0, 3.0, 4.0, 5.0]:
        return float(data.mean()), float(data.std())
    return np.array(data.mean()).astype(np.int8)[()], np.array(data.std()).astype(np.int8)[()]
