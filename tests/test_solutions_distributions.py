"""The closed-form estimators of assignment 02 against scipy.stats and numerical optimisation."""

from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import optimize, stats

from solutions import (
    bernoulli_log_likelihood,
    bernoulli_mle,
    categorical_mle,
    exponential_log_likelihood,
    exponential_mle,
    laplace_mle,
    poisson_log_likelihood,
    poisson_mle,
    uniform_mle,
)

flips = arrays(np.int64, st.integers(1, 60), elements=st.integers(0, 1))


@given(x=flips, p=st.floats(0, 1))
def test_bernoulli_log_likelihood_is_the_sum_of_scipy_logpmf(x, p):
    expected = np.sum(stats.bernoulli.logpmf(x, p))
    assert bernoulli_log_likelihood(x, p) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_bernoulli_log_likelihood_takes_zero_log_zero_as_zero():
    assert bernoulli_log_likelihood([0, 0, 0], 0.0) == 0.0
    assert bernoulli_log_likelihood([1, 1], 1.0) == 0.0
    assert bernoulli_log_likelihood([1, 0], 1.0) == -np.inf


def test_bernoulli_mle_maximises_the_log_likelihood_numerically():
    x = np.random.default_rng(201).binomial(1, 0.3, 80)
    best = optimize.minimize_scalar(
        lambda p: -bernoulli_log_likelihood(x, p), bounds=(1e-9, 1 - 1e-9), method="bounded", options={"xatol": 1e-10}
    )
    assert bernoulli_mle(x) == pytest.approx(best.x, abs=1e-6)


def test_poisson_log_likelihood_is_the_sum_of_scipy_logpmf():
    k = np.random.default_rng(202).poisson(4.5, 100)
    for lam in (0.1, 4.5, 300.0):
        assert poisson_log_likelihood(k, lam) == pytest.approx(np.sum(stats.poisson.logpmf(k, lam)), rel=1e-12)


def test_poisson_log_likelihood_keeps_the_log_factorial_for_large_counts():
    assert poisson_log_likelihood([1000], 1000.0) == pytest.approx(stats.poisson.logpmf(1000, 1000.0), rel=1e-12)


def test_poisson_mle_maximises_the_log_likelihood_numerically():
    k = np.random.default_rng(203).poisson(2.2, 60)
    best = optimize.minimize_scalar(
        lambda lam: -poisson_log_likelihood(k, lam), bounds=(1e-6, 20), method="bounded", options={"xatol": 1e-10}
    )
    assert poisson_mle(k) == pytest.approx(best.x, abs=1e-6)


def test_exponential_log_likelihood_is_the_sum_of_scipy_logpdf():
    x = np.random.default_rng(204).exponential(2.0, 50)
    assert exponential_log_likelihood(x, 0.4) == pytest.approx(np.sum(stats.expon.logpdf(x, scale=1 / 0.4)), rel=1e-12)


def test_exponential_log_likelihood_is_minus_infinity_below_zero():
    assert exponential_log_likelihood([1.0, -0.5], 1.0) == -np.inf


def test_exponential_mle_is_scipy_fit_rate():
    x = np.random.default_rng(205).exponential(3.0, 70)
    _, scale = stats.expon.fit(x, floc=0)
    assert exponential_mle(x) == pytest.approx(1 / scale, rel=1e-9)


def test_uniform_mle_is_scipy_fit_scale():
    x = np.random.default_rng(206).uniform(0, 7.0, 30)
    _, scale = stats.uniform.fit(x, floc=0)
    assert uniform_mle(x) == pytest.approx(scale, rel=1e-9)


def test_laplace_mle_is_scipy_fit():
    x = np.random.default_rng(207).laplace(1.5, 0.7, 41)
    np.testing.assert_allclose(laplace_mle(x), stats.laplace.fit(x), rtol=1e-9)


def test_laplace_mle_beats_nearby_locations():
    x = np.random.default_rng(208).laplace(0, 1, 31)  # odd n: the maximiser is unique
    location, scale = laplace_mle(x)
    best = np.sum(stats.laplace.logpdf(x, location, scale))
    for shift in (-0.1, -0.01, 0.01, 0.1):
        assert np.sum(stats.laplace.logpdf(x, location + shift, scale)) < best


@given(x=st.lists(st.integers(0, 4), min_size=1, max_size=60))
def test_categorical_mle_is_the_proportions(x):
    counts = Counter(x)
    expected = [counts[label] / len(x) for label in range(6)]
    np.testing.assert_allclose(categorical_mle(x, 6), expected)


def test_categorical_mle_gives_unseen_categories_zero():
    np.testing.assert_array_equal(categorical_mle([2, 2], n_categories=4), [0.0, 0.0, 1.0, 0.0])


def test_inputs_are_not_mutated():
    x = np.array([1, 0, 1])
    for function in (bernoulli_mle, poisson_mle, exponential_mle, uniform_mle, laplace_mle):
        function(x)
    categorical_mle(x, 2)
    assert np.array_equal(x, [1, 0, 1])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: bernoulli_log_likelihood([1], 1.5), r"p must be in \[0, 1\], got p=1.5"),
        (lambda: bernoulli_log_likelihood([1], -0.1), r"p must be in \[0, 1\]"),
        (lambda: poisson_log_likelihood([1], 0.0), "lam must be positive, got lam=0.0"),
        (lambda: exponential_log_likelihood([1.0], -2.0), "rate must be positive, got rate=-2.0"),
        (lambda: categorical_mle([0, 1], 0), "n_categories must be at least 1"),
        (lambda: categorical_mle([0, 3], 3), r"x must hold labels 0..2"),
    ],
)
def test_parameters_outside_their_space_are_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("estimator", [bernoulli_mle, exponential_mle, uniform_mle, laplace_mle])
def test_empty_data_has_no_estimate(estimator):
    with pytest.raises(ValueError, match="x must hold at least one"):
        estimator([])


def test_empty_counts_have_no_estimate():
    with pytest.raises(ValueError, match="k must hold at least one count"):
        poisson_mle([])
