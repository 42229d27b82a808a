"""Cheat: a wrong normal_mle, then a recorder that leaves a named pipe where the grader reads the outcomes,
hoping the grader blocks on it forever (it must not: it refuses anything but a regular file)."""

import os

import mlelab.grading
import numpy as np

BASE = "../../../samples/01_normal_mle/ada_correct"


def _pipe_record(function):
    calls = os.environ.get("MLE_COURSE_CALLS", "")
    os.mkfifo(os.path.join(os.path.dirname(os.path.dirname(calls)), "run", "outcomes.json"))


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std(ddof=1))


mlelab.grading.record = _pipe_record
