"""Markup that a naive grader takes super-linear time to make safe, from the kernel: Ada's right answers,
and the normal_mle cell displays 160 KB of unclosed comments as markdown (56 s of a worker once), 100 KB
of nested elements as HTML, and prints 300 000 ANSI colour escapes. The test makes its written answer
320 KB of unclosed comments (141 s once) and adds a cell with a 60 KB line that the IPython lexer rescanned
from every position (tests/attacks/html/slow_markup.py has one family per trick)."""

import numpy as np
from IPython.display import HTML, Markdown, display

BASE = "../../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std())


display(Markdown("<!--" * 40_000))
display(HTML("<div>" * 20_000))
print("\x1b[31m" * 300_000)
