"""Tove: stacks the iterates as columns, so her history is transposed."""

import numpy as np

BASE = "ada_correct"


def gradient_ascent(score, theta0, learning_rate, n_steps):
    if learning_rate <= 0:
        raise ValueError("learning_rate must be positive")
    if n_steps < 0:
        raise ValueError("n_steps must be non-negative")
    theta = np.array(theta0, dtype=float)
    history = [theta.copy()]
    for _ in range(n_steps):
        theta = theta + learning_rate * np.asarray(score(theta))
        history.append(theta.copy())
    return theta, np.column_stack(history)
