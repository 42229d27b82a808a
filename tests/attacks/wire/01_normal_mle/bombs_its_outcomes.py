"""Cheat: the recorder replaced, for normal_mle only, by one that writes a million opening brackets where
the outcomes belong (a JSON parser without a depth limit recurses a million deep)."""

import json
import os

import mlelab.grading
import numpy as np

BASE = "../../../../samples/01_normal_mle/ada_correct"


def _bomb(function):
    if getattr(function, "__name__", "") != "normal_mle":
        return _record(function)
    with open(os.environ["MLE_COURSE_CALLS"]) as handle:
        outcomes = json.load(handle)["outcomes"]
    with open(outcomes, "w") as handle:
        handle.write("[" * 1_000_000)


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std())


_record = mlelab.grading.record
mlelab.grading.record = _bomb
