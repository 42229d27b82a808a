"""Cole: copies the training-loss line for the validation loss and forgets to change X, y to X_val, y_val."""

import numpy as np
from scipy.special import expit

BASE = "ada_correct"


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
    val_loss = None if X_val is None else [mean_loss(w, X, y)]
    for _ in range(n_steps):
        w = w - learning_rate * X.T @ (expit(X @ w) - y) / len(y)
        train_loss.append(mean_loss(w, X, y))
        if val_loss is not None:
            val_loss.append(mean_loss(w, X, y))
    return w, np.array(train_loss), None if val_loss is None else np.array(val_loss)
