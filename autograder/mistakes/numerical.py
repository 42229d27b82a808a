"""Known mistakes of assignment 03, numerical MLE."""

import numpy as np
from scipy import special, stats

from autograder.mistakes.base import Mistake, computes
from solutions.numerical import gamma_mle


def _iterate(score, theta0, learning_rate, n_steps, sign=1.0):
    theta = np.array(theta0, dtype=float).ravel()
    history = [theta]
    for _ in range(n_steps):
        theta = theta + sign * learning_rate * np.asarray(score(theta), dtype=float).ravel()
        history.append(theta)
    return np.array(history)


def _gamma_ll(x, shape, rate):
    x = np.asarray(x, dtype=float)
    if np.any(x < 0):
        return -np.inf
    return (
        x.size * (shape * np.log(rate) - special.gammaln(shape)) + np.sum(special.xlogy(shape - 1, x)) - rate * x.sum()
    )


def _mle_sigma(x):
    return np.std(np.asarray(x, dtype=float))


def _wald(x, level=0.95, z=None, sigma=None):
    x = np.asarray(x, dtype=float)
    z = stats.norm.ppf((1 + level) / 2) if z is None else z
    half = z * (_mle_sigma(x) if sigma is None else sigma) / np.sqrt(x.size)
    return (x.mean() - half, x.mean() + half)


CATALOGUE: tuple[Mistake, ...] = (
    Mistake(
        "gradient_ascent",
        "descent instead of ascent",
        "Your iterates move against the score: θ ← θ - lr·score(θ) is gradient descent, which minimises. "
        "To climb the log-likelihood, step along the score: θ ← θ + lr·score(θ).",
        computes(
            lambda score, theta0, learning_rate, n_steps: (0, _iterate(score, theta0, learning_rate, n_steps, -1.0)),
            component=1,
        ),
    ),
    Mistake(
        "gradient_ascent",
        "history aliases one array",
        "Every row of your history equals the final θ: you stored the same array object at each step and "
        "then changed it in place (θ += ...). Store a copy (history.append(theta.copy())) or build a new "
        "array each step (theta = theta + ...).",
        computes(
            lambda score, theta0, learning_rate, n_steps: (
                0,
                np.tile(_iterate(score, theta0, learning_rate, n_steps)[-1], (n_steps + 1, 1)),
            ),
            component=1,
        ),
    ),
    Mistake(
        "gradient_ascent",
        "history without the start",
        "Your history has n_steps rows: it must start with θ₀ itself, so it has n_steps + 1 rows.",
        computes(
            lambda score, theta0, learning_rate, n_steps: (0, _iterate(score, theta0, learning_rate, n_steps)[1:]),
            component=1,
        ),
    ),
    Mistake(
        "gamma_log_likelihood",
        "rate and scale confused",
        "Your value treats the second parameter as the scale θ = 1/β. The spec uses the rate β: the density "
        "is βᵏ x^(k-1) e^(-βx) / Γ(k), and scipy.stats.gamma needs scale=1/rate.",
        computes(lambda x, shape, rate: _gamma_ll(x, shape, 1 / rate)),
    ),
    Mistake(
        "gamma_log_likelihood",
        "dropped log Gamma(k) constant",
        "Your value is off by exactly n·log Γ(k): the normalising Γ(k) was dropped. It depends on the shape, "
        "so it even moves the maximum in k: keep -n·scipy.special.gammaln(k).",
        computes(lambda x, shape, rate: _gamma_ll(x, shape, rate) + np.asarray(x).size * special.gammaln(shape)),
    ),
    Mistake(
        "gamma_log_likelihood",
        "negative log-likelihood",
        "Your value has the wrong sign: you returned the negative log-likelihood.",
        computes(lambda x, shape, rate: -_gamma_ll(x, shape, rate)),
    ),
    Mistake(
        "gamma_mle",
        "method of moments",
        "Your estimates match the mean k/β and variance k/β² (the method of moments: k = x̄²/s², β = x̄/s²). "
        "That is a good starting point, but not the MLE: solve log k - ψ(k) = log x̄ - mean(log x) by Newton's "
        "method, then β = k/x̄.",
        computes(lambda x: (np.mean(x) ** 2 / np.var(x), np.mean(x) / np.var(x))),
    ),
    Mistake(
        "gamma_mle",
        "rate and scale confused",
        "Your shape is right but your second value is the scale x̄/k; the function returns the rate β = k/x̄.",
        computes(lambda x: (0, np.mean(x) / gamma_mle(x)[0]), component=1),
    ),
    Mistake(
        "normal_fisher_information",
        "Fisher information for sigma squared",
        "Your second diagonal entry is 1/(2σ⁴), the information about the variance σ². The spec parametrises "
        "by σ itself: -E[∂²ℓ/∂σ²] = 2/σ² per observation.",
        computes(lambda sigma: np.diag([1 / sigma**2, 1 / (2 * sigma**4)])),
    ),
    Mistake(
        "normal_fisher_information",
        "missing factor 2",
        "Your second diagonal entry is 1/σ²; for σ it is 2/σ²: E[∂²/∂σ² of log f] = 1/σ² - 3E[(x-μ)²]/σ⁴ = -2/σ².",
        computes(lambda sigma: np.diag([1 / sigma**2, 1 / sigma**2])),
    ),
    Mistake(
        "wald_interval_mu",
        "fixed 1.96",
        "Your interval uses z = 1.96 whatever the level. Use the normal quantile of the level asked: "
        "z = scipy.stats.norm.ppf((1 + level) / 2), which is 1.6449 at 90% and 1.95996... at 95%.",
        computes(lambda x, level=0.95: _wald(x, level, z=1.96)),
    ),
    Mistake(
        "wald_interval_mu",
        "n - 1 in sigma_hat",
        "Your interval uses the sample standard deviation with n - 1. The Wald interval of this notebook plugs in "
        "the MLE σ̂ = sqrt(Σ(xᵢ-x̄)²/n) (np.std(x) with its default ddof=0).",
        computes(lambda x, level=0.95: _wald(x, level, sigma=np.std(np.asarray(x, float), ddof=1))),
    ),
    Mistake(
        "wald_interval_mu",
        "one-sided quantile",
        "Your z is the level quantile, norm.ppf(level). A two-sided interval leaves (1 - level)/2 in each tail: "
        "z = norm.ppf((1 + level) / 2).",
        computes(lambda x, level=0.95: _wald(x, level, z=stats.norm.ppf(level))),
    ),
)
