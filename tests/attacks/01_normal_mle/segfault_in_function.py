"""Fault: normal_mle crashes the interpreter (a segmentation fault through ctypes); the rest is right."""

import ctypes

BASE = "../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    return ctypes.string_at(0)
