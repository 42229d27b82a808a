"""Fred: forgets the 3 in the second derivative, so his sigma entry lacks the factor 2."""

import numpy as np
from scipy import special, stats

BASE = "ada_correct"


def normal_fisher_information(sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return np.eye(2) / sigma**2
