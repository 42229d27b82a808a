"""Fault: outputs that escape a count of printed text, each in a cell of Ada's right answers: 300 displays
sharing one display id, all replaced by one update of 3 MB (900 MB once written), data that is not text
(application/json) and output metadata, and exception messages of 20 MB with long tracebacks, which
the grader would quote in its verdict. normal_mle's test cells stop with such an exception (the recorder
itself is made to raise it until simulate_sigma2_hat's cell puts it back), so normal_mle scores 0;
everything else keeps its marks."""

import mlelab.grading
import numpy as np
from IPython.display import display, update_display

BASE = "../../../../samples/01_normal_mle/ada_correct"


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    n = len(x)
    return float(-n * np.log(sigma) - 0.5 * n * np.log(2 * np.pi) - np.sum((x - mu) ** 2) / (2 * sigma**2))


for _ in range(300):
    display({"text/plain": "."}, raw=True, display_id="grow")
update_display({"text/plain": "u" * 3_000_000}, raw=True, display_id="grow")


def normal_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    residuals = x - mu
    return np.array([residuals.sum() / sigma**2, -len(x) / sigma + (residuals**2).sum() / sigma**3])


for _ in range(8):
    display({"application/json": {"values": list(range(300_000))}}, raw=True)
    display({"text/plain": "m"}, metadata={"padding": "m" * 2_000_000}, raw=True)


def _huge_failure(function, calls):
    raise RuntimeError("boom " * 4_000_000)


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std())


_call_each, mlelab.grading.call_each = mlelab.grading.call_each, _huge_failure


def simulate_sigma2_hat(n, mu, sigma, n_reps, rng):
    if n < 1 or n_reps < 1:
        raise ValueError("n and n_reps must be at least 1")
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    return rng.normal(mu, sigma, size=(n_reps, n)).var(axis=1)


mlelab.grading.call_each = _call_each
