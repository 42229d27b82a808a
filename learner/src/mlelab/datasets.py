"""Real data sets for the lessons, read from the CSV files that statsmodels ships inside its package.

Nothing is downloaded: the files come with ``pip install ./learner`` (statsmodels is a dependency), so the
lessons also run where there is no network, as in the grading sandbox. The files are read with NumPy
alone, found without importing statsmodels, so a lesson pays neither its nor pandas' import time.
"""

from importlib.util import find_spec
from pathlib import Path
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

__all__ = ["engel_food", "spector_grades", "strike_durations", "treasury_bill_changes"]


class Engel(NamedTuple):
    """Annual income and food expenditure of 235 Belgian working-class households in 1857 (Belgian francs)."""

    income: NDArray[np.float64]
    food: NDArray[np.float64]


class Spector(NamedTuple):
    """32 economics students: grade point average, a pre-test score, the teaching method and the outcome."""

    gpa: NDArray[np.float64]
    tuce: NDArray[np.float64]
    psi: NDArray[np.float64]
    grade_improved: NDArray[np.float64]


def _statsmodels_csv(name: str) -> Path:
    """Path of statsmodels' bundled ``datasets/<name>/<name>.csv``, found without importing statsmodels."""
    spec = find_spec("statsmodels")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "the lessons' real data sets come with statsmodels: run `pip install ./learner` "
            "(or `pip install statsmodels`)"
        )
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "datasets" / name / f"{name}.csv"
        if path.is_file():
            return path
    raise FileNotFoundError(f"statsmodels is installed but holds no data set {name!r}: reinstall it")


def _read_columns(name: str, delimiter: str | None = ",") -> dict[str, NDArray[np.float64]]:
    """The numeric columns of a bundled CSV file, by their lower-case header names (quotes removed)."""
    path = _statsmodels_csv(name)
    with path.open() as stream:
        header = stream.readline()
        values = np.loadtxt(stream, delimiter=delimiter, ndmin=2)
    names = [field.strip().strip("'\"").lower() for field in header.split(delimiter)]
    return {column: values[:, index] for index, column in enumerate(names)}


def strike_durations() -> NDArray[np.float64]:
    """Durations in days of 62 contract strikes in US manufacturing, 1968-1976 (strikes begun in June).

    Source: Kennan, J. (1985), "The duration of contract strikes in US manufacturing", Journal of
    Econometrics 28, 5-28 (Bureau of Labor Statistics data); bundled with statsmodels as
    ``statsmodels.datasets.strikes``. Public domain.
    """
    return _read_columns("strikes")["duration"]


def treasury_bill_changes() -> NDArray[np.float64]:
    """Quarter-to-quarter changes of the US 3-month Treasury bill rate, 1959Q2-2009Q3 (percentage points).

    202 changes of the rate in ``statsmodels.datasets.macrodata`` (US macroeconomic data 1959Q1-2009Q3,
    from FRED, the Federal Reserve Bank of St. Louis). Public domain.
    """
    return np.diff(_read_columns("macrodata")["tbilrate"])


def engel_food() -> Engel:
    """Engel's (1857) data on income and food expenditure of 235 Belgian working-class households.

    Source: Koenker, R. and Bassett, G. (1982), "Robust tests for heteroscedasticity based on regression
    quantiles", Econometrica 50, 43-61; bundled with statsmodels as ``statsmodels.datasets.engel``.
    Public domain.
    """
    columns = _read_columns("engel")
    return Engel(income=columns["income"], food=columns["foodexp"])


def spector_grades() -> Spector:
    """Spector and Mazzeo's (1980) data: did a new teaching method (PSI) improve economics grades?

    ``grade_improved`` is 1 when the student's grade improved; ``gpa`` is the grade point average, ``tuce``
    the score on a test of economics taken at the start, ``psi`` 1 for students taught with the personalised
    system of instruction. Source: Spector, L. and Mazzeo, M. (1980), "Probit analysis and economic
    education", Journal of Economic Education 11, 37-44; bundled with statsmodels as
    ``statsmodels.datasets.spector`` (used with the author's permission).
    """
    columns = _read_columns("spector", delimiter=None)
    return Spector(gpa=columns["gpa"], tuce=columns["tuce"], psi=columns["psi"], grade_improved=columns["grade"])
