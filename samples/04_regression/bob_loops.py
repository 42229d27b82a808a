"""Bob: everything right, written with loops over samples and the normal equations."""

import math

import numpy as np


def linear_regression_nll(w, sigma, X, y):
    if sigma <= 0:
        raise ValueError(f"sigma must be > 0, got {sigma}")
    total = 0.0
    for xi, yi in zip(X, y):
        prediction = sum(a * b for a, b in zip(xi, w))
        total += math.log(sigma) + 0.5 * math.log(2 * math.pi) + (yi - prediction) ** 2 / (2 * sigma**2)
    return total


def linear_regression_mle(X, y):
    if len(y) == 0:
        raise ValueError("y has no observations")
    X, y = np.array(X, dtype=float), np.array(y, dtype=float)
    w = np.linalg.pinv(X) @ y
    rss = sum((yi - xi @ w) ** 2 for xi, yi in zip(X, y))
    return w, math.sqrt(rss / len(y))


def _softplus(z):
    return z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))


def logistic_nll(w, X, y):
    total = 0.0
    for xi, yi in zip(X, y):
        z = sum(a * b for a, b in zip(xi, w))
        total += _softplus(z) - yi * z
    return total


def logistic_gradient(w, X, y):
    gradient = np.zeros(len(w))
    for xi, yi in zip(X, y):
        z = sum(a * b for a, b in zip(xi, w))
        p = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
        gradient += (p - yi) * np.asarray(xi, dtype=float)
    return gradient


def fit_logistic(X, y, learning_rate, n_steps, X_val=None, y_val=None):
    if learning_rate <= 0:
        raise ValueError("learning_rate must be > 0")
    if n_steps < 0:
        raise ValueError("n_steps must be >= 0")
    w = np.zeros(len(X[0]))
    train_loss, val_loss = [], [] if X_val is not None else None
    for step in range(n_steps + 1):
        train_loss.append(logistic_nll(w, X, y) / len(y))
        if val_loss is not None:
            val_loss.append(logistic_nll(w, X_val, y_val) / len(y_val))
        if step < n_steps:
            w = w - learning_rate * logistic_gradient(w, X, y) / len(y)
    return w, np.array(train_loss), None if val_loss is None else np.array(val_loss)


def ridge_map(X, y, lam):
    if lam < 0:
        raise ValueError("lam must be >= 0")
    X, y = np.array(X, dtype=float), np.array(y, dtype=float)
    d = X.shape[1]
    A = X.T @ X
    for j in range(d):
        A[j, j] += lam
    return np.linalg.solve(A, X.T @ y)
