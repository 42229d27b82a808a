"""Numerical maximum likelihood when no closed form exists (assignment 03)."""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats


def gradient_ascent(
    score: Callable[[NDArray[np.float64]], ArrayLike],
    theta0: ArrayLike,
    learning_rate: float,
    n_steps: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Maximise a log-likelihood by fixed-step gradient ascent.

    Parameters
    ----------
    score : callable
        ``score(theta)`` returns the gradient of the log-likelihood at theta.
    theta0 : array-like of shape (d,)
        Starting point.
    learning_rate : float
        Step size, > 0.
    n_steps : int
        Number of steps, >= 0.

    Returns
    -------
    theta : ndarray of shape (d,)
        The last iterate, theta_{t+1} = theta_t + learning_rate * score(theta_t).
    history : ndarray of shape (n_steps + 1, d)
        Every iterate, starting with theta0.

    Raises
    ------
    ValueError
        If learning_rate <= 0 or n_steps < 0.

    Examples
    --------
    >>> theta, history = gradient_ascent(lambda t: -t, [4.0], learning_rate=0.5, n_steps=2)
    >>> history.ravel()
    array([4., 2., 1.])
    """
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got learning_rate={learning_rate!r}")
    if n_steps < 0:
        raise ValueError(f"n_steps must be non-negative, got n_steps={n_steps!r}")
    theta = np.array(theta0, dtype=float).ravel()
    history = np.empty((n_steps + 1, theta.size))
    history[0] = theta
    for t in range(n_steps):
        theta = theta + learning_rate * np.asarray(score(theta), dtype=float).ravel()
        history[t + 1] = theta
    return theta.copy(), history


def newton_raphson(
    score: Callable[[NDArray[np.float64]], ArrayLike],
    hessian: Callable[[NDArray[np.float64]], ArrayLike],
    theta0: ArrayLike,
    tol: float = 1e-10,
    max_iter: int = 100,
) -> NDArray[np.float64]:
    """Find a stationary point of a log-likelihood by Newton-Raphson.

    Parameters
    ----------
    score : callable
        ``score(theta)`` returns the gradient, shape (d,).
    hessian : callable
        ``hessian(theta)`` returns the matrix of second derivatives, shape (d, d).
    theta0 : array-like of shape (d,)
        Starting point.
    tol : float, default=1e-10
        Stop once the Newton step has Euclidean norm below tol.
    max_iter : int, default=100
        Most steps to take.

    Returns
    -------
    ndarray of shape (d,)
        theta after steps theta <- theta - H^-1 score.

    Raises
    ------
    RuntimeError
        If the step norm is still >= tol after max_iter steps.

    Examples
    --------
    >>> newton_raphson(lambda t: 3 - t, lambda t: [[-1.0]], [0.0])  # maximum of -(t - 3)^2 / 2
    array([3.])
    """
    theta = np.array(theta0, dtype=float).ravel()
    for _ in range(max_iter):
        gradient = np.asarray(score(theta), dtype=float).ravel()
        curvature = np.atleast_2d(np.asarray(hessian(theta), dtype=float))
        step = np.linalg.solve(curvature, gradient)
        theta = theta - step
        if np.linalg.norm(step) < tol:
            return theta
    raise RuntimeError(f"Newton-Raphson did not converge in max_iter={max_iter} steps")


def gamma_log_likelihood(x: ArrayLike, shape: float, rate: float) -> float:
    """Log-likelihood of positive observations under Gamma(shape k, rate beta).

    Parameters
    ----------
    x : array-like of shape (n,)
        Observations; the density is zero below 0.
    shape : float
        Shape k, > 0.
    rate : float
        Rate beta, > 0 (the mean is k / beta).

    Returns
    -------
    float
        n (k log(beta) - log Gamma(k)) + (k - 1) sum(log x) - beta sum(x),
        or -inf if any observation is negative.

    Raises
    ------
    ValueError
        If shape <= 0 or rate <= 0.

    Examples
    --------
    >>> gamma_log_likelihood([1.0, 3.0], shape=1.0, rate=0.5)  # Gamma(1, b) is Exponential(b)
    -3.386294361119891
    """
    if not shape > 0:
        raise ValueError(f"shape must be positive, got shape={shape!r}")
    if not rate > 0:
        raise ValueError(f"rate must be positive, got rate={rate!r}")
    x = np.asarray(x, dtype=float)
    if np.any(x < 0):
        return -np.inf
    n = x.size
    return float(
        n * (shape * np.log(rate) - special.gammaln(shape)) + np.sum(special.xlogy(shape - 1, x)) - rate * np.sum(x)
    )


def gamma_mle(x: ArrayLike) -> tuple[float, float]:
    """Maximum likelihood estimates (shape, rate) of a Gamma sample.

    The score equations reduce to log(k) - digamma(k) = s with
    s = log(mean(x)) - mean(log(x)) > 0, solved by Newton's method from
    Minka's closed-form approximation; then rate = k / mean(x).

    Parameters
    ----------
    x : array-like of shape (n,)
        Positive observations, not all equal.

    Returns
    -------
    shape : float
        k_hat.
    rate : float
        beta_hat = k_hat / mean(x).

    Raises
    ------
    ValueError
        If x is empty, holds a value <= 0, or all its values are equal.

    Examples
    --------
    >>> k, beta = gamma_mle([1.0, 2.0, 4.0])
    >>> round(k, 4), round(beta, 4)
    (3.4012, 1.4577)
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must hold at least one observation, got an empty array")
    if np.any(x <= 0):
        raise ValueError("x must hold only positive values for the Gamma distribution")
    s = np.log(np.mean(x)) - np.mean(np.log(x))
    if not s > 0:
        raise ValueError("x must not have all values equal: the Gamma MLE does not exist")
    k = (3 - s + np.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s)
    for _ in range(100):
        f = np.log(k) - special.digamma(k) - s
        f_prime = 1 / k - special.polygamma(1, k)
        step = f / f_prime
        k = max(k - step, k / 2)
        if abs(step) < 1e-12 * k:
            break
    return float(k), float(k / np.mean(x))


def normal_fisher_information(sigma: float) -> NDArray[np.float64]:
    """Per-observation Fisher information of N(mu, sigma^2) in (mu, sigma).

    Parameters
    ----------
    sigma : float
        Standard deviation, > 0.

    Returns
    -------
    ndarray of shape (2, 2)
        diag(1 / sigma^2, 2 / sigma^2).

    Raises
    ------
    ValueError
        If sigma <= 0.

    Examples
    --------
    >>> normal_fisher_information(0.5)
    array([[4., 0.],
           [0., 8.]])
    """
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got sigma={sigma!r}")
    return np.diag([1 / sigma**2, 2 / sigma**2])


def wald_interval_mu(x: ArrayLike, level: float = 0.95) -> tuple[float, float]:
    """Wald confidence interval for the mean of a Normal sample.

    Parameters
    ----------
    x : array-like of shape (n,)
        Observations, n >= 1.
    level : float, default=0.95
        Confidence level, in (0, 1).

    Returns
    -------
    lo, hi : float
        mu_hat -/+ z * sigma_hat / sqrt(n), with the MLE sigma_hat (divided by
        n) and z the (1 + level) / 2 quantile of the standard normal.

    Raises
    ------
    ValueError
        If x is empty or level is outside (0, 1).

    Examples
    --------
    >>> lo, hi = wald_interval_mu([1.0, 3.0])  # mu_hat = 2, sigma_hat = 1, n = 2
    >>> round(lo, 4), round(hi, 4)
    (0.6141, 3.3859)
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got level={level!r}")
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must hold at least one observation, got an empty array")
    mu_hat = np.mean(x)
    sigma_hat = np.sqrt(np.mean((x - mu_hat) ** 2))
    z = stats.norm.ppf((1 + level) / 2)
    half_width = z * sigma_hat / np.sqrt(x.size)
    return float(mu_hat - half_width), float(mu_hat + half_width)
