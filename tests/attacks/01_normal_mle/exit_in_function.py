"""Fault: normal_mle kills its own kernel (os._exit) when the grader calls it; the rest is right."""

import os

BASE = "../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    os._exit(3)
