"""Flo: divides with //."""

BASE = "ada_correct"


def poisson_mle(k):
    k = list(k)
    if len(k) == 0:
        raise ValueError("k must not be empty")
    return float(sum(k) // len(k))
