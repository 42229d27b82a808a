"""Fault: normal_mle ignores SIGINT and loops forever; only a restart stops it. The rest is right."""

import signal

BASE = "../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        pass
