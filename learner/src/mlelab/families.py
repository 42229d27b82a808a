"""The distribution families of the widget: log-densities, MLEs, samplers and data checks.

Numbers come from ``scipy.stats``; every family knows which data it can
describe, so the widget can say "the exponential needs x >= 0" instead of
drawing nonsense.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy  # scipy.stats loads on first use: importing mlelab stays light

Params = tuple[float, ...]


@dataclass(frozen=True)
class Parameter:
    """One parameter: its symbol, its space (open bounds) and whether its slider is logarithmic."""

    symbol: str
    lower: float
    upper: float
    log_scale: bool = False
    closed: bool = False

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the parameter space."""
        return self.lower <= value <= self.upper if self.closed else self.lower < value < self.upper


@dataclass(frozen=True)
class Family:
    """A parametric family: per-observation log-density, closed-form or numerical MLE, sampler, data check."""

    name: str
    parameters: tuple[Parameter, ...]
    logpdf: Callable[..., np.ndarray]
    mle: Callable[[np.ndarray], Params]
    sample: Callable[[np.random.Generator, int, Params], np.ndarray]
    problem: Callable[[np.ndarray], str | None]
    discrete: bool = False

    def log_likelihood(self, x: np.ndarray, params: Params) -> float:
        """The sum of the log-densities; -inf where the data are impossible under ``params``."""
        self.check_params(params)
        with np.errstate(divide="ignore"):
            return float(np.sum(self.logpdf(x, *params)))

    def check_params(self, params: Params) -> None:
        """Raise ValueError naming the parameter that lies outside its space."""
        for parameter, value in zip(self.parameters, params, strict=True):
            if not parameter.contains(value):
                left, right = "[]" if parameter.closed else "()"
                space = f"{left}{parameter.lower:g}, {parameter.upper:g}{right}"
                raise ValueError(f"{parameter.symbol} must be in {space}, got {value!r}")


def _needs(condition: Callable[[np.ndarray], bool], message: str) -> Callable[[np.ndarray], str | None]:
    return lambda x: None if condition(x) else message


def _integers(x: np.ndarray) -> bool:
    return bool(np.all(x == np.round(x)))


def _gamma_mle(x: np.ndarray) -> Params:
    shape, _, scale = scipy.stats.gamma.fit(x, floc=0)
    return float(shape), float(1 / scale)


INF = np.inf
FAMILIES: dict[str, Family] = {
    family.name: family
    for family in (
        Family(
            "Normal",
            (Parameter("μ", -INF, INF), Parameter("σ", 0, INF, log_scale=True)),
            lambda x, mu, sigma: scipy.stats.norm.logpdf(x, mu, sigma),
            lambda x: (float(np.mean(x)), float(np.std(x))),
            lambda rng, n, p: rng.normal(p[0], p[1], n),
            _needs(lambda x: x.size >= 2 and np.ptp(x) > 0, "the Normal needs at least two different values"),
        ),
        Family(
            "exponential",
            (Parameter("λ", 0, INF, log_scale=True),),
            lambda x, rate: scipy.stats.expon.logpdf(x, scale=1 / rate),
            lambda x: (float(1 / np.mean(x)),),
            lambda rng, n, p: rng.exponential(1 / p[0], n),
            _needs(lambda x: np.all(x >= 0) and np.any(x > 0), "the exponential needs values ≥ 0, not all 0"),
        ),
        Family(
            "Poisson",
            (Parameter("λ", 0, INF, log_scale=True),),
            lambda x, lam: scipy.stats.poisson.logpmf(x, lam),
            lambda x: (float(np.mean(x)),),
            lambda rng, n, p: rng.poisson(p[0], n).astype(float),
            _needs(
                lambda x: np.all(x >= 0) and _integers(x) and np.any(x > 0), "the Poisson needs counts 0, 1, 2, ..."
            ),
            discrete=True,
        ),
        Family(
            "Bernoulli",
            (Parameter("p", 0, 1, closed=True),),
            lambda x, p: scipy.stats.bernoulli.logpmf(x, p),
            lambda x: (float(np.mean(x)),),
            lambda rng, n, p: rng.binomial(1, p[0], n).astype(float),
            _needs(lambda x: bool(np.all((x == 0) | (x == 1))), "the Bernoulli needs 0/1 data"),
            discrete=True,
        ),
        Family(
            "uniform U(0, θ)",
            (Parameter("θ", 0, INF, log_scale=True),),
            lambda x, theta: scipy.stats.uniform.logpdf(x, 0, theta),
            lambda x: (float(np.max(x)),),
            lambda rng, n, p: rng.uniform(0, p[0], n),
            _needs(lambda x: np.all(x >= 0) and np.any(x > 0), "U(0, θ) needs values ≥ 0, not all 0"),
        ),
        Family(
            "Laplace",
            (Parameter("m", -INF, INF), Parameter("b", 0, INF, log_scale=True)),
            lambda x, m, b: scipy.stats.laplace.logpdf(x, m, b),
            lambda x: (float(np.median(x)), float(np.mean(np.abs(x - np.median(x))))),
            lambda rng, n, p: rng.laplace(p[0], p[1], n),
            _needs(lambda x: np.ptp(x) > 0, "the Laplace needs at least two different values"),
        ),
        Family(
            "gamma",
            (Parameter("k", 0, INF, log_scale=True), Parameter("β", 0, INF, log_scale=True)),
            lambda x, k, rate: scipy.stats.gamma.logpdf(x, k, scale=1 / rate),
            _gamma_mle,
            lambda rng, n, p: rng.gamma(p[0], 1 / p[1], n),
            _needs(lambda x: np.all(x > 0) and np.ptp(x) > 0, "the gamma needs positive values, not all equal"),
        ),
    )
}


def clean_data(data: object, family: Family | None = None) -> np.ndarray:
    """The data as a 1-D float array, or a ValueError that says what to fix."""
    try:
        array = np.asarray(data, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError("data must be numbers, such as a list or a NumPy array of floats") from None
    if array.size == 0:
        raise ValueError("data is empty: pass at least one observation")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"data holds {np.count_nonzero(~np.isfinite(array))} NaN or infinite values: drop them first")
    if family is not None and (problem := family.problem(array)) is not None:
        raise ValueError(f"{problem}; these data cannot come from it")
    return array
