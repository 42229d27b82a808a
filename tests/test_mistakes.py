"""The catalogue of known mistakes: each is recognised from the numbers, and never the right answer."""

import numpy as np
import pytest

import solutions
from autograder.functions import GRADED
from autograder.mistakes import CATALOGUE, diagnose
from autograder.runner import run_part

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
}


def test_every_catalogue_entry_has_a_mistaken_implementation_here():
    assert set(MISTAKEN) == {(m.function, m.name) for m in CATALOGUE}


@pytest.mark.parametrize(("function", "name"), sorted(MISTAKEN))
def test_a_mistake_fails_the_typical_checks_and_is_named(function, name):
    results = run_part(GRADED[function], MISTAKEN[function, name], "typical")
    failed = [result for result in results if not result.passed]
    assert failed, "the mistake should not pass the hidden checks"
    assert {result.mistake.name for result in failed if result.mistake} == {name}


@pytest.mark.parametrize("function", sorted(GRADED))
def test_no_mistake_coincides_with_the_right_answer_on_typical_data(function):
    spec = GRADED[function]
    for case in spec.cases("typical"):
        right = spec.reference(*case.fresh_kwargs().values())
        assert not [m.name for m in CATALOGUE if m.function == function and m.matches(case, right)]


def test_a_mistake_that_the_right_answer_shares_on_a_case_is_not_blamed():
    single = next(case for case in GRADED["normal_mle"].cases("edge") if len(case.kwargs["x"]) == 1)
    wrong_elsewhere = (single.kwargs["x"][0], 1.0)  # right mu_hat (= the median too), wrong sigma_hat
    mistake = diagnose("normal_mle", single, wrong_elsewhere, solutions.normal_mle)
    assert mistake is None
