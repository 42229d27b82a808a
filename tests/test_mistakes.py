"""The catalogue of known mistakes: each is recognised from the numbers, and never the right answer."""

from collections import Counter

import numpy as np
import pytest
from scipy import special, stats

import solutions
from autograder.functions import GRADED
from autograder.mistakes import CATALOGUE, diagnose, most_likely
from autograder.runner import PARTS, run_part


def _aliased_ascent(score, theta0, learning_rate, n_steps):
    theta = np.array(theta0, dtype=float)
    history = [theta]
    for _ in range(n_steps):
        theta += learning_rate * np.asarray(score(theta))
        history.append(theta)
    return theta, np.array(history)


# Each catalogued mistake, written out independently as a learner would make it.
MISTAKEN = {
    ("normal_log_likelihood", "dropped 2 pi constant"): lambda x, mu, sigma: float(
        -len(x) * np.log(sigma) - np.sum((np.asarray(x) - mu) ** 2) / (2 * sigma**2)
    ),
    ("normal_log_likelihood", "log sigma squared"): lambda x, mu, sigma: (
        solutions.normal_log_likelihood(x, mu, sigma) - len(x) * np.log(sigma)
    ),
    ("normal_log_likelihood", "negative log-likelihood"): lambda x, mu, sigma: (
        -solutions.normal_log_likelihood(x, mu, sigma)
    ),
    ("normal_log_likelihood", "mean instead of sum"): lambda x, mu, sigma: float(
        np.mean([solutions.normal_log_likelihood([v], mu, sigma) for v in x])
    ),
    ("normal_log_likelihood", "likelihood instead of log-likelihood"): lambda x, mu, sigma: float(
        np.prod(np.exp(-((np.asarray(x) - mu) ** 2) / (2 * sigma**2)) / (sigma * np.sqrt(2 * np.pi)))
    ),
    ("normal_score", "sign error"): lambda x, mu, sigma: -solutions.normal_score(x, mu, sigma),
    ("normal_score", "derivative in sigma squared"): lambda x, mu, sigma: np.array(
        [
            np.sum(np.asarray(x) - mu) / sigma**2,
            -len(x) / (2 * sigma**2) + np.sum((np.asarray(x) - mu) ** 2) / (2 * sigma**4),
        ]
    ),
    ("normal_score", "missing 1/sigma^2"): lambda x, mu, sigma: np.array(
        [np.sum(np.asarray(x) - mu), solutions.normal_score(x, mu, sigma)[1]]
    ),
    ("normal_mle", "n - 1 instead of n"): lambda x: (float(np.mean(x)), float(np.std(x, ddof=1))),
    ("normal_mle", "variance instead of standard deviation"): lambda x: (float(np.mean(x)), float(np.var(x))),
    ("normal_mle", "median instead of mean"): lambda x: (float(np.median(x)), float(np.std(x))),
    ("simulate_sigma2_hat", "n - 1 instead of n"): lambda n, mu, sigma, n_reps, rng: np.var(
        rng.normal(mu, sigma, (n_reps, n)), axis=1, ddof=1
    ),
    ("simulate_sigma2_hat", "standard deviation instead of variance"): lambda n, mu, sigma, n_reps, rng: np.std(
        rng.normal(mu, sigma, (n_reps, n)), axis=1
    ),
    ("bernoulli_log_likelihood", "0 log 0 evaluated as NaN"): lambda x, p: float(
        np.sum(x) * np.log(p) + (len(x) - np.sum(x)) * np.log(1 - p)
    ),
    ("bernoulli_log_likelihood", "likelihood instead of log-likelihood"): lambda x, p: float(
        np.prod([p if v else 1 - p for v in x])
    ),
    ("bernoulli_log_likelihood", "negative log-likelihood"): lambda x, p: -float(np.sum(stats.bernoulli.logpmf(x, p))),
    ("bernoulli_mle", "count instead of proportion"): lambda x: float(sum(x)),
    ("poisson_log_likelihood", "dropped log k! constant"): lambda k, lam: float(
        np.sum(np.asarray(k) * np.log(lam) - lam)
    ),
    ("poisson_log_likelihood", "mean instead of sum"): lambda k, lam: float(np.mean(stats.poisson.logpmf(k, lam))),
    ("poisson_log_likelihood", "negative log-likelihood"): lambda k, lam: -float(np.sum(stats.poisson.logpmf(k, lam))),
    ("poisson_mle", "median instead of mean"): lambda k: float(np.median(k)),
    ("exponential_log_likelihood", "rate and scale confused"): lambda x, rate: float(
        np.sum(stats.expon.logpdf(x, scale=rate))
    ),
    ("exponential_log_likelihood", "negative log-likelihood"): lambda x, rate: (
        -float(np.sum(stats.expon.logpdf(x, scale=1 / rate)))
    ),
    ("exponential_mle", "rate and scale confused"): lambda x: float(np.mean(x)),
    ("uniform_mle", "method of moments"): lambda x: 2 * float(np.mean(x)),
    ("uniform_mle", "unbiased maximum"): lambda x: float(max(x)) * (len(x) + 1) / len(x),
    ("laplace_mle", "mean instead of median"): lambda x: (
        float(np.mean(x)),
        float(np.mean(np.abs(np.asarray(x) - np.mean(x)))),
    ),
    ("categorical_mle", "unseen categories dropped"): lambda x, n_categories: np.array(
        [c / len(x) for c in Counter(np.asarray(x).tolist()).values()]
    )[np.argsort(list(Counter(np.asarray(x).tolist())))],
    ("categorical_mle", "counts instead of proportions"): lambda x, n_categories: np.array(
        [np.count_nonzero(np.asarray(x) == k) for k in range(n_categories)]
    ),
    ("gradient_ascent", "descent instead of ascent"): lambda score, theta0, learning_rate, n_steps: (
        solutions.gradient_ascent(lambda t: -np.asarray(score(t)), theta0, learning_rate, n_steps)
    ),
    ("gradient_ascent", "history aliases one array"): _aliased_ascent,
    ("gradient_ascent", "history without the start"): lambda score, theta0, learning_rate, n_steps: (
        lambda theta, history: (theta, history[1:])
    )(*solutions.gradient_ascent(score, theta0, learning_rate, n_steps)),
    ("gamma_log_likelihood", "rate and scale confused"): lambda x, shape, rate: float(
        np.sum(stats.gamma.logpdf(x, shape, scale=rate))
    ),
    ("gamma_log_likelihood", "dropped log Gamma(k) constant"): lambda x, shape, rate: float(
        np.sum(stats.gamma.logpdf(x, shape, scale=1 / rate)) + len(x) * np.log(special.gamma(shape))
    ),
    ("gamma_log_likelihood", "negative log-likelihood"): lambda x, shape, rate: (
        -float(np.sum(stats.gamma.logpdf(x, shape, scale=1 / rate)))
    ),
    ("gamma_mle", "method of moments"): lambda x: (np.mean(x) ** 2 / np.var(x), np.mean(x) / np.var(x)),
    ("gamma_mle", "rate and scale confused"): lambda x: (lambda a, _, scale: (a, scale))(*stats.gamma.fit(x, floc=0)),
    ("normal_fisher_information", "Fisher information for sigma squared"): lambda sigma: np.array(
        [[sigma**-2, 0.0], [0.0, 0.5 * sigma**-4]]
    ),
    ("normal_fisher_information", "missing factor 2"): lambda sigma: np.eye(2) / sigma**2,
    ("wald_interval_mu", "fixed 1.96"): lambda x, level=0.95: (
        stats.norm.interval(0.95, np.mean(x), np.std(x) / np.sqrt(len(x))) if len(x) > 1 else (x[0], x[0])
    ),
    ("wald_interval_mu", "n - 1 in sigma_hat"): lambda x, level=0.95: stats.norm.interval(
        level, np.mean(x), np.std(x, ddof=1) / np.sqrt(len(x))
    ),
    ("wald_interval_mu", "one-sided quantile"): lambda x, level=0.95: (
        stats.norm.interval(2 * level - 1, np.mean(x), np.std(x) / np.sqrt(len(x))) if len(x) > 1 else (x[0], x[0])
    ),
    ("linear_regression_nll", "mean squared error instead of NLL"): lambda w, sigma, X, y: float(
        np.mean((np.asarray(y) - np.asarray(X) @ np.asarray(w)) ** 2)
    ),
    ("linear_regression_nll", "dropped 2 pi constant"): lambda w, sigma, X, y: float(
        -np.sum(stats.norm.logpdf(y, np.asarray(X) @ np.asarray(w), sigma)) - len(y) * np.log(np.sqrt(2 * np.pi))
    ),
    ("linear_regression_nll", "log-likelihood instead of NLL"): lambda w, sigma, X, y: float(
        np.sum(stats.norm.logpdf(y, np.asarray(X) @ np.asarray(w), sigma))
    ),
    ("linear_regression_mle", "degrees of freedom n - d"): lambda X, y: (
        solutions.linear_regression_mle(X, y)[0],
        solutions.linear_regression_mle(X, y)[1] * np.sqrt(len(y) / (len(y) - np.shape(X)[1])),
    ),
    ("linear_regression_mle", "variance instead of standard deviation"): lambda X, y: (
        solutions.linear_regression_mle(X, y)[0],
        solutions.linear_regression_mle(X, y)[1] ** 2,
    ),
    ("logistic_nll", "overflowing logistic loss"): lambda w, X, y: float(
        np.sum(np.log1p(np.exp(np.asarray(X) @ np.asarray(w))) - np.asarray(y) * (np.asarray(X) @ np.asarray(w)))
    ),
    ("logistic_nll", "mean instead of sum"): lambda w, X, y: solutions.logistic_nll(w, X, y) / len(y),
    ("logistic_nll", "log-likelihood instead of NLL"): lambda w, X, y: -solutions.logistic_nll(w, X, y),
    ("logistic_gradient", "sign error"): lambda w, X, y: (
        np.asarray(X).T @ (np.asarray(y) - special.expit(np.asarray(X) @ np.asarray(w)))
    ),
    ("logistic_gradient", "mean instead of sum"): lambda w, X, y: solutions.logistic_gradient(w, X, y) / len(y),
    ("fit_logistic", "summed loss in the histories"): lambda X, y, learning_rate, n_steps, X_val=None, y_val=None: (
        lambda w, train, val: (w, train * len(y), None if val is None else val * len(y_val))
    )(*solutions.fit_logistic(X, y, learning_rate, n_steps, X_val, y_val)),
    ("fit_logistic", "summed gradient in the step"): lambda X, y, learning_rate, n_steps, X_val=None, y_val=None: (
        solutions.fit_logistic(X, y, learning_rate * len(y), n_steps, X_val, y_val)
    ),
    ("ridge_map", "lambda over n"): lambda X, y, lam: solutions.ridge_map(X, y, lam / len(y)),
    ("ridge_map", "lambda times n"): lambda X, y, lam: solutions.ridge_map(X, y, lam * len(y)),
    ("ridge_map", "penalty with the wrong sign"): lambda X, y, lam: np.linalg.solve(
        np.asarray(X).T @ np.asarray(X) - lam * np.eye(np.shape(X)[1]), np.asarray(X).T @ np.asarray(y)
    ),
}


def test_a_case_that_fits_two_mistakes_is_blamed_on_the_one_that_fits_the_others():
    mom, unbiased = (next(m for m in CATALOGUE if m.name == name) for name in ("method of moments", "unbiased maximum"))
    assert most_likely([{mom, unbiased}, {unbiased}, {unbiased}]) == [unbiased]
    assert most_likely([{mom}, {unbiased}, ()]) in ([mom, unbiased], [unbiased, mom])


def test_every_catalogue_entry_has_a_mistaken_implementation_here():
    assert set(MISTAKEN) == {(m.function, m.name) for m in CATALOGUE}


@pytest.mark.parametrize(("function", "name"), sorted(MISTAKEN))
def test_a_mistake_fails_the_hidden_checks_and_is_named(function, name):
    failed = [r for part in PARTS for r in run_part(GRADED[function], MISTAKEN[function, name], part) if not r.passed]
    assert failed, "the mistake should not pass the hidden checks"
    assert [mistake.name for mistake in most_likely([result.mistakes for result in failed])] == [name]


def test_a_mistake_that_the_right_answer_shares_on_a_case_is_not_blamed():
    single = next(case for case in GRADED["normal_mle"].cases("edge") if len(case.kwargs["x"]) == 1)
    wrong_elsewhere = (single.kwargs["x"][0], 1.0)  # right mu_hat (= the median too), wrong sigma_hat
    assert diagnose("normal_mle", single, wrong_elsewhere, solutions.normal_mle) == ()
