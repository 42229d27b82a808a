"""Fault: the normal_mle cell defines a right normal_mle, then prints 100 MB, a megabyte a line (25 times the cap).

A fixed volume rather than a time: how fast the grader drains a flood depends on the machine's load, and the
cell must end well within its 8 seconds for the test to be about the output cap, not about time.
"""

import numpy as np

BASE = "../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std())


for _ in range(100):
    print("x" * 1_000_000)
