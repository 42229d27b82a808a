"""Sage: stops Newton's method as soon as the score is small, before taking the step."""

import numpy as np

BASE = "ada_correct"


def newton_raphson(score, hessian, theta0, tol=1e-10, max_iter=100):
    theta = np.array(theta0, dtype=float)
    for _ in range(max_iter):
        gradient = np.asarray(score(theta), dtype=float)
        if np.linalg.norm(gradient) < tol:
            return theta
        theta = theta - np.linalg.solve(np.atleast_2d(hessian(theta)), gradient)
    raise RuntimeError("no convergence within max_iter steps")
