"""Cheat and fault: the recorder replaced, for every test cell, by one that puts something other than a
file of outcomes where the grader reads them: a folder, a socket, a sparse file of 200 MB, JSON nested a
million levels deep, a folder full of files, a link to a folder, a file that is not JSON, outcomes of the
wrong shape. Each test cell must score 0 with a message; the notebook must still be graded."""

import json
import os
import socket

import mlelab.grading
import numpy as np

BASE = "../../../../samples/01_normal_mle/ada_correct"

_planted = []
_sockets = []


def _outcomes_path():
    with open(os.environ["MLE_COURSE_CALLS"]) as handle:
        return json.load(handle)["outcomes"]


def _plant(function):
    path = _outcomes_path()
    kind = len(_planted) % 8
    _planted.append(kind)
    if kind == 0:
        os.mkdir(path)
    elif kind == 1:
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(path)
        _sockets.append(listener)
    elif kind == 2:
        with open(path, "wb") as handle:
            handle.truncate(200 * 1024 * 1024)
    elif kind == 3:
        with open(path, "w") as handle:
            handle.write("[" * 1_000_000 + "]" * 1_000_000)
    elif kind == 4:
        os.makedirs(os.path.join(path, "a", "b"))
        for index in range(100):
            open(os.path.join(path, "a", f"{index}.json"), "w").close()
    elif kind == 5:
        os.symlink("/tmp", path)
    elif kind == 6:
        with open(path, "w") as handle:
            handle.write('{"not": "outcomes"')
    else:
        with open(path, "w") as handle:
            json.dump({"value": [1e308] * 10, "nested": {"a": [[[]]]}}, handle)
    print("✓ all hidden checks passed.")


def normal_log_likelihood(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    x = np.asarray(x, dtype=float)
    n = len(x)
    return float(-n * np.log(sigma) - 0.5 * n * np.log(2 * np.pi) - np.sum((x - mu) ** 2) / (2 * sigma**2))


mlelab.grading.record = _plant
