"""Numerical MLE (assignment 03) against closed forms, scipy and Monte Carlo."""

import numpy as np
import pytest
from scipy import optimize, special, stats

from solutions import (
    gamma_log_likelihood,
    gamma_mle,
    gradient_ascent,
    newton_raphson,
    normal_fisher_information,
    wald_interval_mu,
)


def test_gradient_ascent_follows_the_closed_form_iterates_on_a_quadratic():
    """For score(t) = -a (t - t*), theta_t = t* + (1 - lr a)^t (theta0 - t*)."""
    a, target, lr = np.array([2.0, 0.5]), np.array([1.0, -3.0]), 0.3
    theta, history = gradient_ascent(lambda t: -a * (t - target), [0.0, 0.0], lr, 25)
    steps = np.arange(26)[:, None]
    expected = target + (1 - lr * a) ** steps * (np.zeros(2) - target)
    assert history.shape == (26, 2)
    np.testing.assert_allclose(history, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(theta, history[-1])


def test_gradient_ascent_history_rows_are_independent_copies():
    theta0 = np.array([1.0])
    _, history = gradient_ascent(lambda t: np.ones(1), theta0, 1.0, 3)
    np.testing.assert_array_equal(history.ravel(), [1.0, 2.0, 3.0, 4.0])
    assert theta0[0] == 1.0


def test_newton_raphson_finds_the_poisson_mle_in_log_rate():
    k = np.random.default_rng(301).poisson(3.0, 40)
    score = lambda t: np.array([k.sum() - k.size * np.exp(t[0])])  # noqa: E731
    hessian = lambda t: np.array([[-k.size * np.exp(t[0])]])  # noqa: E731
    theta = newton_raphson(score, hessian, [0.0])
    assert np.exp(theta[0]) == pytest.approx(k.mean(), rel=1e-12)


def test_newton_raphson_agrees_with_scipy_root_in_two_dimensions():
    score = lambda t: np.array([1 - t[0] - t[0] ** 3 + t[1], 2 - t[1] - t[0]])  # noqa: E731
    hessian = lambda t: np.array([[-1 - 3 * t[0] ** 2, 1.0], [-1.0, -1.0]])  # noqa: E731
    np.testing.assert_allclose(
        newton_raphson(score, hessian, [0.0, 0.0]), optimize.root(score, [0.0, 0.0]).x, rtol=1e-8
    )


def test_newton_raphson_raises_when_it_runs_out_of_iterations():
    with pytest.raises(RuntimeError, match="did not converge in max_iter=2"):
        newton_raphson(lambda t: np.exp(t) - 5, lambda t: np.exp(t)[:, None], [10.0], max_iter=2)


def test_gamma_log_likelihood_is_the_sum_of_scipy_logpdf():
    x = np.random.default_rng(302).gamma(2.5, 1 / 1.5, 60)
    for shape, rate in [(0.5, 2.0), (2.5, 1.5), (40.0, 10.0)]:
        expected = np.sum(stats.gamma.logpdf(x, a=shape, scale=1 / rate))
        assert gamma_log_likelihood(x, shape, rate) == pytest.approx(expected, rel=1e-12)


def test_gamma_log_likelihood_at_zero_follows_the_density():
    assert gamma_log_likelihood([0.0], 1.0, 2.0) == pytest.approx(np.log(2.0))
    assert gamma_log_likelihood([0.0], 2.0, 2.0) == -np.inf


@pytest.mark.parametrize(("shape", "seed"), [(0.3, 303), (2.5, 304), (60.0, 305)])
def test_gamma_mle_solves_the_digamma_equation_and_fits_no_worse_than_scipy(shape, seed):
    x = np.random.default_rng(seed).gamma(shape, 2.0, 200)
    k, rate = gamma_mle(x)
    s = np.log(x.mean()) - np.mean(np.log(x))
    assert np.log(k) - special.digamma(k) == pytest.approx(s, rel=1e-10)
    a, _, scale = stats.gamma.fit(x, floc=0)
    assert gamma_log_likelihood(x, k, rate) >= np.sum(stats.gamma.logpdf(x, a, scale=scale)) - 1e-9
    assert k == pytest.approx(a, rel=1e-3)
    assert rate == pytest.approx(k / x.mean(), rel=1e-12)


def test_normal_fisher_information_is_the_covariance_of_the_score():
    """Monte Carlo with 400 000 observations: each entry within five standard errors."""
    mu, sigma = 1.0, 2.0
    x = np.random.default_rng(306).normal(mu, sigma, 400_000)
    scores = np.stack([(x - mu) / sigma**2, -1 / sigma + (x - mu) ** 2 / sigma**3], axis=1)
    products = scores[:, :, None] * scores[:, None, :]
    standard_error = products.std(axis=0) / np.sqrt(x.size)
    assert np.all(np.abs(products.mean(axis=0) - normal_fisher_information(sigma)) < 5 * standard_error + 1e-12)


def test_wald_interval_is_scipy_normal_interval_around_the_mle():
    x = np.random.default_rng(307).normal(10, 3, 25)
    expected = stats.norm.interval(0.9, loc=x.mean(), scale=x.std() / np.sqrt(x.size))
    np.testing.assert_allclose(wald_interval_mu(x, level=0.9), expected, rtol=1e-12)


def test_wald_interval_covers_the_true_mean_about_95_percent_of_the_time():
    """4000 samples of size 100: coverage within 0.02 of 0.95 (the Monte Carlo SE is 0.0034)."""
    rng = np.random.default_rng(308)
    covered = [lo <= 5.0 <= hi for lo, hi in (wald_interval_mu(rng.normal(5.0, 2.0, 100)) for _ in range(4000))]
    assert abs(np.mean(covered) - 0.95) < 0.02


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: gradient_ascent(lambda t: t, [0.0], 0.0, 3), "learning_rate must be positive"),
        (lambda: gradient_ascent(lambda t: t, [0.0], 0.1, -1), "n_steps must be non-negative"),
        (lambda: gamma_log_likelihood([1.0], 0.0, 1.0), "shape must be positive"),
        (lambda: gamma_log_likelihood([1.0], 1.0, -1.0), "rate must be positive"),
        (lambda: gamma_mle([]), "x must hold at least one observation"),
        (lambda: gamma_mle([1.0, -2.0]), "x must hold only positive values"),
        (lambda: gamma_mle([2.0, 2.0]), "x must not have all values equal"),
        (lambda: normal_fisher_information(0.0), "sigma must be positive"),
        (lambda: wald_interval_mu([1.0], level=1.0), r"level must be in \(0, 1\)"),
        (lambda: wald_interval_mu([]), "x must hold at least one observation"),
    ],
)
def test_parameters_outside_their_space_are_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()
