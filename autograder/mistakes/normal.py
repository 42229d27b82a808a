"""Known mistakes of assignment 01, the Normal distribution."""

from typing import Any

import numpy as np
from scipy import special

from autograder.mistakes.base import Mistake, computes, simulated_mean


def _normal_ll(x: Any, mu: float, sigma: float) -> float:
    x = np.asarray(x, dtype=float)
    return float(-x.size * np.log(sigma) - x.size / 2 * np.log(2 * np.pi) - np.sum((x - mu) ** 2) / (2 * sigma**2))


def _size(x: Any) -> int:
    return np.asarray(x).size


CATALOGUE: tuple[Mistake, ...] = (
    # normal_log_likelihood
    Mistake(
        "normal_log_likelihood",
        "dropped 2 pi constant",
        "Your value is off by exactly (n/2)·log(2π): the constant term of the Normal density "
        "was dropped. It does not move the maximum, but the log-likelihood asked for keeps every "
        "constant: include - (n/2)·np.log(2*np.pi).",
        computes(lambda x, mu, sigma: _normal_ll(x, mu, sigma) + _size(x) / 2 * np.log(2 * np.pi)),
    ),
    Mistake(
        "normal_log_likelihood",
        "log sigma squared",
        "Your value matches -n·log(σ²) where -n·log(σ) belongs: log(1/(σ√(2π))) = -log σ - ½ log 2π, "
        "so the σ term is -n·log(σ), not -n·log(σ²).",
        computes(lambda x, mu, sigma: _normal_ll(x, mu, sigma) - _size(x) * np.log(sigma)),
    ),
    Mistake(
        "normal_log_likelihood",
        "negative log-likelihood",
        "Your value has the right size but the wrong sign: you returned the negative "
        "log-likelihood (the loss). The log-likelihood of continuous data is usually negative here.",
        computes(lambda x, mu, sigma: -_normal_ll(x, mu, sigma)),
    ),
    Mistake(
        "normal_log_likelihood",
        "mean instead of sum",
        "Your value is the average log-likelihood per observation: the log-likelihood is the sum "
        "over all n observations, not the mean.",
        computes(lambda x, mu, sigma: _normal_ll(x, mu, sigma) / _size(x)),
    ),
    Mistake(
        "normal_log_likelihood",
        "likelihood instead of log-likelihood",
        "Your value is the likelihood L itself (a product of densities), not its logarithm: "
        "take logs and sum them, which is also what keeps the number from underflowing to 0.",
        computes(lambda x, mu, sigma: np.exp(_normal_ll(x, mu, sigma))),
    ),
    # normal_score
    Mistake(
        "normal_score",
        "sign error",
        "Both derivatives have the wrong sign: you returned the gradient of the negative "
        "log-likelihood. The score is the gradient of ℓ itself: ∂ℓ/∂μ = Σ(xᵢ-μ)/σ².",
        computes(
            lambda x, mu, sigma: (
                -np.array(
                    [
                        np.sum(np.asarray(x, float) - mu) / sigma**2,
                        -_size(x) / sigma + np.sum((np.asarray(x, float) - mu) ** 2) / sigma**3,
                    ]
                )
            )
        ),
    ),
    Mistake(
        "normal_score",
        "derivative in sigma squared",
        "Your second component is ∂ℓ/∂(σ²) = -n/(2σ²) + Σ(xᵢ-μ)²/(2σ⁴), the derivative with respect "
        "to the variance. The spec asks for ∂ℓ/∂σ = -n/σ + Σ(xᵢ-μ)²/σ³.",
        computes(
            lambda x, mu, sigma: [
                0,
                -_size(x) / (2 * sigma**2) + np.sum((np.asarray(x, float) - mu) ** 2) / (2 * sigma**4),
            ],
            component=1,
        ),
    ),
    Mistake(
        "normal_score",
        "missing 1/sigma^2",
        "Your ∂ℓ/∂μ is Σ(xᵢ-μ) without the factor 1/σ²: the chain rule on -(xᵢ-μ)²/(2σ²) gives (xᵢ-μ)/σ².",
        computes(lambda x, mu, sigma: [np.sum(np.asarray(x, float) - mu), 0], component=0),
    ),
    # normal_mle
    Mistake(
        "normal_mle",
        "n - 1 instead of n",
        "Your σ̂ divides by n - 1 (Bessel's correction, as np.std(x, ddof=1) or pandas' .std() do). "
        "Setting ∂ℓ/∂σ = 0 gives σ̂² = Σ(xᵢ-x̄)²/n: the MLE divides by n.",
        computes(lambda x: (np.mean(x), np.std(np.asarray(x, float), ddof=1))),
    ),
    Mistake(
        "normal_mle",
        "variance instead of standard deviation",
        "Your second estimate is the variance σ̂², not the standard deviation σ̂: take its square root.",
        computes(lambda x: (np.mean(x), np.var(np.asarray(x, float)))),
    ),
    Mistake(
        "normal_mle",
        "median instead of mean",
        "Your μ̂ is the median of the data. Setting ∂ℓ/∂μ = Σ(xᵢ-μ)/σ² to zero gives the mean, "
        "x̄ = Σxᵢ/n (the median is the MLE of a Laplace location, not a Normal one).",
        computes(lambda x: (np.median(x), 0.0), component=0),
    ),
    # simulate_sigma2_hat
    Mistake(
        "simulate_sigma2_hat",
        "n - 1 instead of n",
        "Your simulated variances average to σ² itself: they divide by n - 1 (np.var(..., ddof=1)). "
        "The experiment is about the MLE σ̂² = Σ(xᵢ-x̄)²/n, whose average is (n-1)/n·σ².",
        simulated_mean(lambda n, sigma: sigma**2),
    ),
    Mistake(
        "simulate_sigma2_hat",
        "standard deviation instead of variance",
        "Your simulated values average to about σ, not σ²: you returned σ̂ for each sample. "
        "Return the variances σ̂² (np.var with its default ddof=0).",
        simulated_mean(
            lambda n, sigma: sigma * np.sqrt(2 / n) * np.exp(special.gammaln(n / 2) - special.gammaln((n - 1) / 2))
        ),
    ),
)
