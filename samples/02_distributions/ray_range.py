"""Ray: estimates the width of the uniform by the range of the data."""

import numpy as np

BASE = "ada_correct"


def uniform_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return float(max(x) - min(x))
