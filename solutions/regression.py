"""Regression losses as negative log-likelihoods (assignment 04)."""

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special


def linear_regression_nll(w: ArrayLike, sigma: float, X: ArrayLike, y: ArrayLike) -> float:
    """Negative log-likelihood of y = X w + Normal(0, sigma^2) noise.

    Parameters
    ----------
    w : array-like of shape (d,)
        Weights.
    sigma : float
        Noise standard deviation, > 0.
    X : array-like of shape (n, d)
        Design matrix.
    y : array-like of shape (n,)
        Targets.

    Returns
    -------
    float
        n log(sigma) + (n/2) log(2 pi) + ||y - X w||^2 / (2 sigma^2).

    Raises
    ------
    ValueError
        If sigma <= 0.

    Examples
    --------
    >>> round(linear_regression_nll([1.0], 1.0, [[1.0]], [1.0]), 6)  # log(2 pi) / 2
    0.918939
    """
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got sigma={sigma!r}")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    residuals = y - X @ np.asarray(w, dtype=float)
    n = y.size
    return float(n * np.log(sigma) + n / 2 * np.log(2 * np.pi) + residuals @ residuals / (2 * sigma**2))


def linear_regression_mle(X: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], float]:
    """Maximum likelihood estimates (w_hat, sigma_hat) of a Gaussian linear model.

    Parameters
    ----------
    X : array-like of shape (n, d)
        Design matrix, n >= 1.
    y : array-like of shape (n,)
        Targets.

    Returns
    -------
    w_hat : ndarray of shape (d,)
        Least squares weights.
    sigma_hat : float
        sqrt(RSS / n): divided by n, not n - d.

    Raises
    ------
    ValueError
        If there are no observations.

    Examples
    --------
    >>> w_hat, sigma_hat = linear_regression_mle([[1.0], [1.0]], [1.0, 3.0])
    >>> w_hat, sigma_hat
    (array([2.]), 1.0)
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if y.size == 0:
        raise ValueError("y must hold at least one observation, got an empty array")
    w_hat = np.linalg.lstsq(X, y, rcond=None)[0]
    residuals = y - X @ w_hat
    return w_hat, float(np.sqrt(residuals @ residuals / y.size))


def logistic_nll(w: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
    """Negative log-likelihood of logistic regression, stable for large margins.

    Parameters
    ----------
    w : array-like of shape (d,)
        Weights.
    X : array-like of shape (n, d)
        Design matrix.
    y : array-like of shape (n,)
        Labels, each 0 or 1.

    Returns
    -------
    float
        sum(log(1 + exp(x_i . w)) - y_i x_i . w), finite for |x_i . w| up to 1e4.

    Examples
    --------
    >>> logistic_nll([1e4], [[1.0]], [1])  # confident and right: no loss
    0.0
    """
    margins = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    y = np.asarray(y, dtype=float)
    return float(np.sum(np.logaddexp(0, margins) - y * margins))


def logistic_gradient(w: ArrayLike, X: ArrayLike, y: ArrayLike) -> NDArray[np.float64]:
    """Gradient of the logistic negative log-likelihood with respect to w.

    Parameters
    ----------
    w : array-like of shape (d,)
        Weights.
    X : array-like of shape (n, d)
        Design matrix.
    y : array-like of shape (n,)
        Labels, each 0 or 1.

    Returns
    -------
    ndarray of shape (d,)
        X^T (sigmoid(X w) - y).

    Examples
    --------
    >>> logistic_gradient([0.0], [[2.0]], [1])  # 2 * (1/2 - 1)
    array([-1.])
    """
    X = np.asarray(X, dtype=float)
    margins = X @ np.asarray(w, dtype=float)
    return X.T @ (special.expit(margins) - np.asarray(y, dtype=float))


def fit_logistic(
    X: ArrayLike,
    y: ArrayLike,
    learning_rate: float,
    n_steps: int,
    X_val: ArrayLike | None = None,
    y_val: ArrayLike | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64] | None]:
    """Fit logistic regression by gradient descent on the mean NLL from w = 0.

    Parameters
    ----------
    X : array-like of shape (n, d)
        Training design matrix.
    y : array-like of shape (n,)
        Training labels, each 0 or 1.
    learning_rate : float
        Step size, > 0.
    n_steps : int
        Number of steps, >= 0.
    X_val : array-like of shape (m, d), default=None
        Validation design matrix.
    y_val : array-like of shape (m,), default=None
        Validation labels; given exactly when X_val is.

    Returns
    -------
    w : ndarray of shape (d,)
        Weights after n_steps steps w <- w - learning_rate * gradient / n.
    train_loss : ndarray of shape (n_steps + 1,)
        Mean training NLL before each step and after the last.
    val_loss : ndarray of shape (n_steps + 1,) or None
        Mean validation NLL at the same points, or None without validation data.

    Raises
    ------
    ValueError
        If learning_rate <= 0, n_steps < 0, or only one of X_val, y_val is given.

    Examples
    --------
    >>> w, train_loss, val_loss = fit_logistic([[1.0], [-1.0]], [1, 0], 1.0, 1)
    >>> bool(train_loss[1] < train_loss[0]), val_loss is None  # starts at log(2)
    (True, True)
    """
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got learning_rate={learning_rate!r}")
    if n_steps < 0:
        raise ValueError(f"n_steps must be non-negative, got n_steps={n_steps!r}")
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.zeros(X.shape[1])
    train_loss = [logistic_nll(w, X, y) / y.size]
    val_loss = None if X_val is None else [logistic_nll(w, X_val, y_val) / len(y_val)]
    for _ in range(n_steps):
        w = w - learning_rate * logistic_gradient(w, X, y) / y.size
        train_loss.append(logistic_nll(w, X, y) / y.size)
        if val_loss is not None:
            val_loss.append(logistic_nll(w, X_val, y_val) / len(y_val))
    return w, np.array(train_loss), None if val_loss is None else np.array(val_loss)


def ridge_map(X: ArrayLike, y: ArrayLike, lam: float) -> NDArray[np.float64]:
    """MAP weights of a Gaussian linear model under a Gaussian prior (ridge).

    Parameters
    ----------
    X : array-like of shape (n, d)
        Design matrix.
    y : array-like of shape (n,)
        Targets.
    lam : float
        Penalty lambda = sigma^2 / tau^2 for the prior w ~ Normal(0, tau^2 I), >= 0.

    Returns
    -------
    ndarray of shape (d,)
        (X^T X + lam I)^-1 X^T y.

    Raises
    ------
    ValueError
        If lam < 0.

    Examples
    --------
    >>> ridge_map([[1.0], [1.0]], [1.0, 3.0], lam=2.0)  # 4 / (2 + 2)
    array([1.])
    """
    if not lam >= 0:
        raise ValueError(f"lam must be non-negative, got lam={lam!r}")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)
