"""Regression losses (assignment 04) against scipy densities, optimisers and augmented least squares."""

import numpy as np
import pytest
from scipy import optimize, special, stats

from solutions import (
    fit_logistic,
    linear_regression_mle,
    linear_regression_nll,
    logistic_gradient,
    logistic_nll,
    ridge_map,
)


def _linear_data(seed, n=60, d=3):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.normal(size=(n, d - 1))])
    return X, X @ rng.normal(size=d) + rng.normal(0, 0.5, n)


def test_linear_nll_is_minus_the_sum_of_scipy_logpdf():
    X, y = _linear_data(401)
    w = np.array([0.1, -0.2, 0.3])
    expected = -np.sum(stats.norm.logpdf(y, loc=X @ w, scale=0.7))
    assert linear_regression_nll(w, 0.7, X, y) == pytest.approx(expected, rel=1e-12)


def test_linear_mle_minimises_the_nll_numerically():
    X, y = _linear_data(402)
    w_hat, sigma_hat = linear_regression_mle(X, y)
    best = optimize.minimize(
        lambda p: linear_regression_nll(p[:-1], np.exp(p[-1]), X, y),
        np.zeros(4),
        method="BFGS",
        options={"gtol": 1e-10},
    )
    np.testing.assert_allclose(w_hat, best.x[:-1], rtol=1e-4, atol=1e-6)
    assert sigma_hat == pytest.approx(np.exp(best.x[-1]), rel=1e-4)
    assert linear_regression_nll(w_hat, sigma_hat, X, y) <= best.fun + 1e-9


def test_linear_mle_residuals_are_orthogonal_to_the_columns():
    X, y = _linear_data(403)
    w_hat, _ = linear_regression_mle(X, y)
    np.testing.assert_allclose(X.T @ (y - X @ w_hat), 0.0, atol=1e-9)


def test_logistic_nll_is_minus_the_sum_of_bernoulli_logpmf():
    rng = np.random.default_rng(404)
    X, w = rng.normal(size=(50, 2)), np.array([0.8, -1.2])
    y = rng.binomial(1, special.expit(X @ w))
    expected = -np.sum(stats.bernoulli.logpmf(y, special.expit(X @ w)))
    assert logistic_nll(w, X, y) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize(
    ("margin", "label", "expected"), [(1e4, 1, 0.0), (1e4, 0, 1e4), (-1e4, 0, 0.0), (-1e4, 1, 1e4)]
)
def test_logistic_nll_is_finite_for_margins_up_to_1e4(margin, label, expected):
    assert logistic_nll([margin], [[1.0]], [label]) == pytest.approx(expected, abs=1e-12)


def test_logistic_gradient_matches_central_differences():
    rng = np.random.default_rng(405)
    X, y, w, h = rng.normal(size=(40, 3)), rng.integers(0, 2, 40), rng.normal(size=3), 1e-6
    numeric = [(logistic_nll(w + h * e, X, y) - logistic_nll(w - h * e, X, y)) / (2 * h) for e in np.eye(3)]
    np.testing.assert_allclose(logistic_gradient(w, X, y), numeric, rtol=1e-6)


def test_fit_logistic_descends_to_the_scipy_optimum():
    rng = np.random.default_rng(406)
    X = np.column_stack([np.ones(200), rng.normal(size=200)])
    y = rng.binomial(1, special.expit(X @ [0.5, -1.0]))
    w, train_loss, val_loss = fit_logistic(X, y, learning_rate=1.0, n_steps=3000)
    best = optimize.minimize(lambda v: logistic_nll(v, X, y) / len(y), np.zeros(2), method="BFGS")
    np.testing.assert_allclose(w, best.x, rtol=1e-4)
    assert train_loss.shape == (3001,)
    assert train_loss[0] == pytest.approx(np.log(2))
    assert np.all(np.diff(train_loss) <= 1e-15)
    assert train_loss[-1] == pytest.approx(logistic_nll(w, X, y) / len(y))
    assert val_loss is None


def test_fit_logistic_tracks_the_validation_loss_at_the_same_steps():
    rng = np.random.default_rng(407)
    X, X_val = rng.normal(size=(30, 2)), rng.normal(size=(10, 2))
    y, y_val = rng.integers(0, 2, 30), rng.integers(0, 2, 10)
    w, train_loss, val_loss = fit_logistic(X, y, 0.5, 5, X_val, y_val)
    assert val_loss.shape == train_loss.shape == (6,)
    assert val_loss[0] == pytest.approx(np.log(2))
    assert val_loss[-1] == pytest.approx(logistic_nll(w, X_val, y_val) / 10)


def test_ridge_map_is_least_squares_on_augmented_data():
    X, y = _linear_data(408)
    lam = 3.0
    X_aug = np.vstack([X, np.sqrt(lam) * np.eye(3)])
    y_aug = np.concatenate([y, np.zeros(3)])
    np.testing.assert_allclose(ridge_map(X, y, lam), np.linalg.lstsq(X_aug, y_aug, rcond=None)[0], rtol=1e-10)


def test_ridge_map_without_penalty_is_the_least_squares_mle():
    X, y = _linear_data(409)
    np.testing.assert_allclose(ridge_map(X, y, 0.0), linear_regression_mle(X, y)[0], rtol=1e-10)


def test_inputs_are_not_mutated():
    X, y = _linear_data(410)
    X0, y0 = X.copy(), y.copy()
    linear_regression_mle(X, y)
    ridge_map(X, y, 1.0)
    fit_logistic(X, (y > 0).astype(float), 0.1, 3)
    assert np.array_equal(X, X0) and np.array_equal(y, y0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: linear_regression_nll([1.0], 0.0, [[1.0]], [1.0]), "sigma must be positive"),
        (lambda: linear_regression_mle(np.empty((0, 2)), []), "y must hold at least one observation"),
        (lambda: fit_logistic([[1.0]], [1], 0.0, 3), "learning_rate must be positive"),
        (lambda: fit_logistic([[1.0]], [1], 0.1, -1), "n_steps must be non-negative"),
        (lambda: fit_logistic([[1.0]], [1], 0.1, 2, X_val=[[1.0]]), "X_val and y_val must be given together"),
        (lambda: ridge_map([[1.0]], [1.0], -1.0), "lam must be non-negative"),
    ],
)
def test_parameters_outside_their_space_are_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()
