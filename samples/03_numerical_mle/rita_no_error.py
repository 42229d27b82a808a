"""Rita: returns whatever theta she has after max_iter steps."""

import numpy as np

BASE = "ada_correct"


def newton_raphson(score, hessian, theta0, tol=1e-10, max_iter=100):
    theta = np.array(theta0, dtype=float)
    for _ in range(max_iter):
        step = np.linalg.solve(np.atleast_2d(hessian(theta)), score(theta))
        theta = theta - step
        if np.linalg.norm(step) < tol:
            break
    return theta
