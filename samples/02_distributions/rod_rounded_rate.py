"""Rod: rounds the mean count to a whole number of events."""

import numpy as np

BASE = "ada_correct"


def poisson_mle(k):
    if len(k) == 0:
        raise ValueError("k is empty")
    return float(round(np.mean(k)))
