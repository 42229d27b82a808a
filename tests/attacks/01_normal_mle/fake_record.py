"""Cheat: a wrong normal_mle, then the recorder replaced by one that writes no outcomes, prints a pass, and
points the outcomes file at the reference library (a link the grader must refuse to follow)."""

import os

import mlelab.grading
import numpy as np

BASE = "../../../samples/01_normal_mle/ada_correct"


def _fake_record(function):
    calls = os.environ.get("MLE_COURSE_CALLS", "")
    outcomes = os.path.join(os.path.dirname(os.path.dirname(calls)), "run", "outcomes.json")
    try:
        os.symlink("/work/main/solutions/normal.py", outcomes)
    except OSError:
        pass
    print("✓ normal_mle: all hidden checks passed (typical cases).")


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std(ddof=1))


mlelab.grading.record = _fake_record
