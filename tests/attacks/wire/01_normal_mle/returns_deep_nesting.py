"""Not plain data: normal_mle returns a list nested 30 deep (the kernel's encoder stops at 20)."""

import functools

BASE = "../../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return functools.reduce(lambda inner, _: [inner], range(30), 1.0)
