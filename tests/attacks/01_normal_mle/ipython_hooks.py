"""Cheat (nbgrader PR #1324 and friends): a wrong normal_mle, then IPython told to swallow every error."""

import numpy as np
from IPython import get_ipython

BASE = "../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std(ddof=1))


shell = get_ipython()
shell.showtraceback = lambda *args, **kwargs: None
shell.showsyntaxerror = lambda *args, **kwargs: None
shell.set_custom_exc((BaseException,), lambda *args, **kwargs: None)
