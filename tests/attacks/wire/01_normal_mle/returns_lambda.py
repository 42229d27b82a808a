"""Not plain data: normal_mle returns a function (it crosses the wire as an opaque stand-in)."""

BASE = "../../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return lambda *args: 0.0
