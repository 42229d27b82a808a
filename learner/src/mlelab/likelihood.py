"""The numbers behind the widget, as pure functions (the drawing stays thin)."""

from dataclasses import dataclass

import numpy as np
import scipy  # scipy.stats loads on first use: importing mlelab stays light
from numpy.typing import ArrayLike

from mlelab.families import FAMILIES, Family, Params, clean_data


@dataclass(frozen=True)
class Fit:
    """How well ``params`` explain the data, compared with the best member of the family."""

    params: Params
    log_likelihood: float
    mean_log_likelihood: float
    mle: Params
    best_log_likelihood: float

    @property
    def gap_to_best(self) -> float:
        """ℓ(MLE) - ℓ(params) ≥ 0; infinite where the data are impossible under ``params``."""
        return self.best_log_likelihood - self.log_likelihood

    @property
    def closeness(self) -> float:
        """1 at the MLE, falling towards 0 as the gap grows (the readout's colour cue)."""
        return float(np.exp(-self.gap_to_best / 2)) if np.isfinite(self.gap_to_best) else 0.0


def fit_summary(family: Family, x: np.ndarray, params: Params) -> Fit:
    """ℓ at ``params``, per observation, and at the MLE."""
    mle = family.mle(x)
    value = family.log_likelihood(x, params)
    return Fit(tuple(params), value, value / x.size, mle, family.log_likelihood(x, mle))


def normal_fit_summary(data: ArrayLike, mu: float, sigma: float) -> Fit:
    """:func:`fit_summary` for the Normal: the widget's numbers for the first lesson.

    Examples
    --------
    >>> fit = normal_fit_summary([1.0, 3.0], mu=2.0, sigma=1.0)
    >>> fit.gap_to_best
    0.0
    """
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got sigma={sigma!r}")
    return fit_summary(FAMILIES["Normal"], clean_data(data), (mu, sigma))


def profile(family: Family, x: np.ndarray, index: int, grid: np.ndarray, params: Params) -> np.ndarray:
    """ℓ along parameter ``index`` over ``grid``, the other parameters held at ``params`` (vectorised)."""
    arguments = [np.full(grid.shape, value, dtype=float) for value in params]
    arguments[index] = np.asarray(grid, dtype=float)
    with np.errstate(divide="ignore"):
        return np.sum(family.logpdf(x[:, None], *(a[None, :] for a in arguments)), axis=0)


def surface(family: Family, x: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """ℓ over a grid of two parameters, shape (len(second), len(first)) as contour plots expect."""
    a, b = np.meshgrid(first, second)
    with np.errstate(divide="ignore"):
        return np.sum(family.logpdf(x[:, None, None], a[None], b[None]), axis=0)


def wald_interval(family: Family, x: np.ndarray, index: int = 0, level: float = 0.95) -> tuple[float, float] | None:
    """MLE ∓ z·SE for one parameter, SE from the observed information (a numerical Hessian of ℓ).

    None where the Wald interval does not apply: the uniform (its MLE sits on
    a boundary, so ℓ has no curvature there) or a flat or degenerate ℓ.
    """
    if family.name.startswith("uniform"):
        return None
    mle = np.array(family.mle(x), dtype=float)
    d = mle.size
    steps = 1e-4 * np.maximum(np.abs(mle), 1e-3)
    hessian = np.empty((d, d))
    for i in range(d):
        for j in range(d):
            corners = []
            for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                point = mle.copy()
                point[i] += si * steps[i]
                point[j] += sj * steps[j]
                try:
                    corners.append(si * sj * family.log_likelihood(x, tuple(point)))
                except ValueError:
                    return None
            hessian[i, j] = sum(corners) / (4 * steps[i] * steps[j])
    try:
        covariance = np.linalg.inv(-hessian)
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(covariance)) or covariance[index, index] <= 0:
        return None
    half = scipy.stats.norm.ppf((1 + level) / 2) * np.sqrt(covariance[index, index])
    return float(mle[index] - half), float(mle[index] + half)
