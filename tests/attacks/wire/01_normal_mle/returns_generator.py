"""Not plain data: normal_mle returns a numpy Generator (the wire used to rebuild one in the grader)."""

import numpy as np

BASE = "../../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return np.random.default_rng(0)
