"""Closed-form maximum likelihood for everyday distributions (assignment 02)."""

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special


def bernoulli_log_likelihood(x: ArrayLike, p: float) -> float:
    """Log-likelihood of 0/1 outcomes under Bernoulli(p).

    Parameters
    ----------
    x : array-like of shape (n,)
        Outcomes, each 0 or 1.
    p : float
        Probability of a 1, in [0, 1].

    Returns
    -------
    float
        s log(p) + (n - s) log(1 - p) with s = sum(x), taking 0 * log(0) = 0.

    Raises
    ------
    ValueError
        If p is outside [0, 1].

    Examples
    --------
    >>> bernoulli_log_likelihood([1, 1, 1], p=1.0)  # certain and right: log(1) = 0
    0.0
    """
    if not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1], got p={p!r}")
    x = np.asarray(x, dtype=float)
    s = np.sum(x)
    return float(special.xlogy(s, p) + special.xlogy(x.size - s, 1 - p))


def bernoulli_mle(x: ArrayLike) -> float:
    """Maximum likelihood estimate of p: the proportion of ones.

    Parameters
    ----------
    x : array-like of shape (n,)
        Outcomes, each 0 or 1, n >= 1.

    Returns
    -------
    float
        The sample mean.

    Raises
    ------
    ValueError
        If x is empty.

    Examples
    --------
    >>> bernoulli_mle([1, 0, 0, 1])
    0.5
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must hold at least one observation, got an empty array")
    return float(np.mean(x))


def poisson_log_likelihood(k: ArrayLike, lam: float) -> float:
    """Log-likelihood of counts under Poisson(lam).

    Parameters
    ----------
    k : array-like of shape (n,)
        Non-negative integer counts.
    lam : float
        Rate, > 0.

    Returns
    -------
    float
        sum(k log(lam) - lam - log(k!)), with log(k!) = gammaln(k + 1).

    Raises
    ------
    ValueError
        If lam <= 0.

    Examples
    --------
    >>> poisson_log_likelihood([0], lam=2.0)  # P(K = 0) = exp(-2)
    -2.0
    """
    if not lam > 0:
        raise ValueError(f"lam must be positive, got lam={lam!r}")
    k = np.asarray(k, dtype=float)
    return float(np.sum(k * np.log(lam) - lam - special.gammaln(k + 1)))


def poisson_mle(k: ArrayLike) -> float:
    """Maximum likelihood estimate of the Poisson rate: the mean count.

    Parameters
    ----------
    k : array-like of shape (n,)
        Non-negative integer counts, n >= 1.

    Returns
    -------
    float
        The sample mean.

    Raises
    ------
    ValueError
        If k is empty.

    Examples
    --------
    >>> poisson_mle([2, 3, 7])
    4.0
    """
    k = np.asarray(k, dtype=float)
    if k.size == 0:
        raise ValueError("k must hold at least one count, got an empty array")
    return float(np.mean(k))


def exponential_log_likelihood(x: ArrayLike, rate: float) -> float:
    """Log-likelihood of waiting times under Exponential(rate).

    Parameters
    ----------
    x : array-like of shape (n,)
        Observations; the density is zero below 0.
    rate : float
        Rate lambda, > 0 (the mean is 1 / rate).

    Returns
    -------
    float
        n log(rate) - rate sum(x), or -inf if any observation is negative.

    Raises
    ------
    ValueError
        If rate <= 0.

    Examples
    --------
    >>> exponential_log_likelihood([1.0, 3.0], rate=0.5)  # 2 log(0.5) - 2
    -3.386294361119891
    """
    if not rate > 0:
        raise ValueError(f"rate must be positive, got rate={rate!r}")
    x = np.asarray(x, dtype=float)
    if np.any(x < 0):
        return -np.inf
    return float(x.size * np.log(rate) - rate * np.sum(x))


def exponential_mle(x: ArrayLike) -> float:
    """Maximum likelihood estimate of the exponential rate: 1 / mean.

    Parameters
    ----------
    x : array-like of shape (n,)
        Non-negative observations, n >= 1.

    Returns
    -------
    float
        1 / x_bar (a rate, not a mean waiting time).

    Raises
    ------
    ValueError
        If x is empty.

    Examples
    --------
    >>> exponential_mle([1.0, 3.0])
    0.5
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must hold at least one observation, got an empty array")
    return float(1 / np.mean(x))


def uniform_mle(x: ArrayLike) -> float:
    """Maximum likelihood estimate of theta for U(0, theta): the sample maximum.

    The likelihood theta^(-n) is zero for theta < max(x) and decreasing above
    it, so the maximum sits on the boundary, where the score is not zero.

    Parameters
    ----------
    x : array-like of shape (n,)
        Observations in [0, theta], n >= 1.

    Returns
    -------
    float
        max(x).

    Raises
    ------
    ValueError
        If x is empty.

    Examples
    --------
    >>> uniform_mle([0.2, 1.7, 0.9])
    1.7
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must hold at least one observation, got an empty array")
    return float(np.max(x))


def laplace_mle(x: ArrayLike) -> tuple[float, float]:
    """Maximum likelihood estimates (location, scale) of a Laplace sample.

    Parameters
    ----------
    x : array-like of shape (n,)
        Observations, n >= 1.

    Returns
    -------
    location : float
        The sample median (it minimises the sum of absolute deviations).
    scale : float
        mean(|x - median|).

    Raises
    ------
    ValueError
        If x is empty.

    Examples
    --------
    >>> laplace_mle([1.0, 2.0, 7.0])
    (2.0, 2.0)
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must hold at least one observation, got an empty array")
    location = np.median(x)
    scale = np.mean(np.abs(x - location))
    return float(location), float(scale)


def categorical_mle(x: ArrayLike, n_categories: int) -> NDArray[np.float64]:
    """Maximum likelihood estimate of categorical probabilities: the proportions.

    Parameters
    ----------
    x : array-like of shape (n,)
        Integer labels in 0, ..., n_categories - 1, n >= 1.
    n_categories : int
        Number of categories K, >= 1; categories that never occur get 0.

    Returns
    -------
    ndarray of shape (n_categories,)
        The proportion of each label; the entries sum to 1.

    Raises
    ------
    ValueError
        If n_categories < 1, x is empty or a label is outside 0..K-1.

    Examples
    --------
    >>> categorical_mle([0, 2, 2, 0], n_categories=4)
    array([0.5, 0. , 0.5, 0. ])
    """
    if n_categories < 1:
        raise ValueError(f"n_categories must be at least 1, got n_categories={n_categories!r}")
    labels = np.asarray(x, dtype=int)
    if labels.size == 0:
        raise ValueError("x must hold at least one label, got an empty array")
    if np.any((labels < 0) | (labels >= n_categories)):
        raise ValueError(f"x must hold labels 0..{n_categories - 1}, got labels outside that range")
    return np.bincount(labels, minlength=n_categories) / labels.size
