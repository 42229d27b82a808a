"""What a feedback page's formulas cost at most: the page budget spent on the slowest TeX, against an honest page.

    python benchmarks/formula_budget.py

latex2mathml's cost grows with a formula, so :mod:`autograder.formulas` converts
at most ``MAX_FORMULA_CHARS`` per formula and ``PAGE_FORMULA_CHARS`` per page.
This prints, in CPU time of this process (what the work costs, not what a busy
machine adds): one formula of each slow family at a quarter of the cap and at
the cap, and a feedback page whose written answer spends the whole budget on
formulas of that family at the cap, beside Ada's honest page. A benchmark, never
a timed test (tests/test_feedback_offline.py asserts a ratio).
"""

import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.formulas import MAX_FORMULA_CHARS, PAGE_FORMULA_CHARS, formula_mathml  # noqa: E402
from tests.attack_class import cells_with  # noqa: E402
from tests.test_attacks_html import feedback_page, honest_notebook  # noqa: E402

#: The slowest families R6 found (/work/redteam/r6/formula_cost.py), each made of k repetitions
FAMILIES: dict[str, Callable[[int], str]] = {
    "power tower": lambda k: "x^{" * k + "x" + "}" * k,
    "nested frac": lambda k: "\\frac{" * k + "x" + "}{y}" * k,
    "matrix cells": lambda k: "\\begin{matrix}" + "a&" * k + "\\end{matrix}",
    "braces": lambda k: "{" * k + "x" + "}" * k,
    "array cols": lambda k: "\\begin{array}{" + "c" * k + "}" + "a&" * k + "\\end{array}",
    "left/right": lambda k: "\\left(" * k + "x" + "\\right)" * k,
}


def longest(make: Callable[[int], str], chars: int) -> str:
    """The longest formula of the family within ``chars`` characters."""
    k = 1
    while len(make(k + 1)) <= chars:
        k += 1
    return make(k)


def cpu(work: Callable[[], object], runs: int = 3) -> float:
    """The least CPU time (s) of ``runs`` runs, the garbage collector paused."""
    times = []
    gc.disable()
    try:
        for _ in range(runs):
            start = time.process_time()
            work()
            times.append(time.process_time() - start)
    finally:
        gc.enable()
    return min(times)


def budget_notebook(formula: str):
    """Ada's notebook whose written answer holds as many copies of ``formula`` as the page budget converts."""
    notebook = honest_notebook()
    (answer,) = cells_with(notebook, {"bias_answer"})
    answer.source = "\n\n".join(f"$${formula}$$" for _ in range(PAGE_FORMULA_CHARS // len(formula) + 1))
    return notebook


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f}; CPU seconds, least of 3 runs")
    honest = honest_notebook()
    feedback_page(honest)  # templates compiled, imports done
    honest_page = cpu(lambda: feedback_page(honest))
    print(f"honest page (Ada's, lesson formulas): {honest_page:.2f} s")
    for name, make in FAMILIES.items():
        quarter, full = longest(make, MAX_FORMULA_CHARS // 4), longest(make, MAX_FORMULA_CHARS)
        one_quarter = cpu(lambda quarter=quarter: formula_mathml(quarter, display=True))
        one_full = cpu(lambda full=full: formula_mathml(full, display=True))
        notebook = budget_notebook(full)
        page = cpu(lambda notebook=notebook: feedback_page(notebook), runs=1)
        print(
            f"{name:13s} formula {len(quarter):4d} chars {one_quarter * 1000:5.1f} ms, {len(full):4d} chars "
            f"{one_full * 1000:5.1f} ms (x{one_full / max(one_quarter, 1e-9):.1f}); "
            f"budget page {page:.2f} s = honest page x{page / honest_page:.1f}"
        )


if __name__ == "__main__":
    main()
