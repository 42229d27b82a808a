# Copied as written from R5's held-out class, /work/redteam/heldout3/answers.py (see tests/test_heldout_r5.py);
# only two noqa comments added (B905, zip without strict=), and R5's noqa for FURB136, a rule this project
# does not enable (RUF100), turned into a plain comment.
"""Held-out class R5: two plausible wrong answers and one unusual right answer per graded function.

Written from the course spec and the release notebooks only (never from the grader's catalogue of mistakes).
Every wrong answer keeps the spec's parameter checks, so that it fails for its misconception, not for a missing
ValueError. ANSWERS is a list of (function_name, label, is_right, intended_misconception, callable).
"""

import math
from collections import Counter
from functools import reduce

import numpy as np
from scipy import linalg, optimize, special, stats


# --------------------------------------------------------------------------------------------------------------
# small helpers a learner might write once at the top of a notebook
# --------------------------------------------------------------------------------------------------------------
def _positive(value, name):
    if not value > 0:
        raise ValueError(f"{name} must be > 0, got {value}")


def _nonempty(x, name):
    a = np.asarray(x, dtype=float)
    if a.size == 0:
        raise ValueError(f"{name} must not be empty")
    return a


def _lr_steps(learning_rate, n_steps):
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be > 0, got {learning_rate}")
    if n_steps < 0:
        raise ValueError(f"n_steps must be >= 0, got {n_steps}")


# ==============================================================================================================
# 01 normal_mle
# ==============================================================================================================
def nll_w1(x, mu, sigma):
    # MISCONCEPTION: constant n*log(2*pi) instead of (n/2)*log(2*pi) (forgot the square root of 2*pi)
    _positive(sigma, "sigma")
    x = np.asarray(x, dtype=float)
    n = x.size
    return float(-n * np.log(sigma) - n * np.log(2 * np.pi) - np.sum((x - mu) ** 2) / (2 * sigma**2))


def nll_w2(x, mu, sigma):
    # MISCONCEPTION: sigma used as the variance (log sigma halved, divides squares by 2*sigma not 2*sigma^2)
    _positive(sigma, "sigma")
    x = np.asarray(x, dtype=float)
    n = x.size
    return float(-n / 2 * np.log(sigma) - n / 2 * np.log(2 * np.pi) - np.sum((x - mu) ** 2) / (2 * sigma))


def nll_right(x, mu, sigma):
    # RIGHT: plain loop over the observations with math.log
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    total = 0.0
    for xi in list(np.asarray(x, dtype=float).ravel()):
        z = (xi - mu) / sigma
        total += -math.log(sigma) - 0.5 * math.log(2 * math.pi) - 0.5 * z * z
    return float(total)


def score_w1(x, mu, sigma):
    # MISCONCEPTION: second entry is the derivative with respect to sigma^2, not sigma
    _positive(sigma, "sigma")
    x = np.asarray(x, dtype=float)
    n = x.size
    return np.array([np.sum(x - mu) / sigma**2, -n / (2 * sigma**2) + np.sum((x - mu) ** 2) / (2 * sigma**4)])


def score_w2(x, mu, sigma):
    # MISCONCEPTION: sign error in d/dmu (chain rule's -1 dropped): sum(mu - x)/sigma^2
    _positive(sigma, "sigma")
    x = np.asarray(x, dtype=float)
    n = x.size
    return np.array([np.sum(mu - x) / sigma**2, -n / sigma + np.sum((x - mu) ** 2) / sigma**3])


def score_right(x, mu, sigma):
    # RIGHT: another algebraic form, n(xbar - mu)/sigma^2 and (S - n sigma^2)/sigma^3, with loops
    if sigma <= 0:
        raise ValueError("sigma must be > 0")
    values = [float(v) for v in np.asarray(x, dtype=float).ravel()]
    n = len(values)
    total = 0.0
    squares = 0.0
    for v in values:
        total += v - mu
        squares += (v - mu) ** 2
    return np.array([total / sigma**2, (squares - n * sigma**2) / sigma**3], dtype=float)


def nmle_w1(x):
    # MISCONCEPTION: unbiased sample standard deviation, divides by n - 1 instead of n
    x = _nonempty(x, "x")
    return float(np.mean(x)), float(np.std(x, ddof=1)) if x.size > 1 else float("nan")


def nmle_w2(x):
    # MISCONCEPTION: forgot to centre: sqrt(mean(x^2)) (deviations about 0, not about the mean)
    x = _nonempty(x, "x")
    return float(np.mean(x)), float(np.sqrt(np.mean(x**2)))


def nmle_right(x):
    # RIGHT: Welford's one-pass running mean and sum of squared deviations
    values = list(np.asarray(x, dtype=float).ravel())
    if not values:
        raise ValueError("x is empty: need at least one observation")
    mean = 0.0
    m2 = 0.0
    for count, v in enumerate(values, start=1):
        delta = v - mean
        mean += delta / count
        m2 += delta * (v - mean)
    return float(mean), float(math.sqrt(m2 / len(values)))


def _check_sim(n, sigma, n_reps):
    if n < 1:
        raise ValueError("n must be >= 1")
    _positive(sigma, "sigma")
    if n_reps < 1:
        raise ValueError("n_reps must be >= 1")


def sim_w1(n, mu, sigma, n_reps, rng):
    # MISCONCEPTION: returns sigma_hat (standard deviation), not its square (the variance)
    _check_sim(n, sigma, n_reps)
    return np.array([np.std(rng.normal(mu, sigma, size=n)) for _ in range(n_reps)])


def sim_w2(n, mu, sigma, n_reps, rng):
    # MISCONCEPTION: deviations about the true mu instead of the sample mean x_bar (so no bias appears)
    _check_sim(n, sigma, n_reps)
    return np.array([np.mean((rng.normal(mu, sigma, size=n) - mu) ** 2) for _ in range(n_reps)])


def sim_right(n, mu, sigma, n_reps, rng):
    # RIGHT: one (n_reps, n) matrix of standard normals, scaled and shifted, variance along rows
    if n < 1 or n_reps < 1:
        raise ValueError("n and n_reps must be >= 1")
    if sigma <= 0:
        raise ValueError("sigma must be > 0")
    samples = mu + sigma * rng.standard_normal((n_reps, n))
    centred = samples - samples.mean(axis=1, keepdims=True)
    return (centred**2).sum(axis=1) / n


# ==============================================================================================================
# 02 distributions
# ==============================================================================================================
def _check_p(p):
    if not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1], got {p}")


def bll_w1(x, p):
    # MISCONCEPTION: mean log-likelihood per observation instead of the sum
    _check_p(p)
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return 0.0
    s, n = x.sum(), x.size
    return float((special.xlogy(s, p) + special.xlogy(n - s, 1 - p)) / n)


def bll_w2(x, p):
    # MISCONCEPTION: 0 * log 0 not handled: plain s*log(p) gives nan at p = 0 or p = 1
    _check_p(p)
    x = np.asarray(x, dtype=float)
    s, n = x.sum(), x.size
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(s * np.log(p) + (n - s) * np.log(1 - p))


def bll_right(x, p):
    # RIGHT: loop, one Bernoulli term at a time, with the 0 log 0 = 0 convention by branching
    if p < 0 or p > 1:
        raise ValueError("p must lie in [0, 1]")
    total = 0.0
    for xi in np.asarray(x, dtype=float).ravel():
        prob = p if xi == 1 else 1 - p
        if prob == 0:
            return float("-inf")
        total += math.log(prob)
    return float(total)


def bmle_w1(x):
    # MISCONCEPTION: add-one (Laplace) smoothing (s + 1)/(n + 2): a Beta-prior MAP, not the MLE
    x = _nonempty(x, "x")
    return float((x.sum() + 1) / (x.size + 2))


def bmle_w2(x):
    # MISCONCEPTION: the count of ones s (sum) instead of the proportion s/n (mean)
    x = _nonempty(x, "x")
    return float(x.sum())


def bmle_right(x):
    # RIGHT: a Counter of the outcomes
    values = [float(v) for v in np.asarray(x, dtype=float).ravel()]
    if len(values) == 0:
        raise ValueError("x must hold at least one observation")
    counts = Counter(values)
    return float(counts[1.0] / len(values))


def pll_w1(k, lam):
    # MISCONCEPTION: dropped the constant -log(k!) (it does not move the maximum)
    _positive(lam, "lam")
    k = np.asarray(k, dtype=float)
    return float(np.sum(k * np.log(lam) - lam))


def pll_w2(k, lam):
    # MISCONCEPTION: off by one in the log factorial: gammaln(k) = log((k-1)!) instead of gammaln(k + 1)
    _positive(lam, "lam")
    k = np.asarray(k, dtype=float)
    return float(np.sum(k * np.log(lam) - lam - special.gammaln(k)))


def pll_right(k, lam):
    # RIGHT: scipy.stats.poisson.logpmf summed
    if lam <= 0:
        raise ValueError("lam must be positive")
    k = np.asarray(k)
    return float(np.sum(stats.poisson.logpmf(k, lam))) if k.size else 0.0


def pmle_w1(k):
    # MISCONCEPTION: the sample variance instead of the mean (Poisson mean = variance, wrong moment)
    k = _nonempty(k, "k")
    return float(np.var(k))


def pmle_w2(k):
    # MISCONCEPTION: divides the total by n - 1 instead of n (unbiased-variance habit carried over)
    k = _nonempty(k, "k")
    return float(k.sum() / (k.size - 1)) if k.size > 1 else float(k.sum())


def pmle_right(k):
    # RIGHT: total and count by hand
    values = np.asarray(k, dtype=float).ravel().tolist()
    if not values:
        raise ValueError("k is empty")
    total = 0.0
    for v in values:
        total += v
    return float(total / len(values))


def ell_w1(x, rate):
    # MISCONCEPTION: rate used as the scale: -n log(rate) - sum(x)/rate
    _positive(rate, "rate")
    x = np.asarray(x, dtype=float)
    if np.any(x < 0):
        return float("-inf")
    return float(-x.size * np.log(rate) - x.sum() / rate)


def ell_w2(x, rate):
    # MISCONCEPTION: negative observations not rejected (density is 0 below 0, so l should be -inf)
    _positive(rate, "rate")
    x = np.asarray(x, dtype=float)
    return float(x.size * np.log(rate) - rate * x.sum())


def ell_right(x, rate):
    # RIGHT: scipy.stats.expon with scale = 1/rate
    if rate <= 0:
        raise ValueError("rate must be positive")
    return float(np.sum(stats.expon.logpdf(np.asarray(x, dtype=float), scale=1.0 / rate)))


def emle_w1(x):
    # MISCONCEPTION: rate vs scale: returns the mean x_bar (the scale) instead of 1/x_bar
    x = _nonempty(x, "x")
    return float(np.mean(x))


def emle_w2(x):
    # MISCONCEPTION: bias-corrected rate (n - 1)/sum(x) instead of the MLE n/sum(x)
    x = _nonempty(x, "x")
    return float((x.size - 1) / x.sum())


def emle_right(x):
    # RIGHT: n / sum(x) with a loop
    values = list(np.asarray(x, dtype=float).ravel())
    if len(values) == 0:
        raise ValueError("x must not be empty")
    s = 0.0
    for v in values:
        s += v
    return float(len(values) / s)


def umle_w1(x):
    # MISCONCEPTION: method of moments 2 * mean instead of the maximum
    x = _nonempty(x, "x")
    return float(2 * np.mean(x))


def umle_w2(x):
    # MISCONCEPTION: bias-corrected maximum (n + 1)/n * max(x) instead of the MLE max(x)
    x = _nonempty(x, "x")
    return float((x.size + 1) / x.size * np.max(x))


def umle_right(x):
    # RIGHT: functools.reduce with max
    values = list(np.asarray(x, dtype=float).ravel())
    if not values:
        raise ValueError("x is empty")
    return float(reduce(lambda a, b: a if a >= b else b, values))  # the unusual style is the point


def lmle_w1(x):
    # MISCONCEPTION: mean instead of median for the location (and the scale about the mean)
    x = _nonempty(x, "x")
    m = np.mean(x)
    return float(m), float(np.mean(np.abs(x - m)))


def lmle_w2(x):
    # MISCONCEPTION: scale is the median of |x - median| (MAD) instead of the mean of |x - median|
    x = _nonempty(x, "x")
    m = np.median(x)
    return float(m), float(np.median(np.abs(x - m)))


def lmle_right(x):
    # RIGHT: scipy.stats.laplace.fit (its MLE is the median and the mean absolute deviation)
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must not be empty")
    loc, scale = stats.laplace.fit(x)
    return float(loc), float(scale)


def _check_cat(x, n_categories):
    if n_categories < 1:
        raise ValueError("n_categories must be >= 1")
    x = np.asarray(x)
    if x.size == 0:
        raise ValueError("x must not be empty")
    if np.any(x < 0) or np.any(x >= n_categories) or np.any(x != np.round(x)):
        raise ValueError("x holds a label outside 0..n_categories-1")
    return x.astype(int)


def cmle_w1(x, n_categories):
    # MISCONCEPTION: bincount without minlength: unseen top categories get no entry (array too short)
    x = _check_cat(x, n_categories)
    counts = np.bincount(x)
    return counts / counts.sum()


def cmle_w2(x, n_categories):
    # MISCONCEPTION: add-one (Laplace) smoothing (n_k + 1)/(n + K): Dirichlet MAP, not the MLE
    x = _check_cat(x, n_categories)
    counts = np.bincount(x, minlength=n_categories)
    return (counts + 1) / (x.size + n_categories)


def cmle_right(x, n_categories):
    # RIGHT: list comprehension over the categories
    if n_categories < 1:
        raise ValueError("n_categories must be at least 1")
    labels = [v for v in np.asarray(x).ravel().tolist()]
    if not labels:
        raise ValueError("x is empty")
    if any(v not in range(n_categories) for v in labels):
        raise ValueError("x has a label outside 0..n_categories - 1")
    return np.array([sum(1 for v in labels if v == c) / len(labels) for c in range(n_categories)], dtype=float)


# ==============================================================================================================
# 03 numerical_mle
# ==============================================================================================================
def ga_w1(score, theta0, learning_rate, n_steps):
    # MISCONCEPTION: sign error: gradient descent theta - lr*score instead of ascent
    _lr_steps(learning_rate, n_steps)
    theta = np.atleast_1d(np.asarray(theta0, dtype=float)).copy()
    history = [theta.copy()]
    for _ in range(n_steps):
        theta = theta - learning_rate * np.asarray(score(theta), dtype=float)
        history.append(theta.copy())
    return theta, np.array(history)


def ga_w2(score, theta0, learning_rate, n_steps):
    # MISCONCEPTION: history misses the start theta0 (n_steps rows, not n_steps + 1)
    _lr_steps(learning_rate, n_steps)
    theta = np.atleast_1d(np.asarray(theta0, dtype=float)).copy()
    history = []
    for _ in range(n_steps):
        theta = theta + learning_rate * np.asarray(score(theta), dtype=float)
        history.append(theta.copy())
    return theta, np.array(history).reshape(n_steps, theta.size)


def ga_right(score, theta0, learning_rate, n_steps):
    # RIGHT: preallocated history filled by a while loop
    if learning_rate <= 0:
        raise ValueError("learning_rate must be positive")
    if n_steps < 0:
        raise ValueError("n_steps must be non-negative")
    start = np.array(theta0, dtype=float, ndmin=1)
    history = np.empty((n_steps + 1, start.size))
    history[0] = start
    t = 0
    while t < n_steps:
        history[t + 1] = history[t] + learning_rate * np.asarray(score(history[t].copy()), dtype=float)
        t += 1
    return history[-1].copy(), history


def nr_w1(score, hessian, theta0, tol=1e-10, max_iter=100):
    # MISCONCEPTION: multiplies by the Hessian instead of its inverse (theta - H @ score)
    theta = np.atleast_1d(np.asarray(theta0, dtype=float)).copy()
    for _ in range(max_iter):
        step = np.asarray(hessian(theta), dtype=float) @ np.asarray(score(theta), dtype=float)
        theta = theta - step
        if np.linalg.norm(step) < tol:
            return theta
    raise RuntimeError("Newton-Raphson did not converge")


def nr_w2(score, hessian, theta0, tol=1e-10, max_iter=100):
    # MISCONCEPTION: no RuntimeError when max_iter is reached: silently returns the last iterate
    theta = np.atleast_1d(np.asarray(theta0, dtype=float)).copy()
    for _ in range(max_iter):
        step = np.linalg.solve(np.asarray(hessian(theta), dtype=float), np.asarray(score(theta), dtype=float))
        theta = theta - step
        if np.linalg.norm(step) < tol:
            break
    return theta


def nr_right(score, hessian, theta0, tol=1e-10, max_iter=100):
    # RIGHT: scipy.linalg.solve in a for-else loop
    theta = np.array(theta0, dtype=float, ndmin=1)
    for _ in range(max_iter):
        g = np.atleast_1d(np.asarray(score(theta.copy()), dtype=float))
        h = np.atleast_2d(np.asarray(hessian(theta.copy()), dtype=float))
        step = linalg.solve(h, g)
        theta = theta - step
        if math.sqrt(float(np.dot(step, step))) < tol:
            break
    else:
        raise RuntimeError(f"no convergence within max_iter = {max_iter} steps")
    return theta


def _check_gamma(shape, rate):
    _positive(shape, "shape")
    _positive(rate, "rate")


def gll_w1(x, shape, rate):
    # MISCONCEPTION: rate used as the scale (numpy/scipy convention): -n k log(rate) - sum(x)/rate
    _check_gamma(shape, rate)
    x = np.asarray(x, dtype=float)
    if np.any(x < 0):
        return float("-inf")
    n = x.size
    return float(
        -n * shape * np.log(rate) - n * special.gammaln(shape) + np.sum(special.xlogy(shape - 1, x)) - x.sum() / rate
    )


def gll_w2(x, shape, rate):
    # MISCONCEPTION: log k! instead of log Gamma(k): gammaln(shape + 1) (factorial habit from the Poisson)
    _check_gamma(shape, rate)
    x = np.asarray(x, dtype=float)
    if np.any(x < 0):
        return float("-inf")
    n = x.size
    return float(
        n * (shape * np.log(rate) - special.gammaln(shape + 1)) + np.sum(special.xlogy(shape - 1, x)) - rate * x.sum()
    )


def gll_right(x, shape, rate):
    # RIGHT: scipy.stats.gamma.logpdf with scale = 1/rate
    if shape <= 0:
        raise ValueError("shape must be positive")
    if rate <= 0:
        raise ValueError("rate must be positive")
    return float(np.sum(stats.gamma.logpdf(np.asarray(x, dtype=float), a=shape, scale=1.0 / rate)))


def _check_gamma_x(x):
    x = _nonempty(x, "x")
    if np.any(x <= 0):
        raise ValueError("x must hold positive values only")
    if np.all(x == x[0]):
        raise ValueError("x: all values are equal, the MLE does not exist")
    return x


def gmle_w1(x):
    # MISCONCEPTION: method of moments (k = mean^2/var, rate = mean/var) instead of the MLE
    x = _check_gamma_x(x)
    m, v = np.mean(x), np.var(x)
    return float(m**2 / v), float(m / v)


def gmle_w2(x):
    # MISCONCEPTION: returns the scale mean/k instead of the rate k/mean (rate vs scale)
    x = _check_gamma_x(x)
    s = np.log(np.mean(x)) - np.mean(np.log(x))
    k = optimize.brentq(lambda k: np.log(k) - special.digamma(k) - s, 1e-8, 1e8)
    return float(k), float(np.mean(x) / k)


def gmle_right(x):
    # RIGHT: maximise the profile log-likelihood in log k with scipy.optimize, then polish with Newton
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    if np.any(x <= 0):
        raise ValueError("x must be positive")
    if np.ptp(x) == 0:
        raise ValueError("x must not have all values equal")
    s = math.log(x.mean()) - np.log(x).mean()
    result = optimize.minimize_scalar(
        lambda t: -(math.exp(t) * (t - s - 1) - special.gammaln(math.exp(t))),  # profile l/n up to a constant
        bounds=(-30, 30),
        method="bounded",
    )
    k = math.exp(result.x)
    for _ in range(50):  # Newton on f(k) = log k - digamma(k) - s
        f = math.log(k) - special.digamma(k) - s
        k_new = k - f / (1 / k - special.polygamma(1, k))
        k = k_new if k_new > 0 else k / 2
    return float(k), float(k / x.mean())


def fi_w1(sigma):
    # MISCONCEPTION: information for (mu, sigma^2), diag(1/sigma^2, 1/(2 sigma^4)), not for (mu, sigma)
    _positive(sigma, "sigma")
    return np.diag([1 / sigma**2, 1 / (2 * sigma**4)])


def fi_w2(sigma):
    # MISCONCEPTION: the inverse (asymptotic covariance) diag(sigma^2, sigma^2/2) instead of the information
    _positive(sigma, "sigma")
    return np.diag([sigma**2, sigma**2 / 2])


def fi_right(sigma):
    # RIGHT: the expected outer product of the score, computed exactly by Gauss-Hermite quadrature
    if sigma <= 0:
        raise ValueError("sigma must be > 0")
    nodes, weights = np.polynomial.hermite_e.hermegauss(20)  # E[f(Z)], Z ~ N(0, 1)
    weights = weights / weights.sum()
    info = np.zeros((2, 2))
    for z, w in zip(nodes, weights):  # noqa: B905
        s = np.array([z / sigma, (z * z - 1) / sigma])  # per-observation score at x = mu + sigma z
        info += w * np.outer(s, s)
    return info


def _check_wald(x, level):
    x = _nonempty(x, "x")
    if not 0 < level < 1:
        raise ValueError("level must be in (0, 1)")
    return x


def wald_w1(x, level=0.95):
    # MISCONCEPTION: sample standard deviation with n - 1 instead of the MLE sigma_hat (divided by n)
    x = _check_wald(x, level)
    z = stats.norm.ppf((1 + level) / 2)
    half = z * np.std(x, ddof=1) / np.sqrt(x.size) if x.size > 1 else 0.0
    return float(x.mean() - half), float(x.mean() + half)


def wald_w2(x, level=0.95):
    # MISCONCEPTION: one-sided quantile z = ppf(level) instead of ppf((1 + level)/2)
    x = _check_wald(x, level)
    z = stats.norm.ppf(level)
    half = z * np.std(x) / np.sqrt(x.size)
    return float(x.mean() - half), float(x.mean() + half)


def wald_right(x, level=0.95):
    # RIGHT: scipy.stats.norm.interval around the mean with scale sigma_hat/sqrt(n)
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must not be empty")
    if not (0 < level < 1):
        raise ValueError("level must lie strictly between 0 and 1")
    sigma_hat = math.sqrt(np.mean((x - x.mean()) ** 2))
    if sigma_hat == 0:
        return float(x.mean()), float(x.mean())
    lo, hi = stats.norm.interval(level, loc=x.mean(), scale=sigma_hat / math.sqrt(x.size))
    return float(lo), float(hi)


# ==============================================================================================================
# 04 regression
# ==============================================================================================================
def lrnll_w1(w, sigma, X, y):
    # MISCONCEPTION: dropped the constant (n/2) log(2 pi)
    _positive(sigma, "sigma")
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    r = y - X @ w
    return float(y.size * np.log(sigma) + r @ r / (2 * sigma**2))


def lrnll_w2(w, sigma, X, y):
    # MISCONCEPTION: missing factor 1/2 on the squared residuals: RSS/sigma^2 instead of RSS/(2 sigma^2)
    _positive(sigma, "sigma")
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    r = y - X @ w
    n = y.size
    return float(n * np.log(sigma) + n / 2 * np.log(2 * np.pi) + r @ r / sigma**2)


def lrnll_right(w, sigma, X, y):
    # RIGHT: minus the sum of scipy.stats.norm.logpdf of y around X w
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    X = np.asarray(X, dtype=float)
    mean = X @ np.asarray(w, dtype=float) if X.size else np.zeros(len(y))
    return float(-np.sum(stats.norm.logpdf(np.asarray(y, dtype=float), loc=mean, scale=sigma)))


def _check_lr(X, y):
    y = np.asarray(y, dtype=float)
    if y.size == 0:
        raise ValueError("y is empty: no observations")
    return np.asarray(X, dtype=float), y


def lrmle_w1(X, y):
    # MISCONCEPTION: unbiased sigma with n - d instead of the MLE sqrt(RSS/n)
    X, y = _check_lr(X, y)
    w, *_ = np.linalg.lstsq(X, y, rcond=None)
    r = y - X @ w
    dof = max(y.size - X.shape[1], 1)
    return w, float(np.sqrt(r @ r / dof))


def lrmle_w2(X, y):
    # MISCONCEPTION: returns the variance RSS/n instead of the standard deviation sqrt(RSS/n)
    X, y = _check_lr(X, y)
    w, *_ = np.linalg.lstsq(X, y, rcond=None)
    r = y - X @ w
    return w, float(r @ r / y.size)


def lrmle_right(X, y):
    # RIGHT: least squares through the SVD pseudo-inverse, written out
    y = np.asarray(y, dtype=float)
    if y.size == 0:
        raise ValueError("y must hold at least one observation")
    X = np.asarray(X, dtype=float)
    u, s, vt = np.linalg.svd(X, full_matrices=False)
    keep = s > s.max() * max(X.shape) * np.finfo(float).eps if s.size else s > 0
    w = vt[keep].T @ ((u[:, keep].T @ y) / s[keep])
    rss = float(np.sum((y - X @ w) ** 2))
    return w, math.sqrt(rss / y.size)


def lnll_w1(w, X, y):
    # MISCONCEPTION: numerically unstable log(1 + exp(z)) that overflows for large margins
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    z = X @ w
    with np.errstate(over="ignore"):
        return float(np.sum(np.log(1 + np.exp(z)) - y * z))


def lnll_w2(w, X, y):
    # MISCONCEPTION: mean NLL per sample instead of the sum
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    z = X @ w
    return float(np.mean(np.logaddexp(0, z) - y * z))


def lnll_right(w, X, y):
    # RIGHT: cross-entropy form -[y log sigmoid(z) + (1 - y) log sigmoid(-z)] with scipy.special.log_expit
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    z = X @ w
    return float(-np.sum(y * special.log_expit(z) + (1 - y) * special.log_expit(-z)))


def lgrad_w1(w, X, y):
    # MISCONCEPTION: sign error: gradient of the log-likelihood X^T(y - sigmoid) instead of the NLL
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    return X.T @ (y - special.expit(X @ w))


def lgrad_w2(w, X, y):
    # MISCONCEPTION: wrong sigmoid 1/(1 + exp(z)) (that is sigmoid(-z))
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    return X.T @ (special.expit(-(X @ w)) - y)


def lgrad_right(w, X, y):
    # RIGHT: per-sample loop, sigmoid by cases so that it never overflows
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    grad = np.zeros(X.shape[1])
    for xi, yi in zip(X, y):  # noqa: B905
        z = float(xi @ w)
        p = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
        grad += (p - yi) * xi
    return grad


def _check_fit(learning_rate, n_steps, X_val, y_val):
    _lr_steps(learning_rate, n_steps)
    if (X_val is None) != (y_val is None):
        raise ValueError("give both X_val and y_val, or neither")


def _mean_nll(w, X, y):
    z = X @ w
    return float(np.mean(np.logaddexp(0, z) - y * z))


def fit_w1(X, y, learning_rate, n_steps, X_val=None, y_val=None):
    # MISCONCEPTION: steps with the summed gradient X^T(sigmoid - y) instead of the mean (no division by n)
    _check_fit(learning_rate, n_steps, X_val, y_val)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    has_val = X_val is not None
    if has_val:
        X_val, y_val = np.asarray(X_val, dtype=float), np.asarray(y_val, dtype=float)
    w = np.zeros(X.shape[1])
    train, val = [_mean_nll(w, X, y)], [_mean_nll(w, X_val, y_val)] if has_val else []
    for _ in range(n_steps):
        w = w - learning_rate * X.T @ (special.expit(X @ w) - y)
        train.append(_mean_nll(w, X, y))
        if has_val:
            val.append(_mean_nll(w, X_val, y_val))
    return w, np.array(train), np.array(val) if has_val else None


def fit_w2(X, y, learning_rate, n_steps, X_val=None, y_val=None):
    # MISCONCEPTION: validation loss computed on the training data (copy-paste: X, y instead of X_val, y_val)
    _check_fit(learning_rate, n_steps, X_val, y_val)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    has_val = X_val is not None
    w = np.zeros(X.shape[1])
    train, val = [_mean_nll(w, X, y)], [_mean_nll(w, X, y)] if has_val else []
    for _ in range(n_steps):
        w = w - learning_rate * X.T @ (special.expit(X @ w) - y) / y.size
        train.append(_mean_nll(w, X, y))
        if has_val:
            val.append(_mean_nll(w, X, y))
    return w, np.array(train), np.array(val) if has_val else None


def fit_right(X, y, learning_rate, n_steps, X_val=None, y_val=None):
    # RIGHT: record-then-step loop over n_steps + 1 points, mean NLL via log_expit, gradient by np.mean
    if learning_rate <= 0:
        raise ValueError("learning_rate must be > 0")
    if n_steps < 0:
        raise ValueError("n_steps must be >= 0")
    if (X_val is None) ^ (y_val is None):
        raise ValueError("X_val and y_val must be given together")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)

    def loss(w, A, b):
        z = A @ w
        return float(-np.mean(b * special.log_expit(z) + (1 - b) * special.log_expit(-z)))

    w = np.zeros(X.shape[1])
    train_loss = np.empty(n_steps + 1)
    val_loss = None if X_val is None else np.empty(n_steps + 1)
    for t in range(n_steps + 1):
        train_loss[t] = loss(w, X, y)
        if val_loss is not None:
            val_loss[t] = loss(w, np.asarray(X_val, dtype=float), np.asarray(y_val, dtype=float))
        if t < n_steps:
            w = w - learning_rate * np.mean((special.expit(X @ w) - y)[:, None] * X, axis=0)
    return w, train_loss, val_loss


def _check_lam(lam):
    if lam < 0:
        raise ValueError(f"lam must be >= 0, got {lam}")


def ridge_w1(X, y, lam):
    # MISCONCEPTION: lam added to every entry of X^T X (scalar broadcast) instead of lam * I on the diagonal
    _check_lam(lam)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam, X.T @ y)


def ridge_w2(X, y, lam):
    # MISCONCEPTION: stray factor 2 on the penalty (derivative of lam*||w||^2 kept as 2 lam): X^T X + 2 lam I
    _check_lam(lam)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + 2 * lam * np.eye(X.shape[1]), X.T @ y)


def ridge_right(X, y, lam):
    # RIGHT: augmented least squares: stack sqrt(lam) I under X and zeros under y
    if lam < 0:
        raise ValueError("lam must be non-negative")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    d = X.shape[1]
    X_aug = np.vstack([X, math.sqrt(lam) * np.eye(d)])
    y_aug = np.concatenate([y, np.zeros(d)])
    w, *_ = np.linalg.lstsq(X_aug, y_aug, rcond=None)
    return w


# ==============================================================================================================
# the iterable the driver reads
# ==============================================================================================================
_TABLE = [
    ("normal_log_likelihood", nll_w1, nll_w2, nll_right),
    ("normal_score", score_w1, score_w2, score_right),
    ("normal_mle", nmle_w1, nmle_w2, nmle_right),
    ("simulate_sigma2_hat", sim_w1, sim_w2, sim_right),
    ("bernoulli_log_likelihood", bll_w1, bll_w2, bll_right),
    ("bernoulli_mle", bmle_w1, bmle_w2, bmle_right),
    ("poisson_log_likelihood", pll_w1, pll_w2, pll_right),
    ("poisson_mle", pmle_w1, pmle_w2, pmle_right),
    ("exponential_log_likelihood", ell_w1, ell_w2, ell_right),
    ("exponential_mle", emle_w1, emle_w2, emle_right),
    ("uniform_mle", umle_w1, umle_w2, umle_right),
    ("laplace_mle", lmle_w1, lmle_w2, lmle_right),
    ("categorical_mle", cmle_w1, cmle_w2, cmle_right),
    ("gradient_ascent", ga_w1, ga_w2, ga_right),
    ("newton_raphson", nr_w1, nr_w2, nr_right),
    ("gamma_log_likelihood", gll_w1, gll_w2, gll_right),
    ("gamma_mle", gmle_w1, gmle_w2, gmle_right),
    ("normal_fisher_information", fi_w1, fi_w2, fi_right),
    ("wald_interval_mu", wald_w1, wald_w2, wald_right),
    ("linear_regression_nll", lrnll_w1, lrnll_w2, lrnll_right),
    ("linear_regression_mle", lrmle_w1, lrmle_w2, lrmle_right),
    ("logistic_nll", lnll_w1, lnll_w2, lnll_right),
    ("logistic_gradient", lgrad_w1, lgrad_w2, lgrad_right),
    ("fit_logistic", fit_w1, fit_w2, fit_right),
    ("ridge_map", ridge_w1, ridge_w2, ridge_right),
]


def _intended(function):
    """The misconception phrase from the function's '# MISCONCEPTION:' / '# RIGHT:' comment."""
    import inspect

    for line in inspect.getsource(function).splitlines():
        line = line.strip()
        for tag in ("# MISCONCEPTION:", "# RIGHT:"):
            if line.startswith(tag):
                return line[len(tag) :].strip()
    raise AssertionError(f"{function.__name__} has no misconception comment")


ANSWERS = []
for _name, _w1, _w2, _right in _TABLE:
    ANSWERS.append((_name, "wrong1", False, _intended(_w1), _w1))
    ANSWERS.append((_name, "wrong2", False, _intended(_w2), _w2))
    ANSWERS.append((_name, "right", True, "(right: " + _intended(_right) + ")", _right))
