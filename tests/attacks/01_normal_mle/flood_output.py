"""Fault: the normal_mle cell prints a megabyte a line for five seconds before defining a right normal_mle."""

import time

import numpy as np

BASE = "../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std())


start = time.monotonic()
while time.monotonic() - start < 5:
    print("x" * 1_000_000)
