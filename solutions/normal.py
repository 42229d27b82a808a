"""Maximum likelihood for the Normal distribution N(mu, sigma^2) (assignment 01)."""

import numpy as np
from numpy.typing import ArrayLike, NDArray


def normal_log_likelihood(x: ArrayLike, mu: float, sigma: float) -> float:
    """Log-likelihood of i.i.d. observations under N(mu, sigma^2).

    Parameters
    ----------
    x : array-like of shape (n,)
        Observations.
    mu : float
        Mean.
    sigma : float
        Standard deviation, > 0.

    Returns
    -------
    float
        -n log(sigma) - (n/2) log(2 pi) - sum((x - mu)^2) / (2 sigma^2).

    Raises
    ------
    ValueError
        If sigma <= 0.

    Examples
    --------
    >>> round(normal_log_likelihood([0.0], mu=0.0, sigma=1.0), 6)  # -log(2 pi) / 2
    -0.918939
    """
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got sigma={sigma!r}")
    x = np.asarray(x, dtype=float)
    n = x.size
    squares = np.sum((x - mu) ** 2)
    return float(-n * np.log(sigma) - n / 2 * np.log(2 * np.pi) - squares / (2 * sigma**2))


def normal_score(x: ArrayLike, mu: float, sigma: float) -> NDArray[np.float64]:
    """Gradient of the Normal log-likelihood with respect to (mu, sigma).

    Parameters
    ----------
    x : array-like of shape (n,)
        Observations.
    mu : float
        Mean.
    sigma : float
        Standard deviation, > 0.

    Returns
    -------
    ndarray of shape (2,)
        [sum(x - mu) / sigma^2, -n / sigma + sum((x - mu)^2) / sigma^3].

    Raises
    ------
    ValueError
        If sigma <= 0.

    Examples
    --------
    >>> normal_score([1.0, 3.0], mu=2.0, sigma=1.0)
    array([0., 0.])
    """
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got sigma={sigma!r}")
    x = np.asarray(x, dtype=float)
    n = x.size
    d_mu = np.sum(x - mu) / sigma**2
    d_sigma = -n / sigma + np.sum((x - mu) ** 2) / sigma**3
    return np.array([d_mu, d_sigma])


def normal_mle(x: ArrayLike) -> tuple[float, float]:
    """Maximum likelihood estimates (mu_hat, sigma_hat) of a Normal sample.

    Parameters
    ----------
    x : array-like of shape (n,)
        Observations, n >= 1.

    Returns
    -------
    mu_hat : float
        The sample mean.
    sigma_hat : float
        sqrt(sum((x - mu_hat)^2) / n): divided by n, not n - 1.

    Raises
    ------
    ValueError
        If x is empty.

    Examples
    --------
    >>> normal_mle([1.0, 2.0, 3.0, 4.0, 5.0])  # sigma_hat = sqrt(10 / 5)
    (3.0, 1.4142135623730951)
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must hold at least one observation, got an empty array")
    mu_hat = np.mean(x)
    sigma_hat = np.sqrt(np.mean((x - mu_hat) ** 2))
    return float(mu_hat), float(sigma_hat)


def simulate_sigma2_hat(n: int, mu: float, sigma: float, n_reps: int, rng: np.random.Generator) -> NDArray[np.float64]:
    """Sampling distribution of the MLE variance, by simulation.

    Draws ``n_reps`` independent samples of size ``n`` from N(mu, sigma^2) with
    ``rng`` and returns the MLE variance of each. Their mean is close to
    (n - 1) / n * sigma^2: the MLE of sigma^2 is biased low.

    Parameters
    ----------
    n : int
        Size of each sample, >= 1.
    mu : float
        True mean.
    sigma : float
        True standard deviation, > 0.
    n_reps : int
        Number of simulated samples, >= 1.
    rng : numpy.random.Generator
        Source of randomness; the same seed gives the same result.

    Returns
    -------
    ndarray of shape (n_reps,)
        One sigma_hat^2 = mean((x - x_bar)^2) per simulated sample.

    Raises
    ------
    ValueError
        If n < 1, sigma <= 0 or n_reps < 1.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> simulate_sigma2_hat(n=1, mu=0.0, sigma=1.0, n_reps=3, rng=rng)  # one point: no spread
    array([0., 0., 0.])
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got n={n!r}")
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got sigma={sigma!r}")
    if n_reps < 1:
        raise ValueError(f"n_reps must be at least 1, got n_reps={n_reps!r}")
    samples = rng.normal(loc=mu, scale=sigma, size=(n_reps, n))
    return np.var(samples, axis=1)
