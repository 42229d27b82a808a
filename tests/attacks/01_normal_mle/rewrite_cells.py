"""Cheat: a wrong normal_mle, then an input transformer that turns every later cell into `2.0`.

A test cell that only shows the number 2.0 would earn 2 points of partial credit in stock nbgrader.
Every later cell is rewritten too, so simulate_sigma2_hat is never defined: it earns nothing.
"""

import numpy as np
from IPython import get_ipython

BASE = "../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std(ddof=1))


get_ipython().input_transformers_post.append(lambda lines: ["2.0\n"])
