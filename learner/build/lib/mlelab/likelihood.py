"""The numbers behind the widget, as pure functions (the drawing stays thin)."""

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats


@dataclass(frozen=True)
class NormalFit:
    """How well N(mu, sigma^2) explains a sample, compared with the best Normal."""

    log_likelihood: float
    mean_log_likelihood: float
    gap_to_best: float
    mu_hat: float
    sigma_hat: float


def clean_data(data: ArrayLike) -> np.ndarray:
    """The data as a 1-D float array, or a ValueError that says what to fix."""
    array = np.asarray(data, dtype=float).ravel()
    if array.size == 0:
        raise ValueError("data is empty: pass at least one observation")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"data holds {np.count_nonzero(~np.isfinite(array))} NaN or infinite values: drop them first")
    return array


def normal_fit_summary(data: ArrayLike, mu: float, sigma: float) -> NormalFit:
    """Log-likelihood of the data at (mu, sigma), per observation, and its gap to the maximum.

    Examples
    --------
    >>> fit = normal_fit_summary([1.0, 3.0], mu=2.0, sigma=1.0)
    >>> fit.gap_to_best
    0.0
    """
    x = clean_data(data)
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got sigma={sigma!r}")
    mu_hat, sigma_hat = float(np.mean(x)), float(np.std(x))
    log_likelihood = float(np.sum(stats.norm.logpdf(x, loc=mu, scale=sigma)))
    best = float(np.sum(stats.norm.logpdf(x, loc=mu_hat, scale=sigma_hat))) if sigma_hat > 0 else np.inf
    return NormalFit(log_likelihood, log_likelihood / x.size, best - log_likelihood, mu_hat, sigma_hat)
