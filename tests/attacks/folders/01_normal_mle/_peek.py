"""Folder attacks share this learner: Ada's right answers, and a normal_mle cell that lists what the kernel's
working folder holds and tries to read, through the links the learner left in the submission folder, a secret
outside it. The grader stages only regular files, so the kernel must see none of the junk and read no secret."""

import os

import numpy as np

BASE = "../../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std())


for _folder, _subfolders, _files in os.walk("."):
    for _name in sorted(_subfolders + _files)[:20]:
        print("SEEN:", repr(os.path.join(_folder, _name)))
    del _subfolders[3:]
for _name in ("salt.txt", "outside/salt.txt", "notes.txt"):
    try:
        with open(_name, "rb") as _handle:
            print("READ:", _name, _handle.read(100))
    except OSError as _error:
        print("READ:", _name, type(_error).__name__)
