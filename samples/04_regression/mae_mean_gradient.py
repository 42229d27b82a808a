"""Mae: divides the gradient by n."""

import numpy as np
from scipy.special import expit

BASE = "ada_correct"


def logistic_gradient(w, X, y):
    X = np.asarray(X, dtype=float)
    return X.T @ (expit(X @ np.asarray(w, dtype=float)) - np.asarray(y)) / len(y)
