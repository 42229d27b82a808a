"""The Normal reference solutions against scipy, finite differences and Monte Carlo."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from solutions import normal_log_likelihood, normal_mle, normal_score, simulate_sigma2_hat

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
samples = arrays(np.float64, st.integers(1, 50), elements=finite)
positive = st.floats(1e-2, 1e3)


@given(x=samples, mu=finite, sigma=positive)
def test_log_likelihood_is_the_sum_of_scipy_logpdf(x, mu, sigma):
    expected = np.sum(stats.norm.logpdf(x, loc=mu, scale=sigma))
    assert normal_log_likelihood(x, mu, sigma) == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_log_likelihood_returns_a_python_float_and_accepts_lists():
    value = normal_log_likelihood([1.0, 2.0, 3.0], 2.0, 1.0)
    assert type(value) is float
    assert value == pytest.approx(-1.5 * np.log(2 * np.pi) - 1.0)


def test_score_matches_central_differences_of_scipy_log_likelihood():
    rng = np.random.default_rng(101)
    x, mu, sigma, h = rng.normal(5, 2, 30), 4.2, 1.7, 1e-6

    def ell(m, s):
        return np.sum(stats.norm.logpdf(x, m, s))

    numeric = [(ell(mu + h, sigma) - ell(mu - h, sigma)) / (2 * h), (ell(mu, sigma + h) - ell(mu, sigma - h)) / (2 * h)]
    score = normal_score(x, mu, sigma)
    assert score.shape == (2,)
    np.testing.assert_allclose(score, numeric, rtol=1e-6)


def test_score_vanishes_at_the_mle():
    x = np.random.default_rng(102).normal(-3, 0.5, 25)
    np.testing.assert_allclose(normal_score(x, *normal_mle(x)), [0.0, 0.0], atol=1e-9)


def test_mle_matches_scipy_fit():
    x = np.random.default_rng(103).normal(120, 15, 40)
    np.testing.assert_allclose(normal_mle(x), stats.norm.fit(x), rtol=1e-12)


@settings(max_examples=50)
@given(x=arrays(np.float64, st.integers(2, 40), elements=finite), d_mu=st.floats(-1, 1), d_log_sigma=st.floats(-1, 1))
def test_no_nearby_parameter_beats_the_mle(x, d_mu, d_log_sigma):
    mu_hat, sigma_hat = normal_mle(x)
    if sigma_hat < 1e-6:  # all values (nearly) equal: the likelihood is unbounded
        return
    best = normal_log_likelihood(x, mu_hat, sigma_hat)
    other = normal_log_likelihood(x, mu_hat + d_mu * sigma_hat, sigma_hat * np.exp(d_log_sigma))
    assert other <= best + 1e-9 * abs(best)


def test_mle_returns_a_tuple_of_floats_and_handles_one_observation():
    estimate = normal_mle([4.0])
    assert estimate == (4.0, 0.0)
    assert all(type(value) is float for value in estimate)


def test_simulated_mle_variances_average_to_the_biased_value():
    """Monte Carlo: the mean of 40 000 draws is within five standard errors of (n-1)/n sigma^2."""
    n, sigma, n_reps = 5, 2.0, 40_000
    draws = simulate_sigma2_hat(n, 1.0, sigma, n_reps, np.random.default_rng(104))
    assert draws.shape == (n_reps,)
    standard_error = sigma**2 * np.sqrt(2 * (n - 1)) / n / np.sqrt(n_reps)
    assert abs(draws.mean() - (n - 1) / n * sigma**2) < 5 * standard_error


def test_simulated_variances_follow_a_scaled_chi_square():
    n, sigma = 7, 3.0
    draws = simulate_sigma2_hat(n, 0.0, sigma, 5_000, np.random.default_rng(105))
    assert stats.kstest(draws * n / sigma**2, "chi2", args=(n - 1,)).pvalue > 1e-3


def test_simulation_is_reproducible_from_the_generator():
    first = simulate_sigma2_hat(4, 0.0, 1.0, 20, np.random.default_rng(7))
    again = simulate_sigma2_hat(4, 0.0, 1.0, 20, np.random.default_rng(7))
    other = simulate_sigma2_hat(4, 0.0, 1.0, 20, np.random.default_rng(8))
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_inputs_are_not_mutated():
    x = np.array([3.0, 1.0, 2.0])
    normal_log_likelihood(x, 0.0, 1.0)
    normal_score(x, 0.0, 1.0)
    normal_mle(x)
    assert np.array_equal(x, [3.0, 1.0, 2.0])


@pytest.mark.parametrize("sigma", [0.0, -1.0, float("nan")])
@pytest.mark.parametrize("function", [normal_log_likelihood, normal_score])
def test_a_non_positive_sigma_is_rejected(function, sigma):
    with pytest.raises(ValueError, match=r"sigma must be positive, got sigma="):
        function([1.0], 0.0, sigma)


def test_empty_data_has_no_mle():
    with pytest.raises(ValueError, match=r"x must hold at least one observation"):
        normal_mle([])


@pytest.mark.parametrize(
    ("n", "sigma", "n_reps", "message"),
    [
        (0, 1.0, 10, "n must be at least 1"),
        (5, 0.0, 10, "sigma must be positive"),
        (5, 1.0, 0, "n_reps must be at least 1"),
    ],
)
def test_simulation_rejects_parameters_outside_their_space(n, sigma, n_reps, message):
    with pytest.raises(ValueError, match=message):
        simulate_sigma2_hat(n, 0.0, sigma, n_reps, np.random.default_rng(0))
