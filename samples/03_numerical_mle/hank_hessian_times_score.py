"""Hank: multiplies the score by the Hessian instead of solving with it."""

import numpy as np

BASE = "ada_correct"


def newton_raphson(score, hessian, theta0, tol=1e-10, max_iter=100):
    theta = np.array(theta0, dtype=float)
    for _ in range(max_iter):
        step = np.atleast_2d(hessian(theta)) @ np.asarray(score(theta), dtype=float)
        theta = theta - step
        if np.linalg.norm(step) < tol:
            return theta
    raise RuntimeError("no convergence within max_iter steps")
