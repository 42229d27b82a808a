"""Chen: everything right in other algebra: per-label log-sigmoids, augmented least squares for ridge."""

import numpy as np
from scipy import special, stats


def linear_regression_nll(w, sigma, X, y):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    mean = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    return -float(np.sum(stats.norm.logpdf(y, loc=mean, scale=sigma)))


def linear_regression_mle(X, y):
    if len(y) == 0:
        raise ValueError("y must not be empty")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    q, r = np.linalg.qr(X)
    w = np.linalg.solve(r, q.T @ y)
    return w, float(np.std(y - X @ w, mean=0.0))


def logistic_nll(w, X, y):
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    y = np.asarray(y, dtype=float)
    return float(-np.sum(y * special.log_expit(z) + (1 - y) * special.log_expit(-z)))


def logistic_gradient(w, X, y):
    X = np.asarray(X, dtype=float)
    residual = special.expit(X @ np.asarray(w, dtype=float)) - np.asarray(y, dtype=float)
    return np.einsum("i,ij->j", residual, X)


def fit_logistic(X, y, learning_rate, n_steps, X_val=None, y_val=None):
    if not learning_rate > 0 or n_steps < 0:
        raise ValueError(f"need learning_rate > 0 and n_steps >= 0, got learning_rate={learning_rate}, n_steps={n_steps}")
    X = np.asarray(X, dtype=float)
    w = np.zeros(X.shape[1])
    history, val_history = [], []
    for _ in range(n_steps):
        history.append(logistic_nll(w, X, y) / len(y))
        if X_val is not None:
            val_history.append(logistic_nll(w, X_val, y_val) / len(y_val))
        w = w - learning_rate * logistic_gradient(w, X, y) / len(y)
    history.append(logistic_nll(w, X, y) / len(y))
    if X_val is not None:
        val_history.append(logistic_nll(w, X_val, y_val) / len(y_val))
    return w, np.array(history), np.array(val_history) if X_val is not None else None


def ridge_map(X, y, lam):
    if lam < 0:
        raise ValueError("lam must be >= 0")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    d = X.shape[1]
    augmented_X = np.vstack([X, np.sqrt(lam) * np.eye(d)])
    augmented_y = np.concatenate([y, np.zeros(d)])
    return np.linalg.lstsq(augmented_X, augmented_y, rcond=None)[0]
