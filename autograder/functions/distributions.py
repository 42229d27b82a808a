"""Hidden cases and judges for assignment 02, "we always deal with distributions"."""

import numpy as np
from scipy import special, stats

from autograder.cases import BadCall, Case, GradedFunction, Mistake
from autograder.judges import same_array, same_fit, same_value
from autograder.mistakes import averaged, computes, exponentiated, in_base_10, negated, not_a_number
from solutions import distributions as reference


def _flips(rng: np.random.Generator) -> list[tuple[str, np.ndarray, float]]:
    return [
        ("200 ad impressions, 1 = clicked", rng.binomial(1, 0.07, 200), 0.05),
        ("30 coin flips, 1 = heads", rng.binomial(1, 0.5, 30), 0.6),
        ("1000 survey answers, 1 = yes", rng.binomial(1, 0.8, 1000), 0.75),
    ]


def _flips_edge(rng: np.random.Generator) -> list[tuple[str, list | np.ndarray, float]]:
    return [
        ("no clicks at all, evaluated at p = 0", np.zeros(12, dtype=int), 0.0),
        ("all heads (a plain list), evaluated at p = 1", [1] * 7, 1.0),
        ("a click where p = 0 says it is impossible", [0, 0, 1], 0.0),
        ("a single flip", [int(rng.integers(0, 2))], 0.3),
    ]


def _counts(rng: np.random.Generator) -> list[tuple[str, np.ndarray, float]]:
    return [
        ("48 hours of support tickets per hour", rng.poisson(3.2, 48), 3.0),
        ("30 days of website outages per day", rng.poisson(0.4, 30), 0.5),
        ("60 minutes of cars past a sensor, large counts", rng.poisson(150, 60), 140.0),
        # skewed: the median (0 or 1), the floored mean (2 or more), the mean and the variance all differ
        (
            "40 shoppers' visits in a month: most 0 or 1, four regulars 25 or more",
            np.concatenate([rng.poisson(0.6, 36), rng.integers(25, 40, 4)]),
            2.5,
        ),
    ]


def _counts_edge(rng: np.random.Generator) -> list[tuple[str, list | np.ndarray, float]]:
    return [
        ("a quiet week: every count 0", np.zeros(7, dtype=int), 0.1),
        ("a single count (a plain list)", [int(rng.poisson(5))], 2.0),
        ("very large counts around 10 000", rng.poisson(1e4, 20), 9990.0),
    ]


def _waits(rng: np.random.Generator) -> list[tuple[str, np.ndarray, float]]:
    return [
        ("50 waits for a bus, in minutes", rng.exponential(12, 50), 0.1),
        ("200 gaps between web requests, in seconds", rng.exponential(0.5, 200), 1.8),
        ("20 component lifetimes, in years", rng.exponential(7, 20), 0.15),
    ]


def _waits_edge(rng: np.random.Generator) -> list[tuple[str, list | np.ndarray, float]]:
    return [
        ("waits including one of exactly 0 (a plain list)", [0.0, 1.0, 2.5], 2.0),
        ("a single wait", [float(rng.exponential(3))], 0.5),
        ("long waits around 10 000 seconds", rng.exponential(1e4, 30), 1e-4),
    ]


def _parameter_cases(draw, parameter: str):
    return lambda rng: [Case(label, {"x": x, parameter: value}) for label, x, value in draw(rng)]


def _count_cases(draw):
    return lambda rng: [Case(label, {"k": k, "lam": lam}) for label, k, lam in draw(rng)]


def _data_cases(draw, name: str = "x"):
    return lambda rng: [Case(label, {name: data}) for label, data, *_ in draw(rng)]


def _uniform(rng: np.random.Generator) -> list[tuple[str, np.ndarray]]:
    return [
        ("40 arrival times in a timetable window, in minutes", rng.uniform(0, 17, 40)),
        ("12 outputs of an unknown random number generator", rng.uniform(0, 1000, 12)),
        ("300 rounding errors, in cents", rng.uniform(0, 2.5, 300)),
    ]


def _uniform_edge(rng: np.random.Generator) -> list[tuple[str, list | np.ndarray]]:
    return [("a single observation", [float(rng.uniform(0, 4))]), ("a plain list", [0.5, 3.25, 1.0, 2.75])]


def _laplace(rng: np.random.Generator) -> list[tuple[str, np.ndarray]]:
    return [
        ("51 daily stock returns, in %", rng.laplace(0.05, 1.2, 51)),
        ("40 sensor errors (an even number: any point between the middle two is a median)", rng.laplace(-2, 0.3, 40)),
        ("201 residuals with heavy tails", rng.laplace(10, 4, 201)),
    ]


def _laplace_edge(rng: np.random.Generator) -> list[tuple[str, list | np.ndarray]]:
    return [
        ("a single observation", [float(rng.laplace())]),
        ("a plain list with one wild outlier", [1.0, 1.5, 2.0, 2.5, 250.0]),
    ]


def _laplace_log_likelihood(x, location: float, scale: float) -> float:
    return float(np.sum(stats.laplace.logpdf(np.asarray(x, dtype=float), location, scale)))


def _labels(rng: np.random.Generator) -> list[Case]:
    return [
        Case(
            "500 customer choices among 4 plans", {"x": rng.choice(4, 500, p=[0.5, 0.3, 0.15, 0.05]), "n_categories": 4}
        ),
        Case("120 rolls of a die, faces 0 to 5", {"x": rng.integers(0, 6, 120), "n_categories": 6}),
        Case(
            "60 images of 10 classes, some classes never seen",
            {"x": rng.choice([0, 1, 3, 4, 7], 60), "n_categories": 10},
        ),
    ]


def _labels_edge(rng: np.random.Generator) -> list[Case]:
    return [
        Case("a plain list where category 1 and 3 never occur", {"x": [0, 0, 2, 2, 2], "n_categories": 4}),
        Case("a single label", {"x": [int(rng.integers(0, 3))], "n_categories": 3}),
        Case("one category only", {"x": np.zeros(5, dtype=int), "n_categories": 1}),
    ]


def _float(x) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _log_binomial(x) -> float:
    """log C(n, s) for n outcomes with s ones: the binomial coefficient a Bernoulli likelihood does not have."""
    n, s = _float(x).size, np.sum(_float(x))
    return float(special.gammaln(n + 1) - special.gammaln(s + 1) - special.gammaln(n - s + 1))


ASSIGNMENT = "02_distributions"

GRADED = (
    GradedFunction(
        name="bernoulli_log_likelihood",
        assignment=ASSIGNMENT,
        reference=reference.bernoulli_log_likelihood,
        typical=_parameter_cases(_flips, "p"),
        edge=_parameter_cases(_flips_edge, "p"),
        judge=same_value(reference.bernoulli_log_likelihood),
        bad_calls=(BadCall("p", {"x": [0, 1], "p": -0.1}), BadCall("p", {"x": [0, 1], "p": 1.5})),
        mistakes=(
            Mistake(
                "0 log 0 evaluated as NaN",
                "Your log-likelihood is NaN where p is 0 or 1 and the data agree with it: s·log(p) with s = 0 and "
                "p = 0 evaluates 0 · (-inf) = NaN. By convention (and by the limit) 0·log 0 = 0: use "
                "scipy.special.xlogy(s, p), which does exactly that.",
                not_a_number(),
                learners=("nora_nan_zero_log",),
            ),
            Mistake(
                "likelihood instead of log-likelihood",
                "Your value is the likelihood p^s (1-p)^(n-s), not its logarithm: return s·log p + (n-s)·log(1-p).",
                exponentiated(reference.bernoulli_log_likelihood),
                learners=("leo_likelihood",),
            ),
            Mistake(
                "negative log-likelihood",
                "Your value has the wrong sign: you returned the negative log-likelihood (the cross-entropy loss). "
                "The log-likelihood of 0/1 data is at most 0.",
                negated(reference.bernoulli_log_likelihood),
                learners=("cara_cross_entropy",),
            ),
            Mistake(
                "binomial coefficient added",
                "Your value is off by log C(n, s): you wrote the binomial likelihood of the count s = Σxᵢ. The "
                "data here are the n individual outcomes, whose log-likelihood is s·log p + (n-s)·log(1-p), with "
                "no coefficient.",
                computes(lambda x, p: reference.bernoulli_log_likelihood(x, p) + _log_binomial(x)),
                learners=("bo_binomial",),
            ),
            Mistake(
                "mean instead of sum",
                "Your value is the average log-likelihood per observation: the log-likelihood is the sum over "
                "all n observations.",
                averaged(reference.bernoulli_log_likelihood, "x"),
                learners=("meg_mean_bernoulli",),
            ),
            Mistake(
                "p and 1 - p swapped",
                "Your value is the log-likelihood of 1 - p: the ones got log(1 - p) and the zeros log p. A one "
                "(a success) has probability p: Σ[xᵢ log p + (1 - xᵢ) log(1 - p)].",
                computes(lambda x, p: reference.bernoulli_log_likelihood(x, 1 - p)),
                learners=("sway_swapped",),
            ),
            Mistake(
                "log base 10",
                "Your value is the log-likelihood in base 10 (np.log10): it is the natural-log value divided by "
                "ln 10 ≈ 2.3026. Likelihoods use the natural logarithm, np.log.",
                in_base_10(reference.bernoulli_log_likelihood),
                learners=("ten_log10_bernoulli",),
            ),
            Mistake(
                "n log(1 - p) for (n - s) log(1 - p)",
                "Your value gives every observation a log(1 - p) term: n·log(1 - p). Only the zeros have "
                "probability 1 - p; with s ones among n outcomes, ℓ(p) = s·log p + (n - s)·log(1 - p).",
                computes(lambda x, p: special.xlogy(np.sum(_float(x)), p) + special.xlogy(_float(x).size, 1 - p)),
                learners=("noor_all_failures",),
            ),
        ),
    ),
    GradedFunction(
        name="bernoulli_mle",
        assignment=ASSIGNMENT,
        reference=reference.bernoulli_mle,
        typical=_data_cases(_flips),
        edge=_data_cases(_flips_edge),
        judge=same_value(reference.bernoulli_mle),
        bad_calls=(BadCall("x", {"x": []}, why="is empty"),),
        mistakes=(
            Mistake(
                "count instead of proportion",
                "Your estimate is the number of ones; the MLE of p is their proportion, s / n.",
                computes(lambda x: np.sum(_float(x))),
                learners=("carl_count",),
            ),
            Mistake(
                "add-one smoothing",
                "Your estimate is (s + 1)/(n + 2), Laplace's rule of succession (a uniform prior's posterior "
                "mean). The MLE maximises the likelihood alone: p̂ = s/n, the proportion of ones.",
                computes(lambda x: (np.sum(_float(x)) + 1) / (_float(x).size + 2)),
                learners=("lap_laplace_rule",),
            ),
            Mistake(
                "proportion of zeros",
                "Your estimate is the proportion of zeros, 1 - x̄. p is the probability of a one: p̂ = x̄.",
                computes(lambda x: 1 - np.mean(_float(x))),
                learners=("zed_zeros",),
            ),
            Mistake(
                "n - 1 instead of n",
                "Your estimate divides the number of ones by n - 1, a correction that belongs to variances. The "
                "MLE of p is the proportion of ones, s / n.",
                computes(lambda x: np.sum(_float(x)) / (_float(x).size - 1)),
                learners=("noah_n_minus_one",),
            ),
            Mistake(
                "median instead of mean",
                "Your estimate is the median outcome, always 0, 1/2 or 1. Setting the score s/p - (n - s)/(1 - p) "
                "to zero gives the mean of the 0/1 data: p̂ = s / n.",
                computes(lambda x: np.median(_float(x))),
                learners=("mira_median_flip",),
            ),
            Mistake(
                "odds instead of probability",
                "Your estimate is the odds of a one, s / (n - s). p is a probability, the proportion of ones: "
                "p̂ = s / n.",
                computes(lambda x: np.sum(_float(x)) / (_float(x).size - np.sum(_float(x)))),
                learners=("odin_odds",),
            ),
        ),
    ),
    GradedFunction(
        name="poisson_log_likelihood",
        assignment=ASSIGNMENT,
        reference=reference.poisson_log_likelihood,
        typical=_count_cases(_counts),
        edge=_count_cases(_counts_edge),
        judge=same_value(reference.poisson_log_likelihood),
        bad_calls=(BadCall("lam", {"k": [1, 2], "lam": 0.0}), BadCall("lam", {"k": [1, 2], "lam": -2.0})),
        mistakes=(
            Mistake(
                "dropped log k! constant",
                "Your value is off by exactly Σ log(kᵢ!): the constant of the Poisson mass function was dropped. "
                "Keep it, computed stably as scipy.special.gammaln(k + 1).",
                computes(
                    lambda k, lam: reference.poisson_log_likelihood(k, lam) + np.sum(special.gammaln(_float(k) + 1))
                ),
                learners=("finn_no_factorial",),
            ),
            Mistake(
                "mean instead of sum",
                "Your value is the average log-probability per count: the log-likelihood is the sum over all counts.",
                averaged(reference.poisson_log_likelihood, "k"),
                learners=("ava_average",),
            ),
            Mistake(
                "negative log-likelihood",
                "Your value has the wrong sign: you returned the negative log-likelihood. Log-probabilities are ≤ 0.",
                negated(reference.poisson_log_likelihood),
                learners=("nils_negative",),
            ),
            Mistake(
                "log k! added",
                "Your value is off by 2·Σ log kᵢ!: the log factorials were added. The Poisson pmf divides by "
                "kᵢ!, so the log-likelihood subtracts Σ log kᵢ! (scipy.special.gammaln(k + 1)).",
                computes(
                    lambda k, lam: reference.poisson_log_likelihood(k, lam) + 2 * np.sum(special.gammaln(_float(k) + 1))
                ),
                learners=("fae_factorial_sign",),
            ),
            Mistake(
                "log Gamma(k) for log k!",
                "Your value uses log Γ(kᵢ) = gammaln(k) where log kᵢ! = gammaln(k + 1) belongs (k! = Γ(k + 1)); "
                "a count of 0 then gives log Γ(0) = inf, and clipping k to 1 puts right only the counts 0 and 1.",
                # counts of 0 clipped to 1 (gammaln(max(k, 1))) make the same mistake on every other count; unclipped,
                # a count of 0 gives an infinity, which names nothing and rules nothing out
                computes(
                    lambda k, lam: (
                        reference.poisson_log_likelihood(k, lam)
                        + np.sum(special.gammaln(_float(k) + 1) - special.gammaln(np.maximum(_float(k), 1)))
                    )
                ),
                learners=("gil_gamma_off_by_one",),
            ),
            Mistake(
                "lambda once instead of n times",
                "Your value subtracts λ once: each of the n observations contributes -λ, so the sum has -nλ. "
                "ℓ(λ) = (Σkᵢ) log λ - nλ - Σ log kᵢ!.",
                computes(lambda k, lam: reference.poisson_log_likelihood(k, lam) + (np.size(k) - 1) * lam),
                learners=("lonny_lambda_once",),
            ),
            Mistake(
                "exp(-lambda) left out",
                "Your value is off by exactly nλ: the e^(-λ) of the Poisson pmf λᵏe^(-λ)/k! was left out. Each "
                "count contributes kᵢ log λ - λ - log kᵢ!, so ℓ(λ) = (Σkᵢ) log λ - nλ - Σ log kᵢ!.",
                computes(lambda k, lam: reference.poisson_log_likelihood(k, lam) + np.size(k) * lam),
                learners=("ezra_no_minus_lambda",),
            ),
            Mistake(
                "log base 10",
                "Your value is the log-likelihood in base 10 (np.log10): the natural-log value divided by "
                "ln 10 ≈ 2.3026. Likelihoods use the natural logarithm, np.log.",
                in_base_10(reference.poisson_log_likelihood),
                learners=("tara_log10_counts",),
            ),
            Mistake(
                "likelihood instead of log-likelihood",
                "Your value is the likelihood, a product of probabilities (often so small that it is 0 in floating "
                "point), not its logarithm: sum the log-probabilities, (Σkᵢ) log λ - nλ - Σ log kᵢ!.",
                exponentiated(reference.poisson_log_likelihood),
                learners=("lena_likelihood_counts",),
            ),
        ),
    ),
    GradedFunction(
        name="poisson_mle",
        assignment=ASSIGNMENT,
        reference=reference.poisson_mle,
        typical=_data_cases(_counts, "k"),
        edge=lambda rng: [
            *_data_cases(_counts_edge, "k")(rng),
            # a mean of 2.75: floored (2), rounded (3) and the mean itself all differ, whatever the draws
            Case("four counts, a plain list", {"k": [2, 3, 3, 3]}),
        ],
        judge=same_value(reference.poisson_mle),
        bad_calls=(BadCall("k", {"k": []}, why="is empty"),),
        mistakes=(
            Mistake(
                "median instead of mean",
                "Your estimate is the median count. Setting the score Σkᵢ/λ - n to zero gives the mean count.",
                computes(lambda k: np.median(_float(k))),
                learners=("mia_median",),
            ),
            Mistake(
                "variance instead of mean",
                "Your estimate is the sample variance. A Poisson's variance equals its mean, but the MLE is the "
                "mean itself: λ̂ = k̄ (setting Σ(kᵢ/λ - 1) = 0).",
                computes(lambda k: np.var(_float(k))),
                learners=("vic_variance_rate",),
            ),
            Mistake(
                "n - 1 instead of n",
                "Your estimate divides the total count by n - 1, a correction that belongs to variances. The MLE "
                "of λ is the plain mean, Σkᵢ/n, which is already unbiased.",
                computes(lambda k: np.sum(_float(k)) / (_float(k).size - 1)),
                learners=("una_unbiased_rate",),
            ),
            Mistake(
                "integer division",
                "Your estimate is a whole number: sum // n floors the mean. λ̂ is the mean count itself, a real "
                "number: sum(k) / n.",
                computes(lambda k: np.floor(np.sum(_float(k)) / np.size(k))),
                learners=("flo_floor",),
            ),
            Mistake(
                "rounded to a whole number",
                "Your estimate is the mean rounded to a whole number. Counts are whole, but their rate λ is any "
                "positive real number: λ̂ = Σkᵢ / n, unrounded.",
                computes(lambda k: np.round(np.sum(_float(k)) / np.size(k))),
                learners=("rod_rounded_rate",),
            ),
            Mistake(
                "reciprocal of the mean",
                "Your estimate is 1 / k̄, the exponential distribution's rate. The Poisson λ is the mean count "
                "itself: setting Σkᵢ/λ - n = 0 gives λ̂ = k̄.",
                computes(lambda k: 1 / np.mean(_float(k))),
                learners=("rae_reciprocal_rate",),
            ),
            Mistake(
                "total count instead of mean",
                "Your estimate is the total count Σkᵢ: divide by the number of counts, λ̂ = Σkᵢ / n.",
                computes(lambda k: np.sum(_float(k))),
                learners=("tod_total_count",),
            ),
        ),
    ),
    GradedFunction(
        name="exponential_log_likelihood",
        assignment=ASSIGNMENT,
        reference=reference.exponential_log_likelihood,
        typical=_parameter_cases(_waits, "rate"),
        edge=lambda rng: [
            *_parameter_cases(_waits_edge, "rate")(rng),
            # rate 2, not 1: log 2 tells a missing -inf apart from a log in base 10 (log 1 = 0 in every base)
            Case("a negative wait, impossible under any rate", {"x": [1.0, -0.5, 2.0], "rate": 2.0}),
        ],
        judge=same_value(reference.exponential_log_likelihood),
        bad_calls=(BadCall("rate", {"x": [1.0], "rate": 0.0}), BadCall("rate", {"x": [1.0], "rate": -1.0})),
        mistakes=(
            Mistake(
                "rate and scale confused",
                "Your value treats the parameter as the mean waiting time (the scale 1/λ): -n log(rate) - Σx/rate. "
                "Here rate is λ, the density is λ·exp(-λx), and ℓ = n log λ - λ Σxᵢ.",
                computes(lambda x, rate: reference.exponential_log_likelihood(x, 1 / rate)),
                learners=("sam_scale",),
            ),
            Mistake(
                "negative log-likelihood",
                "Your value has the wrong sign: you returned the negative log-likelihood, n·(-log λ) + λ Σxᵢ.",
                negated(reference.exponential_log_likelihood),
                learners=("ned_negative",),
            ),
            Mistake(
                "sign of n log(rate)",
                "Your n·log λ has the wrong sign: the density is λe^(-λx), so each observation adds +log λ - λx.",
                computes(
                    lambda x, rate: reference.exponential_log_likelihood(x, rate) - 2 * _float(x).size * np.log(rate)
                ),
                learners=("neo_log_rate_sign",),
            ),
            Mistake(
                "mean instead of sum",
                "Your value is the average log-likelihood per observation: the log-likelihood is the sum over "
                "all n observations, n·log λ - λ·Σxᵢ.",
                averaged(reference.exponential_log_likelihood, "x"),
                learners=("ema_mean_exponential",),
            ),
            Mistake(
                "impossible observation not -inf",
                "Your value is finite on data with a negative wait. A negative observation has density 0 under "
                "every rate, so the log-likelihood is -inf: return -np.inf when any xᵢ < 0.",
                computes(lambda x, rate: np.size(x) * np.log(rate) - rate * np.sum(_float(x))),
                learners=("nia_no_support",),
            ),
            Mistake(
                "rate times the mean",
                "Your value has -λ·x̄ where -λ·Σxᵢ belongs: every observation contributes -λxᵢ. ℓ(λ) = n log λ - λ Σxᵢ.",
                computes(lambda x, rate: np.size(x) * np.log(rate) - rate * np.mean(_float(x))),
                learners=("mae_mean_wait",),
            ),
            Mistake(
                "log base 10",
                "Your n·log λ is in base 10 (np.log10(rate)), ln 10 ≈ 2.3026 times too small. Likelihoods use the "
                "natural logarithm: n·np.log(rate) - rate·Σxᵢ.",
                computes(lambda x, rate: np.size(x) * np.log10(rate) - rate * np.sum(_float(x))),
                learners=("tia_log10_wait",),
            ),
            Mistake(
                "log rate not multiplied by n",
                "Your value has log λ once: each of the n observations contributes log λ - λxᵢ, so "
                "ℓ(λ) = n·log λ - λ·Σxᵢ.",
                computes(lambda x, rate: np.log(rate) - rate * np.sum(_float(x))),
                learners=("olga_log_rate_once",),
            ),
            Mistake(
                "sign of the rate term",
                "Your value adds λ·Σxᵢ: the density λe^(-λx) has a minus in the exponent, so "
                "ℓ(λ) = n·log λ - λ·Σxᵢ (long waits make a large rate less likely).",
                computes(lambda x, rate: np.size(x) * np.log(rate) + rate * np.sum(_float(x))),
                learners=("sina_sign_rate_term",),
            ),
            Mistake(
                "likelihood instead of log-likelihood",
                "Your value is the likelihood, a product of densities (often so small that it is 0 in floating "
                "point), not its logarithm: sum the log-densities, n·log λ - λ·Σxᵢ.",
                exponentiated(reference.exponential_log_likelihood),
                learners=("pru_product_of_densities",),
            ),
        ),
    ),
    GradedFunction(
        name="exponential_mle",
        assignment=ASSIGNMENT,
        reference=reference.exponential_mle,
        typical=_data_cases(_waits),
        edge=_data_cases(_waits_edge),
        judge=same_value(reference.exponential_mle),
        bad_calls=(BadCall("x", {"x": []}, why="is empty"),),
        mistakes=(
            Mistake(
                "rate and scale confused",
                "Your estimate is the mean waiting time x̄, the scale. The function returns the rate λ̂ = 1 / x̄.",
                computes(lambda x: np.mean(_float(x))),
                learners=("milo_mean_wait",),
            ),
            Mistake(
                "unbiased (n - 1) / sum",
                "Your estimate is (n - 1)/Σxᵢ, the unbiased estimator of the rate. The MLE was asked: λ̂ = n/Σxᵢ = 1/x̄.",
                computes(lambda x: (_float(x).size - 1) / np.sum(_float(x))),
                learners=("ulf_unbiased_rate",),
            ),
            Mistake(
                "median instead of mean",
                "Your estimate is 1/median(x). Setting n/λ - Σxᵢ = 0 gives λ̂ = 1/x̄, the reciprocal of the mean.",
                computes(lambda x: 1 / np.median(_float(x))),
                learners=("mel_median_wait",),
            ),
            Mistake(
                "mean of reciprocals",
                "Your estimate is mean(1/xᵢ). The MLE is the reciprocal of the mean, λ̂ = n / Σxᵢ = 1/x̄: the "
                "average of reciprocals is larger (Jensen's inequality).",
                computes(lambda x: np.mean(1 / _float(x))),
                learners=("rio_reciprocals",),
            ),
            Mistake(
                "reciprocal of the sum",
                "Your estimate is 1 / Σxᵢ: the n is missing. Setting n/λ - Σxᵢ = 0 gives λ̂ = n / Σxᵢ = 1 / x̄.",
                computes(lambda x: 1 / np.sum(_float(x))),
                learners=("rune_reciprocal_sum",),
            ),
        ),
    ),
    GradedFunction(
        name="uniform_mle",
        assignment=ASSIGNMENT,
        reference=reference.uniform_mle,
        typical=_data_cases(_uniform),
        edge=_data_cases(_uniform_edge),
        judge=same_value(reference.uniform_mle),
        bad_calls=(BadCall("x", {"x": []}, why="is empty"),),
        mistakes=(
            Mistake(
                "method of moments",
                "Your estimate is 2·x̄, the method-of-moments estimate (the mean of U(0, θ) is θ/2). The likelihood "
                "θ⁻ⁿ is zero below max(x) and falls above it: the MLE is max(x).",
                computes(lambda x: 2 * np.mean(_float(x))),
                learners=("mona_moments",),
            ),
            Mistake(
                "unbiased maximum",
                "Your estimate is (n+1)/n · max(x), the unbiased correction of the maximum. It is a fine estimator, "
                "but not the MLE: the likelihood is largest at max(x) itself.",
                computes(lambda x: (_float(x).size + 1) / _float(x).size * np.max(_float(x))),
                learners=("ugo_unbiased",),
            ),
            Mistake(
                "range instead of maximum",
                "Your estimate is max(x) - min(x), the range. The model is U(0, θ), starting at 0: the "
                "likelihood θ⁻ⁿ is largest at the smallest θ that covers every observation, θ̂ = max(x).",
                computes(lambda x: np.max(_float(x)) - np.min(_float(x))),
                learners=("ray_range",),
            ),
            Mistake(
                "twice the median",
                "Your estimate is 2·median(x), a moment-style estimate. The likelihood θ⁻ⁿ is zero below max(x) "
                "and falls above it: the MLE is max(x).",
                computes(lambda x: 2 * np.median(_float(x))),
                learners=("toby_twice_median",),
            ),
        ),
    ),
    GradedFunction(
        name="laplace_mle",
        assignment=ASSIGNMENT,
        reference=reference.laplace_mle,
        typical=_data_cases(_laplace),
        edge=_data_cases(_laplace_edge),
        judge=same_fit(reference.laplace_mle, ("location", "scale"), _laplace_log_likelihood),
        bad_calls=(BadCall("x", {"x": []}, why="is empty"),),
        mistakes=(
            Mistake(
                "mean instead of median",
                "Your location is the mean. The Laplace log-likelihood -Σ|xᵢ - m|/b is largest where the sum of "
                "absolute deviations is smallest: at the median (np.median), which ignores how far outliers lie.",
                computes(lambda x: (np.mean(_float(x)), 0.0), component=0),
                learners=("lars_mean_location",),
            ),
            Mistake(
                "standard deviation as the scale",
                "Your scale is the standard deviation. The Laplace scale's MLE is the mean absolute deviation "
                "from the median, mean(|xᵢ - median|).",
                computes(lambda x: (np.median(_float(x)), np.std(_float(x)))),
                learners=("sky_sd_scale",),
            ),
            Mistake(
                "scale about the mean",
                "Your location is the median, but your scale measures deviations from the mean. The scale's MLE "
                "is the mean absolute deviation from the location estimate itself, the median: mean(|xᵢ - "
                "median|).",
                computes(lambda x: (np.median(_float(x)), np.mean(np.abs(_float(x) - np.mean(_float(x)))))),
                learners=("abe_about_mean",),
            ),
            Mistake(
                "n - 1 in the scale",
                "Your scale divides Σ|xᵢ - median| by n - 1. The MLE divides by n: b̂ = mean(|xᵢ - median|).",
                computes(
                    lambda x: (
                        np.median(_float(x)),
                        np.sum(np.abs(_float(x) - np.median(_float(x)))) / (_float(x).size - 1),
                    )
                ),
                learners=("nat_n_minus_one_scale",),
            ),
            Mistake(
                "median absolute deviation",
                "Your scale is the median of |xᵢ - median|. The MLE of the Laplace scale is the mean absolute "
                "deviation about the median: b̂ = mean(|xᵢ - μ̂|).",
                computes(
                    lambda x: (0, np.median(np.abs(_float(x) - np.median(_float(x))))),
                    component=1,
                ),
                learners=("meda_median_deviation",),
            ),
            Mistake(
                "scale from the standard deviation",
                "Your scale is the standard deviation over √2 (a Laplace variance is 2b²), a method of moments. "
                "The MLE of the scale is the mean absolute deviation about the median, mean(|xᵢ - median|).",
                computes(lambda x: (np.median(_float(x)), np.std(_float(x)) / np.sqrt(2))),
                learners=("stef_sd_over_root2",),
            ),
        ),
    ),
    GradedFunction(
        name="categorical_mle",
        assignment=ASSIGNMENT,
        reference=reference.categorical_mle,
        typical=_labels,
        edge=_labels_edge,
        judge=same_array(reference.categorical_mle),
        bad_calls=(
            BadCall("n_categories", {"x": [0, 1], "n_categories": 0}),
            BadCall("x", {"x": [], "n_categories": 3}, why="is empty"),
            BadCall("x", {"x": [0, 5], "n_categories": 3}, why="holds a label outside 0..n_categories-1"),
        ),
        mistakes=(
            Mistake(
                "unseen categories dropped",
                "Your array has one entry per category that occurs, but categories that never occur need an entry "
                "too, equal to 0: use np.bincount(x, minlength=n_categories) / n.",
                computes(lambda x, n_categories: np.unique(np.asarray(x), return_counts=True)[1] / len(x)),
                learners=("dora_drops_unseen",),
            ),
            Mistake(
                "counts instead of proportions",
                "Your array holds the counts of each category; the MLE is the proportions, counts / n, summing to 1.",
                computes(lambda x, n_categories: np.bincount(np.asarray(x, dtype=int), minlength=n_categories)),
                learners=("cleo_counts",),
            ),
            Mistake(
                "add-one smoothing",
                "Your proportions are (countⱼ + 1)/(n + K), Laplace smoothing (a Dirichlet prior). The MLE is "
                "the raw proportion countⱼ/n, which is 0 for a category never seen.",
                computes(
                    lambda x, n_categories: (
                        (np.bincount(np.asarray(x, dtype=int), minlength=n_categories) + 1) / (len(x) + n_categories)
                    )
                ),
                learners=("lia_laplace_smoothing",),
            ),
            Mistake(
                "categories above the largest label missing",
                "Your array stops at the largest label seen: np.bincount(x) has max(x) + 1 entries. Return all "
                "n_categories proportions, np.bincount(x, minlength=n_categories) / n.",
                computes(lambda x, n_categories: np.bincount(np.asarray(x, dtype=int)) / len(x)),
                learners=("bix_bincount",),
            ),
            Mistake(
                "divided by the number of categories",
                "Your array divides the counts by n_categories. The MLE is each category's share of the n labels, "
                "countⱼ / n, which sums to 1.",
                computes(
                    lambda x, n_categories: np.bincount(np.asarray(x, dtype=int), minlength=n_categories) / n_categories
                ),
                learners=("kay_over_categories",),
            ),
        ),
    ),
)
