"""Ada: everything right, vectorised NumPy and scipy.special."""

import numpy as np
from scipy.special import expit


def linear_regression_nll(w, sigma, X, y):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    r = y - X @ np.asarray(w, dtype=float)
    n = len(y)
    return float(n * np.log(sigma) + 0.5 * n * np.log(2 * np.pi) + r @ r / (2 * sigma**2))


def linear_regression_mle(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if len(y) == 0:
        raise ValueError("y is empty")
    w, *_ = np.linalg.lstsq(X, y, rcond=None)
    r = y - X @ w
    return w, float(np.sqrt(r @ r / len(y)))


def logistic_nll(w, X, y):
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    return float(np.sum(np.logaddexp(0, z) - np.asarray(y) * z))


def logistic_gradient(w, X, y):
    X = np.asarray(X, dtype=float)
    return X.T @ (expit(X @ np.asarray(w, dtype=float)) - np.asarray(y))


def fit_logistic(X, y, learning_rate, n_steps, X_val=None, y_val=None):
    if learning_rate <= 0:
        raise ValueError("learning_rate must be positive")
    if n_steps < 0:
        raise ValueError("n_steps must be non-negative")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.zeros(X.shape[1])

    def mean_loss(w, X, y):
        z = np.asarray(X, dtype=float) @ w
        return float(np.mean(np.logaddexp(0, z) - np.asarray(y) * z))

    train_loss = [mean_loss(w, X, y)]
    val_loss = None if X_val is None else [mean_loss(w, X_val, y_val)]
    for _ in range(n_steps):
        w = w - learning_rate * X.T @ (expit(X @ w) - y) / len(y)
        train_loss.append(mean_loss(w, X, y))
        if val_loss is not None:
            val_loss.append(mean_loss(w, X_val, y_val))
    return w, np.array(train_loss), None if val_loss is None else np.array(val_loss)


def ridge_map(X, y, lam):
    if lam < 0:
        raise ValueError("lam must be non-negative")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)
