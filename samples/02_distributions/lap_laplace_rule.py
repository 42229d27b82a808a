"""Lap: uses Laplace's rule of succession so that p hat is never 0 or 1."""

import numpy as np

BASE = "ada_correct"


def bernoulli_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return (sum(x) + 1) / (len(x) + 2)
