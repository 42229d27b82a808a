"""Odd data: normal_score returns float16, exact on the visible example, imprecise on hidden data and
infinite where a component exceeds float16's range (a sigma far below the data's spread)."""

import numpy as np

BASE = "../../../../samples/01_normal_mle/ada_correct"


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    residuals = x - mu
    score = np.array([residuals.sum() / sigma**2, -len(x) / sigma + (residuals**2).sum() / sigma**3])
    return score.astype(np.float16)
