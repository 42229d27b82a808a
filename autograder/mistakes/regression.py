"""Known mistakes of assignment 04, regression losses as negative log-likelihoods."""

import numpy as np
from scipy import special

from autograder.mistakes.base import Mistake, computes, overflows


def _arrays(*values):
    return [np.asarray(v, dtype=float) for v in values]


def _rss(w, X, y):
    w, X, y = _arrays(w, X, y)
    r = y - X @ w
    return r @ r


def _nll(w, sigma, X, y):
    n = np.asarray(y).size
    return n * np.log(sigma) + n / 2 * np.log(2 * np.pi) + _rss(w, X, y) / (2 * sigma**2)


def _lstsq(X, y):
    X, y = _arrays(X, y)
    return np.linalg.lstsq(X, y, rcond=None)[0]


def _logistic_nll(w, X, y):
    w, X, y = _arrays(w, X, y)
    z = X @ w
    return np.sum(np.logaddexp(0, z) - y * z)


def _logistic_gradient(w, X, y):
    w, X, y = _arrays(w, X, y)
    return X.T @ (special.expit(X @ w) - y)


def _descend(X, y, learning_rate, n_steps, mean_gradient=True):
    X, y = _arrays(X, y)
    w = np.zeros(X.shape[1])
    losses = [_logistic_nll(w, X, y)]
    for _ in range(n_steps):
        w = w - learning_rate * _logistic_gradient(w, X, y) / (y.size if mean_gradient else 1)
        losses.append(_logistic_nll(w, X, y))
    return w, np.array(losses)


def _ridge(X, y, penalty):
    X, y = _arrays(X, y)
    return np.linalg.solve(X.T @ X + penalty * np.eye(X.shape[1]), X.T @ y)


CATALOGUE: tuple[Mistake, ...] = (
    Mistake(
        "linear_regression_nll",
        "mean squared error instead of NLL",
        "Your value is the mean squared error ‖y - Xw‖²/n. The negative log-likelihood of the Gaussian model is "
        "n log σ + (n/2) log 2π + ‖y - Xw‖²/(2σ²): it has the same minimiser in w, but it also depends on σ.",
        computes(lambda w, sigma, X, y: _rss(w, X, y) / np.asarray(y).size),
    ),
    Mistake(
        "linear_regression_nll",
        "dropped 2 pi constant",
        "Your value is off by exactly (n/2) log 2π: the constant of the Normal density was dropped. Keep it.",
        computes(lambda w, sigma, X, y: _nll(w, sigma, X, y) - np.asarray(y).size / 2 * np.log(2 * np.pi)),
    ),
    Mistake(
        "linear_regression_nll",
        "log-likelihood instead of NLL",
        "Your value has the wrong sign: you returned the log-likelihood. The loss is its negative.",
        computes(lambda w, sigma, X, y: -_nll(w, sigma, X, y)),
    ),
    Mistake(
        "linear_regression_mle",
        "degrees of freedom n - d",
        "Your σ̂ divides the residual sum of squares by n - d (the unbiased estimate of regression courses). "
        "The MLE divides by n: σ̂ = sqrt(RSS / n).",
        computes(
            lambda X, y: (0, np.sqrt(_rss(_lstsq(X, y), X, y) / (np.asarray(y).size - np.shape(X)[1]))), component=1
        ),
    ),
    Mistake(
        "linear_regression_mle",
        "variance instead of standard deviation",
        "Your second value is the variance RSS/n; return its square root, the standard deviation σ̂.",
        computes(lambda X, y: (0, _rss(_lstsq(X, y), X, y) / np.asarray(y).size), component=1),
    ),
    Mistake(
        "logistic_nll",
        "overflowing logistic loss",
        "Your loss is inf or NaN for large margins: np.log(1 + np.exp(z)) overflows once z > 709, and "
        "log(sigmoid(z)) underflows to log(0). Use np.logaddexp(0, z) for log(1 + e^z): it is exact and finite "
        "for |z| up to 1e4 and beyond.",
        overflows(),
    ),
    Mistake(
        "logistic_nll",
        "mean instead of sum",
        "Your value is the average loss per sample; the spec asks for the sum over samples (fit_logistic uses "
        "the mean).",
        computes(lambda w, X, y: _logistic_nll(w, X, y) / np.asarray(y).size),
    ),
    Mistake(
        "logistic_nll",
        "log-likelihood instead of NLL",
        "Your value has the wrong sign: you returned the log-likelihood. The loss is its negative, ≥ 0.",
        computes(lambda w, X, y: -_logistic_nll(w, X, y)),
    ),
    Mistake(
        "logistic_gradient",
        "sign error",
        "Your gradient has the wrong sign: Xᵀ(y - σ(Xw)) is the gradient of the log-likelihood. The loss's "
        "gradient is Xᵀ(σ(Xw) - y), the direction that gradient descent steps against.",
        computes(lambda w, X, y: -_logistic_gradient(w, X, y)),
    ),
    Mistake(
        "logistic_gradient",
        "mean instead of sum",
        "Your gradient is divided by n: that is the gradient of the mean loss. The spec asks for the gradient of "
        "the summed NLL, Xᵀ(σ(Xw) - y).",
        computes(lambda w, X, y: _logistic_gradient(w, X, y) / np.asarray(y).size),
    ),
    Mistake(
        "fit_logistic",
        "summed loss in the histories",
        "Your weights are right but the losses are sums over samples. Record the mean NLL per sample, so that "
        "the training and validation curves are comparable whatever their sizes.",
        computes(
            lambda X, y, learning_rate, n_steps, X_val=None, y_val=None: (0, _descend(X, y, learning_rate, n_steps)[1]),
            component=1,
        ),
    ),
    Mistake(
        "fit_logistic",
        "summed gradient in the step",
        "Your steps use the gradient of the summed NLL; descend on the mean NLL (divide the gradient by n), "
        "as the spec asks, so that the learning rate does not depend on the data size.",
        computes(
            lambda X, y, learning_rate, n_steps, X_val=None, y_val=None: _descend(X, y, learning_rate, n_steps, False),
            component=0,
        ),
    ),
    Mistake(
        "ridge_map",
        "lambda over n",
        "Your weights match (XᵀX + (λ/n) I)⁻¹ Xᵀy: the penalty was divided by n. The MAP estimate is "
        "(XᵀX + λI)⁻¹ Xᵀy with λ = σ²/τ² as given.",
        computes(lambda X, y, lam: _ridge(X, y, lam / np.asarray(y).size)),
    ),
    Mistake(
        "ridge_map",
        "lambda times n",
        "Your weights match (XᵀX + nλ I)⁻¹ Xᵀy, the minimiser of the mean squared error plus λ‖w‖² "
        "(scikit-learn's convention differs too). Here the penalty is added to the summed squared error.",
        computes(lambda X, y, lam: _ridge(X, y, lam * np.asarray(y).size)),
    ),
    Mistake(
        "ridge_map",
        "penalty with the wrong sign",
        "Your weights match (XᵀX - λI)⁻¹ Xᵀy: the prior pulls the weights towards 0, so its term is +λI.",
        computes(lambda X, y, lam: _ridge(X, y, -lam)),
    ),
)
