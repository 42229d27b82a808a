"""Known mistakes of assignment 02, "we always deal with distributions"."""

import numpy as np
from scipy import special

from autograder.mistakes.base import Mistake, computes, not_a_number


def _bernoulli_ll(x, p):
    x = np.asarray(x, dtype=float)
    return special.xlogy(x.sum(), p) + special.xlogy(x.size - x.sum(), 1 - p)


def _poisson_ll(k, lam):
    k = np.asarray(k, dtype=float)
    return np.sum(k * np.log(lam) - lam - special.gammaln(k + 1))


def _float(x):
    return np.asarray(x, dtype=float)


CATALOGUE: tuple[Mistake, ...] = (
    Mistake(
        "bernoulli_log_likelihood",
        "0 log 0 evaluated as NaN",
        "Your log-likelihood is NaN where p is 0 or 1 and the data agree with it: s·log(p) with s = 0 and "
        "p = 0 evaluates 0 · (-inf) = NaN. By convention (and by the limit) 0·log 0 = 0: use "
        "scipy.special.xlogy(s, p), which does exactly that.",
        not_a_number(),
    ),
    Mistake(
        "bernoulli_log_likelihood",
        "likelihood instead of log-likelihood",
        "Your value is the likelihood p^s (1-p)^(n-s), not its logarithm: return s·log p + (n-s)·log(1-p).",
        computes(lambda x, p: np.exp(_bernoulli_ll(x, p))),
    ),
    Mistake(
        "bernoulli_log_likelihood",
        "negative log-likelihood",
        "Your value has the wrong sign: you returned the negative log-likelihood (the cross-entropy loss). "
        "The log-likelihood of 0/1 data is at most 0.",
        computes(lambda x, p: -_bernoulli_ll(x, p)),
    ),
    Mistake(
        "bernoulli_mle",
        "count instead of proportion",
        "Your estimate is the number of ones; the MLE of p is their proportion, s / n.",
        computes(lambda x: np.sum(_float(x))),
    ),
    Mistake(
        "poisson_log_likelihood",
        "dropped log k! constant",
        "Your value is off by exactly Σ log(kᵢ!): the constant of the Poisson mass function was dropped. "
        "Keep it, computed stably as scipy.special.gammaln(k + 1).",
        computes(lambda k, lam: _poisson_ll(k, lam) + np.sum(special.gammaln(_float(k) + 1))),
    ),
    Mistake(
        "poisson_log_likelihood",
        "mean instead of sum",
        "Your value is the average log-probability per count: the log-likelihood is the sum over all counts.",
        computes(lambda k, lam: _poisson_ll(k, lam) / _float(k).size),
    ),
    Mistake(
        "poisson_log_likelihood",
        "negative log-likelihood",
        "Your value has the wrong sign: you returned the negative log-likelihood. Log-probabilities are ≤ 0.",
        computes(lambda k, lam: -_poisson_ll(k, lam)),
    ),
    Mistake(
        "poisson_mle",
        "median instead of mean",
        "Your estimate is the median count. Setting the score Σkᵢ/λ - n to zero gives the mean count.",
        computes(lambda k: np.median(_float(k))),
    ),
    Mistake(
        "exponential_log_likelihood",
        "rate and scale confused",
        "Your value treats the parameter as the mean waiting time (the scale 1/λ): -n log(rate) - Σx/rate. "
        "Here rate is λ, the density is λ·exp(-λx), and ℓ = n log λ - λ Σxᵢ.",
        computes(lambda x, rate: -_float(x).size * np.log(rate) - np.sum(_float(x)) / rate),
    ),
    Mistake(
        "exponential_log_likelihood",
        "negative log-likelihood",
        "Your value has the wrong sign: you returned the negative log-likelihood, n·(-log λ) + λ Σxᵢ.",
        computes(lambda x, rate: -(_float(x).size * np.log(rate) - rate * np.sum(_float(x)))),
    ),
    Mistake(
        "exponential_mle",
        "rate and scale confused",
        "Your estimate is the mean waiting time x̄, the scale. The function returns the rate λ̂ = 1 / x̄.",
        computes(lambda x: np.mean(_float(x))),
    ),
    Mistake(
        "uniform_mle",
        "method of moments",
        "Your estimate is 2·x̄, the method-of-moments estimate (the mean of U(0, θ) is θ/2). The likelihood "
        "θ⁻ⁿ is zero below max(x) and falls above it: the MLE is max(x).",
        computes(lambda x: 2 * np.mean(_float(x))),
    ),
    Mistake(
        "uniform_mle",
        "unbiased maximum",
        "Your estimate is (n+1)/n · max(x), the unbiased correction of the maximum. It is a fine estimator, "
        "but not the MLE: the likelihood is largest at max(x) itself.",
        computes(lambda x: (_float(x).size + 1) / _float(x).size * np.max(_float(x))),
    ),
    Mistake(
        "laplace_mle",
        "mean instead of median",
        "Your location is the mean. The Laplace log-likelihood -Σ|xᵢ - m|/b is largest where the sum of "
        "absolute deviations is smallest: at the median (np.median), which ignores how far outliers lie.",
        computes(lambda x: (np.mean(_float(x)), 0.0), component=0),
    ),
    Mistake(
        "categorical_mle",
        "unseen categories dropped",
        "Your array has one entry per category that occurs, but categories that never occur need an entry "
        "too, equal to 0: use np.bincount(x, minlength=n_categories) / n.",
        computes(lambda x, n_categories: np.unique(np.asarray(x), return_counts=True)[1] / len(x)),
    ),
    Mistake(
        "categorical_mle",
        "counts instead of proportions",
        "Your array holds the counts of each category; the MLE is the proportions, counts / n, summing to 1.",
        computes(lambda x, n_categories: np.bincount(np.asarray(x, dtype=int), minlength=n_categories)),
    ),
)
