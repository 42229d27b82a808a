"""Fault: normal_mle allocates memory until something stops it; the rest is right."""

BASE = "../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    hoard = []
    while True:
        hoard.append(bytearray(256 * 1024 * 1024))
