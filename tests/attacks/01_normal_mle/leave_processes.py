"""Fault: the normal_mle cell starts a forked child, a detached session and a double-forked daemon, all
meant to outlive grading (each runs `sleep 987654`), and a bounded fork bomb; normal_mle itself is right."""

import os
import subprocess

import numpy as np

BASE = "../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std())


subprocess.Popen(["sleep", "987654"], start_new_session=True)
if os.fork() == 0:
    os.execvp("sleep", ["sleep", "987654"])
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", "987654"])
    os._exit(0)
children = []
try:
    for _ in range(5000):
        pid = os.fork()
        if pid == 0:
            os.execvp("sleep", ["sleep", "987654"])
        children.append(pid)
except OSError:
    pass
