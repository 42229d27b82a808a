"""Attack: simulate_sigma2_hat starts 200 processes that spin for 150 s, then spins itself. Without a CPU limit
per sandbox, this slowed a 7-learner batch from 19 s to 141 s (issue 11). It costs simulate_sigma2_hat (its
cells time out); the earlier functions are right."""

import os
import time

BASE = "../../../../samples/01_normal_mle/ada_correct"


def simulate_sigma2_hat(n, mu, sigma, n_reps, rng):
    for _ in range(200):
        try:
            child = os.fork()
        except OSError:
            break
        if child == 0:
            end = time.monotonic() + 150
            while time.monotonic() < end:
                pass
            os._exit(0)
    while True:
        pass
