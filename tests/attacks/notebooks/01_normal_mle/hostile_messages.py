"""Fault: the kernel's own session sends the grader messages it cannot read: in normal_score's cell, output
content nested 200 000 levels deep (the grader's JSON parser gives up); in normal_mle's cell, content that
is a number, not an object. Each cell fails and its kernel is restarted, so the functions they define are
gone (0 for normal_score and normal_mle); the notebook is graded and the other functions keep their marks."""

import numpy as np
from IPython import get_ipython

BASE = "../../../../samples/01_normal_mle/ada_correct"


def _send_deep():
    kernel = get_ipython().kernel
    deep = b"[" * 200_000 + b"]" * 200_000
    kernel.session.send(kernel.iopub_socket, "display_data", content=deep, parent=kernel.get_parent())


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    residuals = x - mu
    return np.array([residuals.sum() / sigma**2, -len(x) / sigma + (residuals**2).sum() / sigma**3])


_send_deep()


def _send_number():
    kernel = get_ipython().kernel
    kernel.session.send(kernel.iopub_socket, "display_data", content=b"5", parent=kernel.get_parent())


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std())


_send_number()
