"""Fault: the normal_mle cell ends by killing the kernel. Everything before it is replayed on a new kernel;
normal_mle itself was defined in the dead kernel only, so it earns nothing; simulate_sigma2_hat still counts."""

import os

import numpy as np

BASE = "../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    return float(x.mean()), float(x.std())


os._exit(1)
