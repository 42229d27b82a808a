# Copied as written from R2's held-out class, /work/redteam/heldout/answers.py (see tests/test_heldout_r2.py).
"""A held-out class of learner answers for the 25 graded functions.

Written from the course spec and the released notebooks only (not from the grader's catalogue): for each
graded function, three wrong answers a real class plausibly writes (one misconception each, everything
else done right, including the ValueErrors) and one right answer in an unusual style.

``CLASS[name]`` is a list of ``Answer(label, right, intended, keywords, function)``: ``intended`` says in
words what the learner got wrong, ``keywords`` are regexes (written before any run) one of which a named
mistake should match to count as the right name.
"""

import math
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize, special, stats

CLASS: dict[str, list["Answer"]] = {}


@dataclass
class Answer:
    name: str
    label: str
    right: bool
    intended: str
    keywords: tuple[str, ...]
    function: Callable[..., Any]


def answer(name: str, label: str, intended: str = "", keywords: tuple[str, ...] = ()):
    """Register a function as one learner's answer for graded function ``name``."""

    def register(function):
        CLASS.setdefault(name, []).append(Answer(name, label, label.endswith("right"), intended, keywords, function))
        return function

    return register


def _positive(value, name):
    if not value > 0:
        raise ValueError(f"{name} must be positive, got {value}")


def _nonempty(values, name):
    if len(values) == 0:
        raise ValueError(f"{name} must not be empty")


# ---------------------------------------------------------------- 01 normal_log_likelihood


@answer("normal_log_likelihood", "wrong1", "drops the -(n/2) log(2 pi) constant", (r"constant", r"2\s*π|2 ?pi"))
def nll_drop_constant(x, mu, sigma):
    _positive(sigma, "sigma")
    x = np.asarray(x, dtype=float)
    return float(-len(x) * np.log(sigma) - np.sum((x - mu) ** 2) / (2 * sigma**2))


@answer(
    "normal_log_likelihood",
    "wrong2",
    "divides by 2 sigma instead of 2 sigma^2",
    (r"sigma|σ", r"square|variance|standard deviation"),
)
def nll_sigma_not_squared(x, mu, sigma):
    _positive(sigma, "sigma")
    x = np.asarray(x, dtype=float)
    n = len(x)
    return float(-n * np.log(sigma) - n / 2 * np.log(2 * np.pi) - np.sum((x - mu) ** 2) / (2 * sigma))


@answer(
    "normal_log_likelihood",
    "wrong3",
    "returns the mean log-likelihood (divides by n)",
    (r"mean|average|per observation|/ ?n|divid"),
)
def nll_mean(x, mu, sigma):
    _positive(sigma, "sigma")
    x = np.asarray(x, dtype=float)
    return float(np.mean(-np.log(sigma) - 0.5 * np.log(2 * np.pi) - (x - mu) ** 2 / (2 * sigma**2)))


@answer("normal_log_likelihood", "right")
def nll_right_loop(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be > 0")
    total = 0.0
    for xi in x:
        z = (float(xi) - mu) / sigma
        total += -math.log(sigma) - 0.5 * math.log(2 * math.pi) - 0.5 * z * z
    return total


# ---------------------------------------------------------------- 01 normal_score


@answer("normal_score", "wrong1", "dl/dmu divides by sigma, not sigma^2", (r"sigma|σ",))
def score_mu_over_sigma(x, mu, sigma):
    _positive(sigma, "sigma")
    x = np.asarray(x, dtype=float)
    return np.array([np.sum(x - mu) / sigma, -len(x) / sigma + np.sum((x - mu) ** 2) / sigma**3])


@answer(
    "normal_score",
    "wrong2",
    "differentiates w.r.t. the variance sigma^2 instead of sigma",
    (r"variance|σ²|sigma\^2|sigma²|parameter"),
)
def score_wrt_variance(x, mu, sigma):
    _positive(sigma, "sigma")
    x = np.asarray(x, dtype=float)
    var = sigma**2
    return np.array([np.sum(x - mu) / var, -len(x) / (2 * var) + np.sum((x - mu) ** 2) / (2 * var**2)])


@answer("normal_score", "wrong3", "sign error in dl/dmu (chain rule -1 lost twice)", (r"sign",))
def score_sign_mu(x, mu, sigma):
    _positive(sigma, "sigma")
    x = np.asarray(x, dtype=float)
    return np.array([np.sum(mu - x) / sigma**2, -len(x) / sigma + np.sum((x - mu) ** 2) / sigma**3])


@answer("normal_score", "right")
def score_right_loop(x, mu, sigma):
    if not sigma > 0:
        raise ValueError("sigma must be positive")
    d_mu = 0.0
    d_sigma = 0.0
    for xi in list(x):
        r = float(xi) - mu
        d_mu += r / sigma**2
        d_sigma += -1.0 / sigma + r * r / sigma**3
    return np.array([d_mu, d_sigma], dtype=float)


# ---------------------------------------------------------------- 01 normal_mle


@answer("normal_mle", "wrong1", "sigma_hat divides by n - 1 (ddof=1)", (r"n ?- ?1|bessel|ddof|unbiased",))
def mle_ddof1(x):
    x = np.asarray(x, dtype=float)
    _nonempty(x, "x")
    return float(np.mean(x)), float(np.std(x, ddof=1))


@answer("normal_mle", "wrong2", "returns the variance instead of the standard deviation", (r"variance",))
def mle_variance(x):
    x = np.asarray(x, dtype=float)
    _nonempty(x, "x")
    return float(np.mean(x)), float(np.var(x))


@answer(
    "normal_mle", "wrong3", "forgets to centre: sqrt(mean(x^2))", (r"cent|mean|x̄|x_bar|deviation|raw|second moment",)
)
def mle_uncentred(x):
    x = np.asarray(x, dtype=float)
    _nonempty(x, "x")
    return float(np.mean(x)), float(np.sqrt(np.mean(x**2)))


@answer("normal_mle", "right")
def mle_right_statistics(x):
    values = [float(v) for v in x]
    if not values:
        raise ValueError("x must hold at least one observation")
    return statistics.fmean(values), statistics.pstdev(values)


# ---------------------------------------------------------------- 01 simulate_sigma2_hat


def _check_sim(n, sigma, n_reps):
    if n < 1:
        raise ValueError("n must be >= 1")
    _positive(sigma, "sigma")
    if n_reps < 1:
        raise ValueError("n_reps must be >= 1")


@answer("simulate_sigma2_hat", "wrong1", "unbiased variance, divides by n - 1", (r"n ?- ?1|bessel|ddof|unbiased",))
def sim_ddof1(n, mu, sigma, n_reps, rng):
    _check_sim(n, sigma, n_reps)
    samples = rng.normal(mu, sigma, size=(n_reps, n))
    return samples.var(axis=1, ddof=1)


@answer(
    "simulate_sigma2_hat",
    "wrong2",
    "returns sigma_hat, not its square",
    (r"standard deviation|square|σ̂ ?instead|sigma_hat instead",),
)
def sim_sd(n, mu, sigma, n_reps, rng):
    _check_sim(n, sigma, n_reps)
    samples = rng.normal(mu, sigma, size=(n_reps, n))
    return samples.std(axis=1)


@answer(
    "simulate_sigma2_hat",
    "wrong3",
    "centres on the true mu instead of the sample mean",
    (r"true|known|μ\b|mu\b|sample mean|x̄",),
)
def sim_true_mu(n, mu, sigma, n_reps, rng):
    _check_sim(n, sigma, n_reps)
    samples = rng.normal(mu, sigma, size=(n_reps, n))
    return np.mean((samples - mu) ** 2, axis=1)


@answer("simulate_sigma2_hat", "right")
def sim_right_loop(n, mu, sigma, n_reps, rng):
    if n < 1:
        raise ValueError("n must be at least 1")
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    if n_reps < 1:
        raise ValueError("n_reps must be at least 1")
    out = np.empty(n_reps)
    for r in range(n_reps):
        sample = mu + sigma * rng.standard_normal(n)
        centred = sample - sample.sum() / n
        out[r] = centred @ centred / n
    return out


# ---------------------------------------------------------------- 02 bernoulli_log_likelihood


def _check_p(p):
    if not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1], got {p}")


@answer(
    "bernoulli_log_likelihood",
    "wrong1",
    "uses the mean instead of the sum (per-observation)",
    (r"mean|average|per observation|divid",),
)
def bll_mean(x, p):
    _check_p(p)
    x = np.asarray(x, dtype=float)
    if len(x) == 0:
        return 0.0
    xbar = x.mean()
    return float(special.xlogy(xbar, p) + special.xlogy(1 - xbar, 1 - p))


@answer("bernoulli_log_likelihood", "wrong2", "swaps p and 1 - p", (r"1 ?- ?p|swap",))
def bll_swapped(x, p):
    _check_p(p)
    x = np.asarray(x, dtype=float)
    s = x.sum()
    return float(special.xlogy(s, 1 - p) + special.xlogy(len(x) - s, p))


@answer("bernoulli_log_likelihood", "wrong3", "plain np.log: 0 log 0 gives nan", (r"0 ?·? ?log ?0|0 log 0|xlogy|nan",))
def bll_naive_log(x, p):
    _check_p(p)
    x = np.asarray(x, dtype=float)
    s = x.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(s * np.log(p) + (len(x) - s) * np.log(1 - p))


@answer("bernoulli_log_likelihood", "right")
def bll_right_loop(x, p):
    if p < 0 or p > 1:
        raise ValueError("p should lie in [0, 1]")
    total = 0.0
    for xi in x:
        q = p if xi == 1 else 1 - p
        if q == 0:
            return -math.inf
        total += math.log(q)
    return float(total)


# ---------------------------------------------------------------- 02 bernoulli_mle


@answer("bernoulli_mle", "wrong1", "Laplace smoothing (s + 1) / (n + 2)", (r"smooth|laplace|prior|\+ ?1|pseudo",))
def bmle_smoothed(x):
    x = np.asarray(x, dtype=float)
    _nonempty(x, "x")
    return float((x.sum() + 1) / (len(x) + 2))


@answer(
    "bernoulli_mle", "wrong2", "returns the number of ones, not the proportion", (r"sum|count|total|divid|proportion",)
)
def bmle_count(x):
    x = np.asarray(x, dtype=float)
    _nonempty(x, "x")
    return float(x.sum())


@answer("bernoulli_mle", "wrong3", "proportion of zeros (1 - mean)", (r"1 ?- ?|zeros|swap|complement",))
def bmle_zeros(x):
    x = np.asarray(x, dtype=float)
    _nonempty(x, "x")
    return float(1 - x.mean())


@answer("bernoulli_mle", "right")
def bmle_right_counter(x):
    counts = Counter(int(v) for v in x)
    total = sum(counts.values())
    if total == 0:
        raise ValueError("x is empty")
    return counts[1] / total


# ---------------------------------------------------------------- 02 poisson_log_likelihood


@answer("poisson_log_likelihood", "wrong1", "drops the log k! term", (r"k!|factorial|gammaln|constant",))
def pll_no_factorial(k, lam):
    _positive(lam, "lam")
    k = np.asarray(k, dtype=float)
    return float(np.sum(k * np.log(lam) - lam))


@answer(
    "poisson_log_likelihood",
    "wrong2",
    "gammaln(k) instead of gammaln(k + 1) (off by one)",
    (r"k ?\+ ?1|gammaln|off.by.one|factorial|Γ",),
)
def pll_gammaln_k(k, lam):
    _positive(lam, "lam")
    k = np.asarray(k, dtype=float)
    return float(np.sum(k * np.log(lam) - lam - special.gammaln(k)))


@answer(
    "poisson_log_likelihood",
    "wrong3",
    "-lam instead of -n lam after pulling the sum apart",
    (r"n ?λ|n ?lam|n\b|times n|once",),
)
def pll_single_lambda(k, lam):
    _positive(lam, "lam")
    k = np.asarray(k, dtype=float)
    if len(k) == 0:
        return 0.0
    return float(k.sum() * np.log(lam) - lam - special.gammaln(k + 1).sum())


@answer("poisson_log_likelihood", "right")
def pll_right_scipy(k, lam):
    if lam <= 0:
        raise ValueError("lam must be positive")
    return float(np.sum(stats.poisson.logpmf(np.asarray(k), lam)))


# ---------------------------------------------------------------- 02 poisson_mle


@answer("poisson_mle", "wrong1", "divides by n - 1", (r"n ?- ?1",))
def pmle_n_minus_1(k):
    k = np.asarray(k, dtype=float)
    _nonempty(k, "k")
    return float(k.sum() / (len(k) - 1)) if len(k) > 1 else float(k.sum())


@answer("poisson_mle", "wrong2", "uses the sample variance (mean = variance)", (r"variance",))
def pmle_variance(k):
    k = np.asarray(k, dtype=float)
    _nonempty(k, "k")
    return float(np.var(k))


@answer("poisson_mle", "wrong3", "integer division sum // n", (r"integer|floor|//|round",))
def pmle_floor(k):
    k = list(k)
    _nonempty(k, "k")
    return float(sum(k) // len(k))


@answer("poisson_mle", "right")
def pmle_right_fmean(k):
    counts = [float(v) for v in k]
    if not counts:
        raise ValueError("k must not be empty")
    return statistics.fmean(counts)


# ---------------------------------------------------------------- 02 exponential_log_likelihood


@answer("exponential_log_likelihood", "wrong1", "treats rate as the scale (mean)", (r"scale|rate|1 ?/ ?λ|mean",))
def ell_scale(x, rate):
    _positive(rate, "rate")
    x = np.asarray(x, dtype=float)
    if np.any(x < 0):
        return -math.inf
    return float(-len(x) * np.log(rate) - x.sum() / rate)


@answer(
    "exponential_log_likelihood",
    "wrong2",
    "no -inf for negative observations",
    (r"negative|-inf|support|below 0|zero below",),
)
def ell_no_support(x, rate):
    _positive(rate, "rate")
    x = np.asarray(x, dtype=float)
    return float(len(x) * np.log(rate) - rate * x.sum())


@answer("exponential_log_likelihood", "wrong3", "rate times the mean instead of the sum", (r"mean|sum|x̄|n\b",))
def ell_mean(x, rate):
    _positive(rate, "rate")
    x = np.asarray(x, dtype=float)
    if len(x) == 0:
        return 0.0
    if np.any(x < 0):
        return -math.inf
    return float(len(x) * np.log(rate) - rate * x.mean())


@answer("exponential_log_likelihood", "right")
def ell_right_scipy(x, rate):
    if rate <= 0:
        raise ValueError("rate must be positive")
    return float(np.sum(stats.expon.logpdf(np.asarray(x, dtype=float), scale=1 / rate)))


# ---------------------------------------------------------------- 02 exponential_mle


@answer("exponential_mle", "wrong1", "returns the mean (scale) instead of the rate", (r"scale|mean|1 ?/|rate",))
def emle_mean(x):
    x = np.asarray(x, dtype=float)
    _nonempty(x, "x")
    return float(x.mean())


@answer("exponential_mle", "wrong2", "unbiased rate (n - 1) / sum(x)", (r"n ?- ?1|unbiased",))
def emle_unbiased(x):
    x = np.asarray(x, dtype=float)
    _nonempty(x, "x")
    return float((len(x) - 1) / x.sum())


@answer("exponential_mle", "wrong3", "mean of reciprocals mean(1/x)", (r"1 ?/ ?x|reciprocal|mean of",))
def emle_mean_reciprocal(x):
    x = np.asarray(x, dtype=float)
    _nonempty(x, "x")
    return float(np.mean(1 / x))


@answer("exponential_mle", "right")
def emle_right_fsum(x):
    values = [float(v) for v in x]
    if len(values) == 0:
        raise ValueError("x: need at least one observation")
    return len(values) / math.fsum(values)


# ---------------------------------------------------------------- 02 uniform_mle


@answer("uniform_mle", "wrong1", "range max - min", (r"min|range",))
def umle_range(x):
    x = np.asarray(x, dtype=float)
    _nonempty(x, "x")
    return float(x.max() - x.min())


@answer("uniform_mle", "wrong2", "method of moments 2 * mean", (r"2 ?x̄|2 ?\*? ?mean|twice|moment",))
def umle_moments(x):
    x = np.asarray(x, dtype=float)
    _nonempty(x, "x")
    return float(2 * x.mean())


@answer("uniform_mle", "wrong3", "unbiased (n + 1) / n * max", (r"n ?\+ ?1|unbiased",))
def umle_unbiased(x):
    x = np.asarray(x, dtype=float)
    _nonempty(x, "x")
    return float((len(x) + 1) / len(x) * x.max())


@answer("uniform_mle", "right")
def umle_right_sorted(x):
    values = sorted(float(v) for v in x)
    if not values:
        raise ValueError("x must not be empty")
    return values[-1]


# ---------------------------------------------------------------- 02 laplace_mle


@answer("laplace_mle", "wrong1", "mean for location and mean |x - mean| for scale", (r"mean|median",))
def lmle_mean(x):
    x = np.asarray(x, dtype=float)
    _nonempty(x, "x")
    m = x.mean()
    return float(m), float(np.mean(np.abs(x - m)))


@answer("laplace_mle", "wrong2", "scale is the median absolute deviation", (r"median absolute|MAD|median of",))
def lmle_mad(x):
    x = np.asarray(x, dtype=float)
    _nonempty(x, "x")
    m = np.median(x)
    return float(m), float(np.median(np.abs(x - m)))


@answer("laplace_mle", "wrong3", "scale divides by n - 1", (r"n ?- ?1",))
def lmle_n_minus_1(x):
    x = np.asarray(x, dtype=float)
    _nonempty(x, "x")
    m = np.median(x)
    n = len(x)
    return float(m), float(np.sum(np.abs(x - m)) / (n - 1)) if n > 1 else 0.0


@answer("laplace_mle", "right")
def lmle_right_sorted(x):
    values = sorted(float(v) for v in x)
    n = len(values)
    if n == 0:
        raise ValueError("x is empty")
    if n % 2:
        location = values[n // 2]
    else:
        location = (values[n // 2 - 1] + values[n // 2]) / 2
    scale = math.fsum(abs(v - location) for v in values) / n
    return location, scale


# ---------------------------------------------------------------- 02 categorical_mle


def _check_cat(x, n_categories):
    if n_categories < 1:
        raise ValueError("n_categories must be >= 1")
    if len(x) == 0:
        raise ValueError("x must not be empty")
    if np.any((x < 0) | (x >= n_categories)):
        raise ValueError("x holds a label outside 0..n_categories-1")


@answer(
    "categorical_mle",
    "wrong1",
    "bincount without minlength: unseen top labels missing",
    (r"minlength|length|never occur|missing|shape|unseen|zero",),
)
def cmle_no_minlength(x, n_categories):
    x = np.asarray(x, dtype=int)
    _check_cat(x, n_categories)
    return np.bincount(x) / len(x)


@answer("categorical_mle", "wrong2", "returns counts, not proportions", (r"count|divid|proportion|sum to 1|normal",))
def cmle_counts(x, n_categories):
    x = np.asarray(x, dtype=int)
    _check_cat(x, n_categories)
    return np.bincount(x, minlength=n_categories).astype(float)


@answer(
    "categorical_mle", "wrong3", "add-one smoothing (counts + 1) / (n + K)", (r"smooth|laplace|prior|\+ ?1|pseudo",)
)
def cmle_smoothed(x, n_categories):
    x = np.asarray(x, dtype=int)
    _check_cat(x, n_categories)
    return (np.bincount(x, minlength=n_categories) + 1) / (len(x) + n_categories)


@answer("categorical_mle", "right")
def cmle_right_loop(x, n_categories):
    if n_categories < 1:
        raise ValueError("n_categories must be at least 1")
    labels = list(x)
    if not labels:
        raise ValueError("x must hold at least one label")
    counts = [0] * n_categories
    for label in labels:
        if label != int(label) or not 0 <= int(label) < n_categories:
            raise ValueError(f"x holds label {label}, outside 0..{n_categories - 1}")
        counts[int(label)] += 1
    return np.array([c / len(labels) for c in counts], dtype=float)


# ---------------------------------------------------------------- 03 gradient_ascent


def _check_ga(learning_rate, n_steps):
    if not learning_rate > 0:
        raise ValueError("learning_rate must be positive")
    if n_steps < 0:
        raise ValueError("n_steps must be >= 0")


@answer("gradient_ascent", "wrong1", "descent: theta - lr * score", (r"sign|descent|minus|-",))
def ga_descent(score, theta0, learning_rate, n_steps):
    _check_ga(learning_rate, n_steps)
    theta = np.array(theta0, dtype=float)
    history = [theta.copy()]
    for _ in range(n_steps):
        theta = theta - learning_rate * np.asarray(score(theta), dtype=float)
        history.append(theta.copy())
    return theta, np.array(history)


@answer("gradient_ascent", "wrong2", "in-place update aliases every history row", (r"copy|alias|in.place|same",))
def ga_aliased(score, theta0, learning_rate, n_steps):
    _check_ga(learning_rate, n_steps)
    theta = np.array(theta0, dtype=float)
    history = [theta]
    for _ in range(n_steps):
        theta += learning_rate * np.asarray(score(theta), dtype=float)
        history.append(theta)
    return theta, np.array(history)


@answer(
    "gradient_ascent",
    "wrong3",
    "history records theta before each step only (n_steps rows)",
    (r"n_steps ?\+ ?1|row|first|last|length|off.by.one|shape",),
)
def ga_history_short(score, theta0, learning_rate, n_steps):
    _check_ga(learning_rate, n_steps)
    theta = np.array(theta0, dtype=float)
    history = []
    for _ in range(n_steps):
        history.append(theta.copy())
        theta = theta + learning_rate * np.asarray(score(theta), dtype=float)
    return theta, np.array(history).reshape(n_steps, theta.size)


@answer("gradient_ascent", "right")
def ga_right_prealloc(score, theta0, learning_rate, n_steps):
    if learning_rate <= 0:
        raise ValueError("learning_rate must be > 0")
    if n_steps < 0:
        raise ValueError("n_steps must be non-negative")
    start = np.asarray(theta0, dtype=float).ravel()
    history = np.empty((n_steps + 1, start.size))
    history[0] = start
    t = 0
    while t < n_steps:
        history[t + 1] = history[t] + learning_rate * np.asarray(score(history[t].copy()), dtype=float)
        t += 1
    return history[-1].copy(), history


# ---------------------------------------------------------------- 03 newton_raphson


@answer("newton_raphson", "wrong1", "sign error: theta + H^-1 score", (r"sign|\+|minus",))
def nr_plus(score, hessian, theta0, tol=1e-10, max_iter=100):
    theta = np.array(theta0, dtype=float)
    for _ in range(max_iter):
        step = np.linalg.solve(np.asarray(hessian(theta), dtype=float), np.asarray(score(theta), dtype=float))
        theta = theta + step
        if np.linalg.norm(step) < tol:
            return theta
    raise RuntimeError("Newton-Raphson did not converge")


@answer(
    "newton_raphson",
    "wrong2",
    "stops when norm(score) < tol instead of norm(step) < tol",
    (r"stop|score|step|tol|converge",),
)
def nr_score_stop(score, hessian, theta0, tol=1e-10, max_iter=100):
    theta = np.array(theta0, dtype=float)
    for _ in range(max_iter):
        g = np.asarray(score(theta), dtype=float)
        if np.linalg.norm(g) < tol:
            return theta
        theta = theta - np.linalg.solve(np.asarray(hessian(theta), dtype=float), g)
    raise RuntimeError("Newton-Raphson did not converge")


@answer(
    "newton_raphson",
    "wrong3",
    "returns theta silently when max_iter is reached",
    (r"RuntimeError|max_iter|raise|converge",),
)
def nr_no_raise(score, hessian, theta0, tol=1e-10, max_iter=100):
    theta = np.array(theta0, dtype=float)
    for _ in range(max_iter):
        step = np.linalg.solve(np.asarray(hessian(theta), dtype=float), np.asarray(score(theta), dtype=float))
        theta = theta - step
        if np.linalg.norm(step) < tol:
            break
    return theta


@answer("newton_raphson", "right")
def nr_right_inverse(score, hessian, theta0, tol=1e-10, max_iter=100):
    theta = np.asarray(theta0, dtype=float).copy()
    iterations = 0
    while iterations < max_iter:
        h_inv = np.linalg.inv(np.atleast_2d(np.asarray(hessian(theta.copy()), dtype=float)))
        step = h_inv @ np.asarray(score(theta.copy()), dtype=float)
        theta = theta - step
        iterations += 1
        if math.sqrt(float(step @ step)) < tol:
            return theta
    raise RuntimeError(f"no convergence after max_iter={max_iter} steps")


# ---------------------------------------------------------------- 03 gamma_log_likelihood


def _check_gamma(shape, rate):
    _positive(shape, "shape")
    _positive(rate, "rate")


@answer(
    "gamma_log_likelihood", "wrong1", "uses rate as a scale (shape/scale parameterisation)", (r"scale|rate|1 ?/ ?β",)
)
def gll_scale(x, shape, rate):
    _check_gamma(shape, rate)
    x = np.asarray(x, dtype=float)
    if np.any(x < 0):
        return -math.inf
    n = len(x)
    return float(
        -n * shape * np.log(rate) - n * special.gammaln(shape) + np.sum(special.xlogy(shape - 1, x)) - x.sum() / rate
    )


@answer(
    "gamma_log_likelihood",
    "wrong2",
    "k log beta - log Gamma(k) not multiplied by n",
    (r"\bn\b|times n|constant|per observation",),
)
def gll_no_n(x, shape, rate):
    _check_gamma(shape, rate)
    x = np.asarray(x, dtype=float)
    if np.any(x < 0):
        return -math.inf
    return float(shape * np.log(rate) - special.gammaln(shape) + np.sum(special.xlogy(shape - 1, x)) - rate * x.sum())


@answer(
    "gamma_log_likelihood",
    "wrong3",
    "(k - 1) * sum(log x) gives nan at x = 0, k = 1",
    (r"xlogy|0 ?·? ?log ?0|nan|exactly 0|zero",),
)
def gll_naive_log(x, shape, rate):
    _check_gamma(shape, rate)
    x = np.asarray(x, dtype=float)
    if np.any(x < 0):
        return -math.inf
    n = len(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(
            n * (shape * np.log(rate) - special.gammaln(shape)) + (shape - 1) * np.sum(np.log(x)) - rate * x.sum()
        )


@answer("gamma_log_likelihood", "right")
def gll_right_scipy(x, shape, rate):
    if shape <= 0:
        raise ValueError("shape must be positive")
    if rate <= 0:
        raise ValueError("rate must be positive")
    with np.errstate(divide="ignore"):
        return float(np.sum(stats.gamma.logpdf(np.asarray(x, dtype=float), a=shape, scale=1 / rate)))


# ---------------------------------------------------------------- 03 gamma_mle


def _check_gamma_x(x):
    _nonempty(x, "x")
    if np.any(x <= 0):
        raise ValueError("x must be positive")
    if np.all(x == x[0]):
        raise ValueError("x must not be all equal")


def _minka(x):
    s = np.log(x.mean()) - np.mean(np.log(x))
    return (3 - s + np.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s), s


@answer("gamma_mle", "wrong1", "method of moments k = mean^2/var, beta = mean/var", (r"moment",))
def gmle_moments(x):
    x = np.asarray(x, dtype=float)
    _check_gamma_x(x)
    m, v = x.mean(), x.var()
    return float(m**2 / v), float(m / v)


@answer("gamma_mle", "wrong2", "returns the scale mean/k instead of the rate k/mean", (r"scale|rate|1 ?/",))
def gmle_scale(x):
    x = np.asarray(x, dtype=float)
    _check_gamma_x(x)
    k, s = _minka(x)
    for _ in range(50):
        k = k - (np.log(k) - special.digamma(k) - s) / (1 / k - special.polygamma(1, k))
    return float(k), float(x.mean() / k)


@answer(
    "gamma_mle",
    "wrong3",
    "stops at Minka's approximation, no Newton refinement",
    (r"approximat|minka|newton|converge|iterat",),
)
def gmle_minka_only(x):
    x = np.asarray(x, dtype=float)
    _check_gamma_x(x)
    k, _ = _minka(x)
    return float(k), float(k / x.mean())


@answer("gamma_mle", "right")
def gmle_right_brentq(x):
    values = np.asarray(x, dtype=float)
    if values.size == 0 or np.any(values <= 0):
        raise ValueError("x must be non-empty and positive")
    if np.ptp(values) == 0:
        raise ValueError("x values are all equal")
    s = math.log(values.mean()) - float(np.mean(np.log(values)))

    def g(k):
        return math.log(k) - special.digamma(k) - s

    lo, hi = 1e-12, 1.0
    while g(hi) > 0:
        hi *= 2
    k = optimize.brentq(g, lo, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)
    return float(k), float(k / values.mean())


# ---------------------------------------------------------------- 03 normal_fisher_information


@answer(
    "normal_fisher_information",
    "wrong1",
    "parameterised in the variance: diag(1/s^2, 1/(2 s^4))",
    (r"variance|σ²|sigma\^2|param",),
)
def fi_variance(sigma):
    _positive(sigma, "sigma")
    return np.array([[1 / sigma**2, 0.0], [0.0, 1 / (2 * sigma**4)]])


@answer("normal_fisher_information", "wrong2", "missing factor 2: diag(1/s^2, 1/s^2)", (r"2|factor",))
def fi_no_two(sigma):
    _positive(sigma, "sigma")
    return np.eye(2) / sigma**2


@answer(
    "normal_fisher_information",
    "wrong3",
    "returns the inverse (covariance) diag(s^2, s^2/2)",
    (r"inverse|invert|covariance",),
)
def fi_inverse(sigma):
    _positive(sigma, "sigma")
    return np.diag([sigma**2, sigma**2 / 2])


@answer("normal_fisher_information", "right")
def fi_right_quadrature(sigma):
    if not sigma > 0:
        raise ValueError("sigma must be > 0")
    # E[-Hessian of log f] by Gauss-Hermite quadrature over x ~ N(0, sigma^2) (exact for polynomials)
    nodes, weights = np.polynomial.hermite_e.hermegauss(8)
    weights = weights / weights.sum()
    x = sigma * nodes
    d_mumu = np.full_like(x, -1 / sigma**2)
    d_musig = -2 * x / sigma**3
    d_sigsig = 1 / sigma**2 - 3 * x**2 / sigma**4
    info = -np.array([[weights @ d_mumu, weights @ d_musig], [weights @ d_musig, weights @ d_sigsig]])
    info[0, 1] = info[1, 0] = 0.0 if abs(info[0, 1]) < 1e-12 / sigma**2 else info[0, 1]
    return info


# ---------------------------------------------------------------- 03 wald_interval_mu


def _check_wald(x, level):
    if not 0 < level < 1:
        raise ValueError("level must be in (0, 1)")
    _nonempty(x, "x")


@answer("wald_interval_mu", "wrong1", "hard-coded z = 1.96", (r"1\.96|quantile|ppf",))
def wald_196(x, level=0.95):
    x = np.asarray(x, dtype=float)
    _check_wald(x, level)
    if level == 0.95:
        z = 1.96
    else:
        z = stats.norm.ppf((1 + level) / 2)
    half = z * x.std() / np.sqrt(len(x))
    return float(x.mean() - half), float(x.mean() + half)


@answer("wald_interval_mu", "wrong2", "sample sd with n - 1", (r"n ?- ?1|ddof|unbiased",))
def wald_ddof1(x, level=0.95):
    x = np.asarray(x, dtype=float)
    _check_wald(x, level)
    z = stats.norm.ppf((1 + level) / 2)
    sd = x.std(ddof=1) if len(x) > 1 else 0.0
    half = z * sd / np.sqrt(len(x))
    return float(x.mean() - half), float(x.mean() + half)


@answer(
    "wald_interval_mu",
    "wrong3",
    "z = ppf(level) instead of ppf((1 + level)/2)",
    (r"quantile|ppf|level|one.sided|alpha",),
)
def wald_one_sided(x, level=0.95):
    x = np.asarray(x, dtype=float)
    _check_wald(x, level)
    z = stats.norm.ppf(level)
    half = z * x.std() / np.sqrt(len(x))
    return float(x.mean() - half), float(x.mean() + half)


@answer("wald_interval_mu", "right")
def wald_right_isf(x, level=0.95):
    if not (level > 0 and level < 1):
        raise ValueError("level must lie strictly between 0 and 1")
    values = [float(v) for v in x]
    if not values:
        raise ValueError("x is empty")
    n = len(values)
    mu_hat = math.fsum(values) / n
    sigma_hat = math.sqrt(math.fsum((v - mu_hat) ** 2 for v in values) / n)
    z = stats.norm.isf((1 - level) / 2)
    return mu_hat - z * sigma_hat / math.sqrt(n), mu_hat + z * sigma_hat / math.sqrt(n)


# ---------------------------------------------------------------- 04 linear_regression_nll


@answer("linear_regression_nll", "wrong1", "RSS / sigma^2 without the 2", (r"2|factor|half",))
def lrnll_no_two(w, sigma, X, y):
    _positive(sigma, "sigma")
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    n = len(y)
    r = y - X @ w
    return float(n * np.log(sigma) + n / 2 * np.log(2 * np.pi) + r @ r / sigma**2)


@answer(
    "linear_regression_nll", "wrong2", "treats sigma as the variance", (r"variance|σ²|sigma\^2|standard deviation",)
)
def lrnll_variance(w, sigma, X, y):
    _positive(sigma, "sigma")
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    n = len(y)
    r = y - X @ w
    return float(n / 2 * np.log(sigma) + n / 2 * np.log(2 * np.pi) + r @ r / (2 * sigma))


@answer("linear_regression_nll", "wrong3", "mean NLL (divides by n) like MSE", (r"mean|average|per sample|divid|/ ?n",))
def lrnll_mean(w, sigma, X, y):
    _positive(sigma, "sigma")
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    r = y - X @ w
    return float(np.log(sigma) + 0.5 * np.log(2 * np.pi) + np.mean(r**2) / (2 * sigma**2))


@answer("linear_regression_nll", "right")
def lrnll_right_scipy(w, sigma, X, y):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    mean = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    return float(-np.sum(stats.norm.logpdf(np.asarray(y, dtype=float), loc=mean, scale=sigma)))


# ---------------------------------------------------------------- 04 linear_regression_mle


def _lstsq(X, y):
    if len(y) == 0:
        raise ValueError("y must hold at least one observation")
    return np.linalg.lstsq(X, y, rcond=None)[0]


@answer("linear_regression_mle", "wrong1", "sigma_hat divides by n - d", (r"n ?- ?d|degrees|unbiased|n ?- ?p",))
def lrmle_n_minus_d(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = _lstsq(X, y)
    r = y - X @ w
    n, d = X.shape
    return w, float(np.sqrt(r @ r / (n - d))) if n > d else float(np.sqrt(r @ r / n))


@answer("linear_regression_mle", "wrong2", "returns the variance RSS / n", (r"variance|square",))
def lrmle_variance(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = _lstsq(X, y)
    r = y - X @ w
    return w, float(r @ r / len(y))


@answer("linear_regression_mle", "wrong3", "np.std of the residuals (centres them)", (r"cent|mean|std|intercept",))
def lrmle_std_residuals(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = _lstsq(X, y)
    return w, float(np.std(y - X @ w))


@answer("linear_regression_mle", "right")
def lrmle_right_qr(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if y.size == 0:
        raise ValueError("y is empty: no observations")
    q, r = np.linalg.qr(X)
    w = np.linalg.solve(r, q.T @ y)
    return w, float(np.linalg.norm(y - X @ w) / math.sqrt(y.size))


# ---------------------------------------------------------------- 04 logistic_nll


@answer("logistic_nll", "wrong1", "naive log(1 + exp(z)) overflows", (r"overflow|logaddexp|stable|inf|large",))
def lnll_naive(w, X, y):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    z = X @ w
    with np.errstate(over="ignore"):
        return float(np.sum(np.log(1 + np.exp(z)) - y * z))


@answer("logistic_nll", "wrong2", "mean instead of sum", (r"mean|average|sum|divid",))
def lnll_mean(w, X, y):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    z = X @ w
    return float(np.mean(np.logaddexp(0, z) - y * z))


@answer("logistic_nll", "wrong3", "±1-label formula log(1 + exp(-y z)) with 0/1 labels", (r"±1|-1|label|sign",))
def lnll_pm1_labels(w, X, y):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    z = X @ w
    return float(np.sum(np.logaddexp(0, -y * z)))


@answer("logistic_nll", "right")
def lnll_right_log_expit(w, X, y):
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
    total = 0.0
    for zi, yi in zip(z, y, strict=True):
        total -= special.log_expit(zi) if yi == 1 else special.log_expit(-zi)
    return float(total)


# ---------------------------------------------------------------- 04 logistic_gradient


@answer("logistic_gradient", "wrong1", "gradient of the log-likelihood: X^T(y - sigmoid)", (r"sign",))
def lgrad_sign(w, X, y):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    return X.T @ (y - special.expit(X @ w))


@answer("logistic_gradient", "wrong2", "divides by n (mean gradient)", (r"mean|average|divid|/ ?n",))
def lgrad_mean(w, X, y):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    return X.T @ (special.expit(X @ w) - y) / len(y)


@answer("logistic_gradient", "wrong3", "sigmoid of -z (1 - p) instead of p", (r"1 ?- ?p|-z|sigmoid|sign",))
def lgrad_neg_sigmoid(w, X, y):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    return X.T @ (special.expit(-(X @ w)) - y)


@answer("logistic_gradient", "right")
def lgrad_right_loop(w, X, y):
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    gradient = np.zeros(X.shape[1])
    for xi, yi in zip(X, y, strict=True):
        gradient += (special.expit(xi @ w) - float(yi)) * xi
    return gradient


# ---------------------------------------------------------------- 04 fit_logistic


def _check_fit(learning_rate, n_steps, X_val, y_val):
    if not learning_rate > 0:
        raise ValueError("learning_rate must be positive")
    if n_steps < 0:
        raise ValueError("n_steps must be >= 0")
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together")


def _mean_nll(w, X, y):
    z = X @ w
    return float(np.mean(np.logaddexp(0, z) - y * z))


@answer("fit_logistic", "wrong1", "step on the summed gradient (no / n)", (r"mean|/ ?n|divid|sum",))
def fit_sum_gradient(X, y, learning_rate, n_steps, X_val=None, y_val=None):
    _check_fit(learning_rate, n_steps, X_val, y_val)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.zeros(X.shape[1])
    train, val = [], []
    for step in range(n_steps + 1):
        train.append(_mean_nll(w, X, y))
        if X_val is not None:
            val.append(_mean_nll(w, np.asarray(X_val, dtype=float), np.asarray(y_val, dtype=float)))
        if step < n_steps:
            w = w - learning_rate * X.T @ (special.expit(X @ w) - y)
    return w, np.array(train), (np.array(val) if X_val is not None else None)


@answer(
    "fit_logistic",
    "wrong2",
    "loss recorded before each step only (n_steps values)",
    (r"n_steps ?\+ ?1|length|last|off.by.one|shape",),
)
def fit_short_history(X, y, learning_rate, n_steps, X_val=None, y_val=None):
    _check_fit(learning_rate, n_steps, X_val, y_val)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.zeros(X.shape[1])
    train, val = [], []
    for _ in range(n_steps):
        train.append(_mean_nll(w, X, y))
        if X_val is not None:
            val.append(_mean_nll(w, np.asarray(X_val, dtype=float), np.asarray(y_val, dtype=float)))
        w = w - learning_rate * X.T @ (special.expit(X @ w) - y) / len(y)
    return w, np.array(train), (np.array(val) if X_val is not None else None)


@answer("fit_logistic", "wrong3", "records the summed NLL instead of the mean", (r"mean|sum|per sample|divid",))
def fit_sum_loss(X, y, learning_rate, n_steps, X_val=None, y_val=None):
    _check_fit(learning_rate, n_steps, X_val, y_val)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)

    def nll(w, A, b):
        z = A @ w
        return float(np.sum(np.logaddexp(0, z) - b * z))

    w = np.zeros(X.shape[1])
    train, val = [nll(w, X, y)], []
    if X_val is not None:
        Xv, yv = np.asarray(X_val, dtype=float), np.asarray(y_val, dtype=float)
        val.append(nll(w, Xv, yv))
    for _ in range(n_steps):
        w = w - learning_rate * X.T @ (special.expit(X @ w) - y) / len(y)
        train.append(nll(w, X, y))
        if X_val is not None:
            val.append(nll(w, Xv, yv))
    return w, np.array(train), (np.array(val) if X_val is not None else None)


@answer("fit_logistic", "right")
def fit_right_loop(X, y, learning_rate, n_steps, X_val=None, y_val=None):
    if learning_rate <= 0:
        raise ValueError("learning_rate must be > 0")
    if n_steps < 0:
        raise ValueError("n_steps must be >= 0")
    if (X_val is None) ^ (y_val is None):
        raise ValueError("X_val and y_val must both be given, or neither")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n = X.shape[0]

    def mean_loss(w, A, b):
        z = A @ w
        return float(np.mean(-b * special.log_expit(z) - (1 - b) * special.log_expit(-z)))

    validation = None if X_val is None else (np.asarray(X_val, dtype=float), np.asarray(y_val, dtype=float))
    w = np.zeros(X.shape[1])
    train_loss = np.empty(n_steps + 1)
    val_loss = None if validation is None else np.empty(n_steps + 1)
    for t in range(n_steps + 1):
        train_loss[t] = mean_loss(w, X, y)
        if val_loss is not None:
            val_loss[t] = mean_loss(w, *validation)
        if t == n_steps:
            break
        grad = np.zeros_like(w)
        for xi, yi in zip(X, y, strict=True):
            grad += (special.expit(xi @ w) - yi) * xi
        w = w - learning_rate * grad / n
    return w, train_loss, val_loss


# ---------------------------------------------------------------- 04 ridge_map


def _check_lam(lam):
    if lam < 0:
        raise ValueError("lam must be >= 0")


@answer("ridge_map", "wrong1", "adds lam to every entry (no identity)", (r"identity|eye|diagonal|I\b",))
def ridge_no_eye(X, y, lam):
    _check_lam(lam)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam, X.T @ y)


@answer("ridge_map", "wrong2", "n * lam (mean-loss penalty convention)", (r"n ?λ|n ?lam|\bn\b|scale|factor",))
def ridge_n_lam(X, y, lam):
    _check_lam(lam)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + len(y) * lam * np.eye(X.shape[1]), X.T @ y)


@answer("ridge_map", "wrong3", "lam / 2 (factor 2 dropped on one side of the gradient)", (r"2|half|factor",))
def ridge_half_lam(X, y, lam):
    _check_lam(lam)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam / 2 * np.eye(X.shape[1]), X.T @ y)


@answer("ridge_map", "right")
def ridge_right_augmented(X, y, lam):
    if lam < 0:
        raise ValueError("lam must be non-negative")
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    d = X.shape[1]
    augmented_X = np.vstack([X, math.sqrt(lam) * np.eye(d)])
    augmented_y = np.concatenate([y, np.zeros(d)])
    return np.linalg.lstsq(augmented_X, augmented_y, rcond=None)[0]
