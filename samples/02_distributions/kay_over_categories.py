"""Kay: divides the counts by the number of categories instead of the number of labels."""

import numpy as np

BASE = "ada_correct"


def categorical_mle(x, n_categories):
    if n_categories < 1:
        raise ValueError("n_categories must be at least 1")
    x = np.asarray(x, dtype=int)
    if x.size == 0 or x.min() < 0 or x.max() >= n_categories:
        raise ValueError("x must hold labels between 0 and n_categories - 1")
    return np.bincount(x, minlength=n_categories) / n_categories
