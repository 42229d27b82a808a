"""Not plain data: normal_mle returns a Formula, source text the learner package's decoder would rebuild in
the grader as a function that runs it when called (here: it would leave a file on the grading machine)."""

from mlelab.grading import Formula

BASE = "../../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return Formula("lambda *args: open('/tmp/mle-wire-formula-ran', 'w')")
