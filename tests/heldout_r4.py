# Copied as written from R4's held-out class, /work/redteam/heldout2/answers.py (see tests/test_heldout_r4.py);
# only two noqa comments added (B905, zip without strict=).
"""R4 held-out class: 2 wrong answers + 1 unusually-styled right answer per graded function.

Written from the course spec and the release notebooks only, before reading the catalogue.
Each entry: (name, kind, intended_mistake, function). kind is "right" or "wrong".
"""

import math

import numpy as np
from scipy import optimize, special, stats

ANSWERS = []


def entry(name, kind, mistake=""):
    def deco(f):
        ANSWERS.append((name, kind, mistake, f))
        return f

    return deco


def _pos(v, what):
    if not v > 0:
        raise ValueError(f"{what} must be > 0")


def _nonempty(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must not be empty")
    return x


# ---------------- 01 normal_mle ----------------
@entry("normal_log_likelihood", "wrong", "log(sigma^2) not halved: -n log sigma^2")
def nll_w1(x, mu, sigma):
    _pos(sigma, "sigma")
    x = np.asarray(x, float)
    n = len(x)
    return float(-n * np.log(sigma**2) - n / 2 * np.log(2 * np.pi) - np.sum((x - mu) ** 2) / (2 * sigma**2))


@entry("normal_log_likelihood", "wrong", "combined log forgets square: -(n/2) log(2 pi sigma)")
def nll_w2(x, mu, sigma):
    _pos(sigma, "sigma")
    x = np.asarray(x, float)
    n = len(x)
    return float(-n / 2 * np.log(2 * np.pi * sigma) - np.sum((x - mu) ** 2) / (2 * sigma**2))


@entry("normal_log_likelihood", "right")
def nll_r(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    total = 0.0
    for xi in list(x):
        total += stats.norm.logpdf(xi, loc=mu, scale=sigma)
    return float(total)


@entry("normal_score", "wrong", "derivative w.r.t. sigma^2 instead of sigma")
def score_w1(x, mu, sigma):
    _pos(sigma, "sigma")
    x = np.asarray(x, float)
    n = len(x)
    v = sigma**2
    return np.array([np.sum(x - mu) / v, -n / (2 * v) + np.sum((x - mu) ** 2) / (2 * v**2)])


@entry("normal_score", "wrong", "sigma-part centred at x-bar instead of mu")
def score_w2(x, mu, sigma):
    _pos(sigma, "sigma")
    x = np.asarray(x, float)
    n = len(x)
    return np.array([np.sum(x - mu) / sigma**2, -n / sigma + np.sum((x - x.mean()) ** 2) / sigma**3])


@entry("normal_score", "right")
def score_r(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("sigma must be > 0")
    d_mu = 0.0
    d_sigma = 0.0
    for xi in x:
        z = (xi - mu) / sigma
        d_mu += z / sigma
        d_sigma += (z * z - 1.0) / sigma
    return np.array([d_mu, d_sigma], dtype=float)


@entry("normal_mle", "wrong", "sqrt misplaced: sqrt(SS)/n")
def nmle_w1(x):
    x = _nonempty(x)
    m = x.mean()
    return float(m), float(np.sqrt(np.sum((x - m) ** 2)) / len(x))


@entry("normal_mle", "wrong", "mean absolute deviation for sigma (Laplace confusion)")
def nmle_w2(x):
    x = _nonempty(x)
    m = x.mean()
    return float(m), float(np.mean(np.abs(x - m)))


@entry("normal_mle", "right")
def nmle_r(x):
    x = list(x)
    if not x:
        raise ValueError("x is empty")
    n = len(x)
    m = math.fsum(x) / n
    return m, math.sqrt(math.fsum((xi - m) ** 2 for xi in x) / n)


@entry("simulate_sigma2_hat", "wrong", "variance around true mu (unbiased) instead of x-bar")
def sim_w1(n, mu, sigma, n_reps, rng):
    if n < 1 or n_reps < 1:
        raise ValueError("n and n_reps must be >= 1")
    _pos(sigma, "sigma")
    s = rng.normal(mu, sigma, size=(n_reps, n))
    return np.mean((s - mu) ** 2, axis=1)


@entry("simulate_sigma2_hat", "wrong", "variance passed as scale: rng.normal(mu, sigma**2)")
def sim_w2(n, mu, sigma, n_reps, rng):
    if n < 1 or n_reps < 1:
        raise ValueError("n and n_reps must be >= 1")
    _pos(sigma, "sigma")
    s = rng.normal(mu, sigma**2, size=(n_reps, n))
    return s.var(axis=1)


@entry("simulate_sigma2_hat", "right")
def sim_r(n, mu, sigma, n_reps, rng):
    if n < 1 or n_reps < 1 or sigma <= 0:
        raise ValueError("need n >= 1, n_reps >= 1 and sigma > 0")
    out = np.empty(n_reps)
    for r in range(n_reps):
        sample = rng.normal(mu, sigma, n)
        out[r] = np.var(sample)
    return out


# ---------------- 02 distributions ----------------
@entry("bernoulli_log_likelihood", "wrong", "n log(1-p) instead of (n-s) log(1-p)")
def bll_w1(x, p):
    if not 0 <= p <= 1:
        raise ValueError("p must be in [0, 1]")
    x = np.asarray(x, float)
    s, n = x.sum(), len(x)
    a = s * np.log(p) if s > 0 else 0.0
    b = n * np.log(1 - p) if n > 0 else 0.0
    return float(a + b)


@entry("bernoulli_log_likelihood", "wrong", "binomial coefficient log C(n, s) added")
def bll_w2(x, p):
    if not 0 <= p <= 1:
        raise ValueError("p must be in [0, 1]")
    x = np.asarray(x, float)
    s, n = x.sum(), len(x)
    ll = special.xlogy(s, p) + special.xlogy(n - s, 1 - p)
    return float(ll + special.gammaln(n + 1) - special.gammaln(s + 1) - special.gammaln(n - s + 1))


@entry("bernoulli_log_likelihood", "right")
def bll_r(x, p):
    if p < 0 or p > 1 or p != p:
        raise ValueError("p must lie in [0, 1]")
    total = 0.0
    for xi in x:
        prob = p if xi == 1 else 1 - p
        if prob == 0:
            return float("-inf")
        total += math.log(prob)
    return total


@entry("bernoulli_mle", "wrong", "Laplace smoothing (s+1)/(n+2)")
def bm_w1(x):
    x = _nonempty(x)
    return float((x.sum() + 1) / (len(x) + 2))


@entry("bernoulli_mle", "wrong", "divides by n-1 out of habit")
def bm_w2(x):
    x = _nonempty(x)
    return float(x.sum() / (len(x) - 1)) if len(x) > 1 else float(x.sum())


@entry("bernoulli_mle", "right")
def bm_r(x):
    ones = zeros = 0
    for xi in x:
        if xi:
            ones += 1
        else:
            zeros += 1
    if ones + zeros == 0:
        raise ValueError("x must be non-empty")
    return ones / (ones + zeros)


@entry("poisson_log_likelihood", "wrong", "gammaln(k) instead of gammaln(k+1)")
def pll_w1(k, lam):
    _pos(lam, "lam")
    k = np.asarray(k, float)
    return float(np.sum(k * np.log(lam) - lam - special.gammaln(np.maximum(k, 1))))


@entry("poisson_log_likelihood", "wrong", "-lam once instead of -n lam")
def pll_w2(k, lam):
    _pos(lam, "lam")
    k = np.asarray(k, float)
    return float(np.sum(k) * np.log(lam) - lam - np.sum(special.gammaln(k + 1)))


@entry("poisson_log_likelihood", "right")
def pll_r(k, lam):
    if not lam > 0:
        raise ValueError("lam must be positive")
    return float(np.sum(stats.poisson.logpmf(np.asarray(k), lam)))


@entry("poisson_mle", "wrong", "variance (mean = variance confusion)")
def pm_w1(k):
    k = _nonempty(k)
    return float(np.var(k))


@entry("poisson_mle", "wrong", "rounds the rate to an integer count")
def pm_w2(k):
    k = _nonempty(k)
    return float(round(k.mean()))


@entry("poisson_mle", "right")
def pm_r(k):
    k = list(k)
    if len(k) == 0:
        raise ValueError("k is empty")
    return math.fsum(k) / len(k)


@entry("exponential_log_likelihood", "wrong", "rate treated as scale: -n log l - sum(x)/l")
def ell_w1(x, rate):
    _pos(rate, "rate")
    x = np.asarray(x, float)
    if np.any(x < 0):
        return float("-inf")
    return float(-len(x) * np.log(rate) - x.sum() / rate)


@entry("exponential_log_likelihood", "wrong", "mean instead of sum in the rate term: n log l - l x_bar")
def ell_w2(x, rate):
    _pos(rate, "rate")
    x = np.asarray(x, float)
    if np.any(x < 0):
        return float("-inf")
    return float(len(x) * np.log(rate) - rate * x.mean())


@entry("exponential_log_likelihood", "right")
def ell_r(x, rate):
    if rate <= 0:
        raise ValueError("rate must be > 0")
    return float(np.sum(stats.expon.logpdf(np.asarray(x, float), scale=1.0 / rate)))


@entry("exponential_mle", "wrong", "unbiased rate (n-1)/sum(x)")
def em_w1(x):
    x = _nonempty(x)
    return float((len(x) - 1) / x.sum()) if len(x) > 1 else float(1 / x.sum())


@entry("exponential_mle", "wrong", "mean of reciprocals mean(1/x)")
def em_w2(x):
    x = _nonempty(x)
    return float(np.mean(1.0 / x))


@entry("exponential_mle", "right")
def em_r(x):
    total, n = 0.0, 0
    for xi in x:
        total += xi
        n += 1
    if n == 0:
        raise ValueError("x must not be empty")
    return n / total


@entry("uniform_mle", "wrong", "method of moments 2 x_bar")
def um_w1(x):
    x = _nonempty(x)
    return float(2 * x.mean())


@entry("uniform_mle", "wrong", "range max - min")
def um_w2(x):
    x = _nonempty(x)
    return float(x.max() - x.min())


@entry("uniform_mle", "right")
def um_r(x):
    xs = sorted(x)
    if not xs:
        raise ValueError("x is empty")
    return float(xs[-1])


@entry("laplace_mle", "wrong", "scale: mean |x - mean| instead of |x - median|")
def lm_w1(x):
    x = _nonempty(x)
    return float(np.median(x)), float(np.mean(np.abs(x - x.mean())))


@entry("laplace_mle", "wrong", "scale: median absolute deviation (MAD)")
def lm_w2(x):
    x = _nonempty(x)
    m = np.median(x)
    return float(m), float(np.median(np.abs(x - m)))


@entry("laplace_mle", "right")
def lm_r(x):
    x = list(x)
    if not x:
        raise ValueError("x is empty")
    loc = float(np.percentile(x, 50))
    return loc, float(math.fsum(abs(xi - loc) for xi in x) / len(x))


@entry("categorical_mle", "wrong", "bincount without minlength (drops trailing empty categories)")
def cm_w1(x, n_categories):
    if n_categories < 1:
        raise ValueError("n_categories must be >= 1")
    x = np.asarray(x, int)
    if x.size == 0:
        raise ValueError("x is empty")
    if x.min() < 0 or x.max() >= n_categories:
        raise ValueError("label outside 0..n_categories-1")
    return np.bincount(x) / len(x)


@entry("categorical_mle", "wrong", "add-one smoothing (c+1)/(n+K)")
def cm_w2(x, n_categories):
    if n_categories < 1:
        raise ValueError("n_categories must be >= 1")
    x = np.asarray(x, int)
    if x.size == 0:
        raise ValueError("x is empty")
    if x.min() < 0 or x.max() >= n_categories:
        raise ValueError("label outside 0..n_categories-1")
    return (np.bincount(x, minlength=n_categories) + 1) / (len(x) + n_categories)


@entry("categorical_mle", "right")
def cm_r(x, n_categories):
    if n_categories < 1:
        raise ValueError("n_categories must be at least 1")
    counts = [0] * n_categories
    n = 0
    for label in x:
        if label != int(label) or not 0 <= label < n_categories:
            raise ValueError(f"label {label} outside 0..{n_categories - 1}")
        counts[int(label)] += 1
        n += 1
    if n == 0:
        raise ValueError("x must not be empty")
    return np.array([c / n for c in counts], dtype=float)


# ---------------- 03 numerical_mle ----------------
@entry("gradient_ascent", "wrong", "history misses the final iterate (length n_steps)")
def ga_w1(score, theta0, learning_rate, n_steps):
    if learning_rate <= 0 or n_steps < 0:
        raise ValueError("learning_rate must be > 0 and n_steps >= 0")
    theta = np.asarray(theta0, float).copy()
    hist = []
    for _ in range(n_steps):
        hist.append(theta.copy())
        theta = theta + learning_rate * np.asarray(score(theta), float)
    return theta, np.array(hist).reshape(-1, theta.size)


@entry("gradient_ascent", "wrong", "in-place update aliases every history row")
def ga_w2(score, theta0, learning_rate, n_steps):
    if learning_rate <= 0 or n_steps < 0:
        raise ValueError("learning_rate must be > 0 and n_steps >= 0")
    theta = np.array(theta0, dtype=float)
    hist = [theta]
    for _ in range(n_steps):
        theta += learning_rate * np.asarray(score(theta), float)
        hist.append(theta)
    return theta, np.array(hist)


@entry("gradient_ascent", "right")
def ga_r(score, theta0, learning_rate, n_steps):
    if not learning_rate > 0:
        raise ValueError("learning_rate must be > 0")
    if n_steps < 0:
        raise ValueError("n_steps must be >= 0")
    t0 = np.array(theta0, dtype=float).ravel()
    history = np.zeros((n_steps + 1, t0.size))
    history[0] = t0
    for t in range(n_steps):
        history[t + 1] = history[t] + learning_rate * np.asarray(score(history[t].copy()), float)
    return history[-1].copy(), history


@entry("newton_raphson", "wrong", "multiplies by H instead of H^-1")
def nr_w1(score, hessian, theta0, tol=1e-10, max_iter=100):
    theta = np.asarray(theta0, float).copy()
    for _ in range(max_iter):
        step = np.asarray(hessian(theta), float) @ np.asarray(score(theta), float)
        theta = theta - step
        if np.linalg.norm(step) < tol:
            return theta
    raise RuntimeError("did not converge")


@entry("newton_raphson", "wrong", "returns last iterate silently instead of raising at max_iter")
def nr_w2(score, hessian, theta0, tol=1e-10, max_iter=100):
    theta = np.asarray(theta0, float).copy()
    for _ in range(max_iter):
        step = np.linalg.solve(np.asarray(hessian(theta), float), np.asarray(score(theta), float))
        theta = theta - step
        if np.linalg.norm(step) < tol:
            break
    return theta


@entry("newton_raphson", "right")
def nr_r(score, hessian, theta0, tol=1e-10, max_iter=100):
    theta = np.array(theta0, dtype=float)
    it = 0
    while True:
        if it >= max_iter:
            raise RuntimeError(f"no convergence after {max_iter} iterations")
        H = np.atleast_2d(np.asarray(hessian(theta.copy()), float))
        g = np.atleast_1d(np.asarray(score(theta.copy()), float))
        step = np.linalg.lstsq(H, g, rcond=None)[0]
        theta = theta - step
        it += 1
        if math.sqrt(float(step @ step)) < tol:
            return theta


@entry("gamma_log_likelihood", "wrong", "rate passed as scipy scale")
def gll_w1(x, shape, rate):
    _pos(shape, "shape")
    _pos(rate, "rate")
    return float(np.sum(stats.gamma.logpdf(np.asarray(x, float), a=shape, scale=rate)))


@entry("gamma_log_likelihood", "wrong", "log Gamma(k) not multiplied by n")
def gll_w2(x, shape, rate):
    _pos(shape, "shape")
    _pos(rate, "rate")
    x = np.asarray(x, float)
    if np.any(x < 0):
        return float("-inf")
    n = len(x)
    return float(n * shape * np.log(rate) - special.gammaln(shape) + (shape - 1) * np.sum(np.log(x)) - rate * x.sum())


@entry("gamma_log_likelihood", "right")
def gll_r(x, shape, rate):
    if shape <= 0:
        raise ValueError("shape must be > 0")
    if rate <= 0:
        raise ValueError("rate must be > 0")
    return float(sum(stats.gamma.logpdf(xi, shape, scale=1 / rate) for xi in np.asarray(x, float)))


def _gamma_checks(x):
    x = _nonempty(x)
    if np.any(x <= 0):
        raise ValueError("x must be positive")
    if np.all(x == x[0]):
        raise ValueError("x must not be constant")
    return x


@entry("gamma_mle", "wrong", "method of moments k = xbar^2/var, beta = xbar/var")
def gm_w1(x):
    x = _gamma_checks(x)
    m, v = x.mean(), x.var()
    return float(m * m / v), float(m / v)


@entry("gamma_mle", "wrong", "returns scale xbar/k instead of rate k/xbar")
def gm_w2(x):
    x = _gamma_checks(x)
    s = np.log(x.mean()) - np.mean(np.log(x))
    k = optimize.brentq(lambda k: np.log(k) - special.digamma(k) - s, 1e-8, 1e8)
    return float(k), float(x.mean() / k)


@entry("gamma_mle", "right")
def gm_r(x):
    x = _gamma_checks(x)
    # maximise the profile log-likelihood in log k with scipy
    n, sx, slx = len(x), x.sum(), np.log(x).sum()

    def neg_profile(logk):
        k = math.exp(logk)
        b = k * n / sx
        return -(n * (k * math.log(b) - special.gammaln(k)) + (k - 1) * slx - b * sx)

    s = np.log(x.mean()) - np.mean(np.log(x))
    k0 = (3 - s + math.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s)
    res = optimize.minimize_scalar(neg_profile, bracket=(math.log(k0) - 0.5, math.log(k0) + 0.5), tol=1e-14)
    k = math.exp(res.x)
    # polish with Newton on log k - psi(k) = s
    for _ in range(50):
        f = math.log(k) - special.digamma(k) - s
        k -= f / (1 / k - special.polygamma(1, k))
    return k, k / x.mean()


@entry("normal_fisher_information", "wrong", "information for (mu, sigma^2): 1/(2 sigma^4)")
def fi_w1(sigma):
    _pos(sigma, "sigma")
    return np.diag([1 / sigma**2, 1 / (2 * sigma**4)])


@entry("normal_fisher_information", "wrong", "missing factor 2 on sigma entry")
def fi_w2(sigma):
    _pos(sigma, "sigma")
    return np.eye(2) / sigma**2


@entry("normal_fisher_information", "right")
def fi_r(sigma):
    if not sigma > 0:
        raise ValueError("sigma must be > 0")
    out = np.zeros((2, 2))
    for i, c in enumerate((1.0, 2.0)):
        out[i, i] = c / (sigma * sigma)
    return out


def _wald_checks(x, level):
    x = _nonempty(x)
    if not 0 < level < 1:
        raise ValueError("level must be in (0, 1)")
    return x


@entry("wald_interval_mu", "wrong", "t quantile with n-1 standard deviation (textbook t-interval)")
def wi_w1(x, level=0.95):
    x = _wald_checks(x, level)
    n = len(x)
    if n < 2:
        return float(x[0]), float(x[0])
    t = stats.t.ppf((1 + level) / 2, n - 1)
    h = t * x.std(ddof=1) / np.sqrt(n)
    return float(x.mean() - h), float(x.mean() + h)


@entry("wald_interval_mu", "wrong", "z = norm.ppf(level) instead of (1+level)/2")
def wi_w2(x, level=0.95):
    x = _wald_checks(x, level)
    z = stats.norm.ppf(level)
    h = z * x.std() / np.sqrt(len(x))
    return float(x.mean() - h), float(x.mean() + h)


@entry("wald_interval_mu", "right")
def wi_r(x, level=0.95):
    x = _wald_checks(x, level)
    lo, hi = stats.norm.interval(level, loc=x.mean(), scale=np.sqrt(np.mean((x - x.mean()) ** 2) / len(x)))
    return float(lo), float(hi)


# ---------------- 04 regression ----------------
@entry("linear_regression_nll", "wrong", "RSS / (2 sigma) instead of / (2 sigma^2)")
def lnll_w1(w, sigma, X, y):
    _pos(sigma, "sigma")
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    n = len(y)
    r = y - X @ w
    return float(n * np.log(sigma) + n / 2 * np.log(2 * np.pi) + r @ r / (2 * sigma))


@entry("linear_regression_nll", "wrong", "(n/2) log sigma instead of n log sigma")
def lnll_w2(w, sigma, X, y):
    _pos(sigma, "sigma")
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    n = len(y)
    r = y - X @ w
    return float(n / 2 * np.log(sigma) + n / 2 * np.log(2 * np.pi) + r @ r / (2 * sigma**2))


@entry("linear_regression_nll", "right")
def lnll_r(w, sigma, X, y):
    if sigma <= 0:
        raise ValueError("sigma must be > 0")
    X, y, w = np.asarray(X, float), np.asarray(y, float), np.asarray(w, float)
    return float(-np.sum(stats.norm.logpdf(y, loc=X @ w, scale=sigma)))


@entry("linear_regression_mle", "wrong", "unbiased sigma: RSS/(n-d)")
def lmle_w1(X, y):
    X, y = np.asarray(X, float), np.asarray(y, float)
    if len(y) == 0:
        raise ValueError("no observations")
    w = np.linalg.lstsq(X, y, rcond=None)[0]
    r = y - X @ w
    dof = max(len(y) - X.shape[1], 1)
    return w, float(np.sqrt(r @ r / dof))


@entry("linear_regression_mle", "wrong", "np.std of residuals (subtracts residual mean)")
def lmle_w2(X, y):
    X, y = np.asarray(X, float), np.asarray(y, float)
    if len(y) == 0:
        raise ValueError("no observations")
    w = np.linalg.solve(X.T @ X, X.T @ y)
    return w, float(np.std(y - X @ w))


@entry("linear_regression_mle", "right")
def lmle_r(X, y):
    X, y = np.asarray(X, float), np.asarray(y, float)
    if X.shape[0] == 0:
        raise ValueError("need at least one observation")
    Q, R = np.linalg.qr(X)
    w = np.linalg.solve(R, Q.T @ y)
    rss = float(np.sum((y - X @ w) ** 2))
    return w, math.sqrt(rss / X.shape[0])


@entry("logistic_nll", "wrong", "naive log(1 + exp(z)) overflows for large margins")
def lgn_w1(w, X, y):
    z = np.asarray(X, float) @ np.asarray(w, float)
    y = np.asarray(y, float)
    with np.errstate(over="ignore"):
        return float(np.sum(np.log(1 + np.exp(z)) - y * z))


@entry("logistic_nll", "wrong", "+/-1-label formula applied to 0/1 labels")
def lgn_w2(w, X, y):
    z = np.asarray(X, float) @ np.asarray(w, float)
    y = np.asarray(y, float)
    return float(np.sum(np.logaddexp(0, -y * z)))


@entry("logistic_nll", "right")
def lgn_r(w, X, y):
    z = np.asarray(X, float) @ np.asarray(w, float)
    total = 0.0
    for zi, yi in zip(z, np.asarray(y, float)):  # noqa: B905
        # cross-entropy: -[y log sigma(z) + (1-y) log(1 - sigma(z))]
        total += yi * np.logaddexp(0, -zi) + (1 - yi) * np.logaddexp(0, zi)
    return float(total)


def _sig(z):
    return special.expit(z)


@entry("logistic_gradient", "wrong", "squared-loss chain rule: extra sigma(1-sigma) factor")
def lgg_w1(w, X, y):
    X = np.asarray(X, float)
    p = _sig(X @ np.asarray(w, float))
    return X.T @ ((p - np.asarray(y, float)) * p * (1 - p))


@entry("logistic_gradient", "wrong", "ascent sign: X^T (y - sigma)")
def lgg_w2(w, X, y):
    X = np.asarray(X, float)
    return X.T @ (np.asarray(y, float) - _sig(X @ np.asarray(w, float)))


@entry("logistic_gradient", "right")
def lgg_r(w, X, y):
    X = np.asarray(X, float)
    w = np.asarray(w, float)
    g = np.zeros(X.shape[1])
    for xi, yi in zip(X, np.asarray(y, float)):  # noqa: B905
        g += (1.0 / (1.0 + np.exp(-np.clip(xi @ w, -700, 700))) - yi) * xi
    return g


def _mean_nll(w, X, y):
    z = X @ w
    return float(np.mean(np.logaddexp(0, z) - y * z))


def _fit_checks(learning_rate, n_steps, X_val, y_val):
    if learning_rate <= 0 or n_steps < 0:
        raise ValueError("learning_rate must be > 0 and n_steps >= 0")
    if (X_val is None) != (y_val is None):
        raise ValueError("give both X_val and y_val or neither")


@entry("fit_logistic", "wrong", "sum gradient instead of mean (step n times too big)")
def fl_w1(X, y, learning_rate, n_steps, X_val=None, y_val=None):
    _fit_checks(learning_rate, n_steps, X_val, y_val)
    X, y = np.asarray(X, float), np.asarray(y, float)
    w = np.zeros(X.shape[1])
    tr, va = [_mean_nll(w, X, y)], None
    if X_val is not None:
        Xv, yv = np.asarray(X_val, float), np.asarray(y_val, float)
        va = [_mean_nll(w, Xv, yv)]
    for _ in range(n_steps):
        w = w - learning_rate * X.T @ (_sig(X @ w) - y)
        tr.append(_mean_nll(w, X, y))
        if va is not None:
            va.append(_mean_nll(w, Xv, yv))
    return w, np.array(tr), None if va is None else np.array(va)


@entry("fit_logistic", "wrong", "losses recorded after each step only (misses initial loss)")
def fl_w2(X, y, learning_rate, n_steps, X_val=None, y_val=None):
    _fit_checks(learning_rate, n_steps, X_val, y_val)
    X, y = np.asarray(X, float), np.asarray(y, float)
    n = len(y)
    w = np.zeros(X.shape[1])
    tr, va = [], None if X_val is None else []
    for _ in range(n_steps):
        w = w - learning_rate * X.T @ (_sig(X @ w) - y) / n
        tr.append(_mean_nll(w, X, y))
        if va is not None:
            va.append(_mean_nll(w, np.asarray(X_val, float), np.asarray(y_val, float)))
    return w, np.array(tr), None if va is None else np.array(va)


@entry("fit_logistic", "right")
def fl_r(X, y, learning_rate, n_steps, X_val=None, y_val=None):
    _fit_checks(learning_rate, n_steps, X_val, y_val)
    X, y = np.asarray(X, float), np.asarray(y, float)
    n, d = X.shape
    w = np.zeros(d)
    train = np.empty(n_steps + 1)
    val = None if X_val is None else np.empty(n_steps + 1)
    for t in range(n_steps + 1):
        train[t] = lgn_r(w, X, y) / n
        if val is not None:
            val[t] = lgn_r(w, X_val, y_val) / len(y_val)
        if t < n_steps:
            w = w - learning_rate / n * lgg_r(w, X, y)
    return w, train, val


@entry("ridge_map", "wrong", "penalty scaled by n: (X^T X + n lam I)")
def rm_w1(X, y, lam):
    if lam < 0:
        raise ValueError("lam must be >= 0")
    X, y = np.asarray(X, float), np.asarray(y, float)
    return np.linalg.solve(X.T @ X + len(y) * lam * np.eye(X.shape[1]), X.T @ y)


@entry("ridge_map", "wrong", "intercept (first column) left unpenalised")
def rm_w2(X, y, lam):
    if lam < 0:
        raise ValueError("lam must be >= 0")
    X, y = np.asarray(X, float), np.asarray(y, float)
    P = lam * np.eye(X.shape[1])
    P[0, 0] = 0.0
    return np.linalg.solve(X.T @ X + P, X.T @ y)


@entry("ridge_map", "right")
def rm_r(X, y, lam):
    if not lam >= 0:
        raise ValueError("lam must be >= 0")
    X, y = np.asarray(X, float), np.asarray(y, float)
    d = X.shape[1]
    A = np.vstack([X, math.sqrt(lam) * np.eye(d)])
    b = np.concatenate([y, np.zeros(d)])
    return np.linalg.lstsq(A, b, rcond=None)[0]


# ---- after the first run: the three right answers that failed an edge check, corrected ----
@entry("categorical_mle", "right", "(rerun) message names x")
def cm_r2(x, n_categories):
    try:
        return cm_r(x, n_categories)
    except ValueError as exc:
        raise ValueError(f"x: {exc}") from None


@entry("wald_interval_mu", "right", "(rerun) no scipy scale=0 NaN at n = 1")
def wi_r2(x, level=0.95):
    x = _wald_checks(x, level)
    half = stats.norm.ppf(0.5 + level / 2) * np.sqrt(np.mean((x - x.mean()) ** 2) / len(x))
    return float(x.mean() - half), float(x.mean() + half)


@entry("linear_regression_mle", "right", "(rerun) message names y")
def lmle_r2(X, y):
    if len(np.asarray(y)) == 0:
        raise ValueError("y is empty: need at least one observation")
    return lmle_r(X, y)
