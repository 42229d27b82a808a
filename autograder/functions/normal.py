"""Hidden cases and judges for assignment 01, MLE for the Normal distribution."""

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import special, stats

from autograder.cases import BadCall, Case, GradedFunction, Mistake, Property
from autograder.checks import PASS, Verdict, as_real_array, compare_array, describe_received, not_finite
from autograder.judges import same_array, same_fit, same_value
from autograder.mistakes import averaged, computes, exponentiated, negated, simulated_chi2, simulated_mean
from solutions import normal as reference


def _samples(rng: np.random.Generator) -> list[tuple[str, np.ndarray, float, float]]:
    """Typical data sets with a (mu, sigma) to evaluate at, near but not at the truth."""
    return [
        ("57 song tempos in BPM", rng.normal(120, 15, 57), 118.5, 14.0),
        ("200 standardised measurements", rng.normal(0, 1, 200), 0.3, 2.5),
        ("12 reaction times in seconds", rng.normal(0.45, 0.08, 12), 0.5, 0.1),
    ]


def _awkward(rng: np.random.Generator) -> list[tuple[str, Any, float, float]]:
    """Edge data: a single point, a plain list, large values, a sigma far from the spread."""
    return [
        ("a single observation (n = 1)", [float(rng.normal(3, 1))], 2.0, 0.5),
        ("a plain Python list", [round(v, 2) for v in rng.normal(10, 3, 8)], 9.0, 3.5),
        ("large values around 10 000", rng.normal(1e4, 50, 30), 1.001e4, 40.0),
        ("a sigma far below the data's spread", rng.normal(0, 1, 20), 0.0, 0.05),
    ]


def _parameter_cases(draw: Callable[[np.random.Generator], list]) -> Callable[[np.random.Generator], list[Case]]:
    return lambda rng: [Case(label, {"x": x, "mu": mu, "sigma": sigma}) for label, x, mu, sigma in draw(rng)]


def _estimator_cases(draw: Callable[[np.random.Generator], list]) -> Callable[[np.random.Generator], list[Case]]:
    return lambda rng: [Case(label, {"x": x}) for label, x, _, _ in draw(rng)]


def _bad_sigma(x: list[float]) -> list[BadCall]:
    return [
        BadCall("sigma", {"x": x, "mu": 0.0, "sigma": 0.0}),
        BadCall("sigma", {"x": x, "mu": 0.0, "sigma": -1.0}),
    ]


def _judge_simulation(case: Case, received: Any) -> Verdict:
    """Shape, finite values, then the Monte Carlo mean against (n-1)/n σ² (exactly), then the χ² shape of n σ̂²/σ².

    Each test passes only when its statistic is finite and within bounds
    (``not ... <= bound``), so a NaN anywhere fails rather than slipping past.
    """
    n, sigma, n_reps = case.kwargs["n"], case.kwargs["sigma"], case.kwargs["n_reps"]
    if not isinstance(received, np.ndarray):
        return Verdict(False, f"expected a numpy array, got {describe_received(received)}")
    if received.shape != (n_reps,):
        return Verdict(
            False, f"expected an array of shape ({n_reps},), one value per repetition, got shape {received.shape}"
        )
    draws = as_real_array(received, (n_reps,))
    if isinstance(draws, str):
        return Verdict(False, draws)
    if n == 1:
        return compare_array(np.zeros(n_reps), draws)
    problem = not_finite(draws)
    if problem:
        return Verdict(False, f"{problem}; each value is one sample's σ̂² = mean((x - x̄)²)")
    # n_reps · n · mean / σ² follows χ² with (n - 1) · n_reps degrees of freedom exactly: an honest simulation's
    # mean falls outside this interval once in a million, however few repetitions (a normal approximation
    # failed one honest single repetition in ~600).
    target = (n - 1) / n * sigma**2
    low, high = stats.chi2.ppf([5e-7, 1 - 5e-7], (n - 1) * n_reps) * sigma**2 / n / n_reps
    if not low <= draws.mean() <= high:
        return Verdict(
            False,
            f"the mean of your {n_reps} values is {draws.mean():.5g}; the theory says {target:.5g} "
            f"= (n-1)/n·σ², and an honest simulation's mean lies between {low:.4g} and {high:.4g} "
            "but once in a million",
        )
    ks = stats.kstest(draws * n / sigma**2, "chi2", args=(n - 1,))
    if not ks.pvalue >= 1e-6:
        return Verdict(
            False,
            f"n·σ̂²/σ² should follow a χ² distribution with n - 1 = {n - 1} degrees of "
            f"freedom, but a Kolmogorov-Smirnov test rejects it (p = {ks.pvalue:.1e})",
        )
    return PASS


def _simulation_cases(rng: np.random.Generator) -> list[Case]:
    seeds = rng.integers(2**32, size=2)
    return [
        Case(
            "samples of size 5 from N(3, 2²)",
            {"n": 5, "mu": 3.0, "sigma": 2.0, "n_reps": 20_000, "rng": np.random.default_rng(seeds[0])},
        ),
        Case(
            "samples of size 20 from N(-1, 0.5²)",
            {"n": 20, "mu": -1.0, "sigma": 0.5, "n_reps": 5_000, "rng": np.random.default_rng(seeds[1])},
        ),
    ]


def _simulation_edge(rng: np.random.Generator) -> list[Case]:
    seeds = rng.integers(2**32, size=2)
    return [
        Case(
            "samples of size 1: no spread at all",
            {"n": 1, "mu": 0.0, "sigma": 1.0, "n_reps": 50, "rng": np.random.default_rng(seeds[0])},
        ),
        Case(
            "a single repetition",
            {"n": 4, "mu": 0.0, "sigma": 1.0, "n_reps": 1, "rng": np.random.default_rng(seeds[1])},
        ),
    ]


def _same_seed_same_draws(runs: list[Any]) -> Verdict:
    """Outputs for generators seeded 7, 7 and 8: finite arrays of n_reps values, the first two equal, the third not."""
    arrays = []
    for run, call in zip(runs, SAME_SEED_CALLS, strict=True):
        draws = as_real_array(run, (call["n_reps"],))
        if isinstance(draws, str):
            return Verdict(False, draws)
        problem = not_finite(draws)
        if problem:
            return Verdict(False, problem)
        arrays.append(draws)
    if not np.array_equal(arrays[0], arrays[1]):
        return Verdict(
            False,
            "two generators with the same seed gave different results: draw every sample "
            "from the rng argument (rng.normal(...)), not from np.random",
        )
    if np.array_equal(arrays[0], arrays[2]):
        return Verdict(
            False, "generators with different seeds gave identical results: the draws must come from the rng argument"
        )
    return PASS


SAME_SEED_CALLS = [
    {"n": 6, "mu": 0.0, "sigma": 1.0, "n_reps": 30, "rng": np.random.default_rng(seed)} for seed in (7, 7, 8)
]


def _size(x: Any) -> int:
    return np.asarray(x).size


def _sum_squares(x: Any, mu: float) -> float:
    """Σ(xᵢ - μ)², the data term of the Normal log-likelihood."""
    return float(np.sum((np.asarray(x, dtype=float) - mu) ** 2))


def _float(x) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _repeated_value(case: Case, received: Any) -> bool:
    """Whether a simulation returned one value n_reps times (one sample's σ̂², repeated), where a fresh sample
    per repetition varies."""
    try:
        draws = np.asarray(received, dtype=float).ravel()
        return draws.size == case.kwargs["n_reps"] > 1 and bool(np.all(draws == draws[0]))
    except (TypeError, ValueError, KeyError):
        return False


ASSIGNMENT = "01_normal_mle"

GRADED = (
    GradedFunction(
        name="normal_log_likelihood",
        assignment=ASSIGNMENT,
        reference=reference.normal_log_likelihood,
        typical=_parameter_cases(_samples),
        edge=_parameter_cases(_awkward),
        judge=same_value(reference.normal_log_likelihood),
        bad_calls=_bad_sigma([1.0, 2.0]),
        mistakes=(
            Mistake(
                "dropped 2 pi constant",
                "Your value is off by exactly (n/2)·log(2π): the constant term of the Normal density "
                "was dropped. It does not move the maximum, but the log-likelihood asked for keeps every "
                "constant: include - (n/2)·np.log(2*np.pi).",
                computes(
                    lambda x, mu, sigma: (
                        reference.normal_log_likelihood(x, mu, sigma) + _size(x) / 2 * np.log(2 * np.pi)
                    )
                ),
                learners=("gus_no_constant",),
            ),
            Mistake(
                "log sigma squared",
                "Your value matches -n·log(σ²) where -n·log(σ) belongs: log(1/(σ√(2π))) = -log σ - ½ log 2π, "
                "so the σ term is -n·log(σ), not -n·log(σ²).",
                computes(lambda x, mu, sigma: reference.normal_log_likelihood(x, mu, sigma) - _size(x) * np.log(sigma)),
                learners=("nina_log_variance",),
            ),
            Mistake(
                "negative log-likelihood",
                "Your value has the right size but the wrong sign: you returned the negative "
                "log-likelihood (the loss). The log-likelihood of continuous data is usually negative here.",
                negated(reference.normal_log_likelihood),
                learners=("max_negative",),
            ),
            Mistake(
                "mean instead of sum",
                "Your value is the average log-likelihood per observation: the log-likelihood is the sum "
                "over all n observations, not the mean.",
                averaged(reference.normal_log_likelihood, "x"),
                learners=("omar_average",),
            ),
            Mistake(
                "likelihood instead of log-likelihood",
                "Your value is the likelihood L itself (a product of densities), not its logarithm: "
                "take logs and sum them, which is also what keeps the number from underflowing to 0.",
                exponentiated(reference.normal_log_likelihood),
                learners=("pia_product",),
            ),
            Mistake(
                "sigma instead of sigma squared",
                "Your value divides the squared deviations by 2σ where 2σ² belongs: the Normal density has "
                "exp(-(x-μ)²/(2σ²)), with the variance σ² in the exponent.",
                computes(
                    lambda x, mu, sigma: (
                        reference.normal_log_likelihood(x, mu, sigma)
                        + _sum_squares(x, mu) * (1 / (2 * sigma**2) - 1 / (2 * sigma))
                    )
                ),
                learners=("wes_sigma_divisor",),
            ),
            Mistake(
                "log base 10",
                "Your logarithms are base 10 (np.log10, math.log10). The log-likelihood uses the natural "
                "logarithm: np.log, which is also what makes log of exp(-(x-μ)²/(2σ²)) equal -(x-μ)²/(2σ²).",
                computes(
                    lambda x, mu, sigma: (
                        -_size(x) * np.log10(sigma)
                        - _size(x) / 2 * np.log10(2 * np.pi)
                        - _sum_squares(x, mu) / (2 * sigma**2)
                    )
                ),
                learners=("lou_log10",),
            ),
            Mistake(
                "dropped log sigma",
                "Your value is off by exactly n·log σ: the -n·log σ from the density's 1/(σ√(2π)) was dropped. "
                "It depends on σ, so it decides where ℓ peaks in σ: keep -n·np.log(sigma).",
                computes(lambda x, mu, sigma: reference.normal_log_likelihood(x, mu, sigma) + _size(x) * np.log(sigma)),
                learners=("dot_drops_log_sigma",),
            ),
            Mistake(
                "sigma for sigma squared in the log",
                "Your value has -(n/2)·log(2πσ) where -(n/2)·log(2πσ²) belongs: the density's factor is "
                "1/√(2πσ²), with the variance under the root, so over n observations its log is "
                "-(n/2)·log(2π) - n·log σ.",
                computes(
                    lambda x, mu, sigma: reference.normal_log_likelihood(x, mu, sigma) + _size(x) / 2 * np.log(sigma)
                ),
                learners=("pat_log_two_pi_sigma",),
            ),
            Mistake(
                "deviations about the sample mean",
                "Your squared deviations are measured from the sample mean x̄, not from the μ you were given. The "
                "log-likelihood at μ has -Σ(xᵢ - μ)²/(2σ²); x̄ appears only once you maximise over μ.",
                computes(lambda x, mu, sigma: reference.normal_log_likelihood(x, np.mean(_float(x)), sigma)),
                learners=("sam_sample_mean",),
            ),
            Mistake(
                "no 2 in 2 sigma squared",
                "Your data term is -Σ(xᵢ-μ)²/σ²: the density has exp(-(x-μ)²/(2σ²)), so the term is -Σ(xᵢ-μ)²/(2σ²).",
                computes(
                    lambda x, mu, sigma: (
                        reference.normal_log_likelihood(x, mu, sigma) - _sum_squares(x, mu) / (2 * sigma**2)
                    )
                ),
                learners=("tim_two_missing",),
            ),
            Mistake(
                "2 pi constant not halved",
                "Your constant is -n·log(2π): the density's factor is 1/√(2πσ²), and the square root halves the "
                "log, so the constant is -(n/2)·log(2π).",
                computes(
                    lambda x, mu, sigma: (
                        reference.normal_log_likelihood(x, mu, sigma) - _size(x) / 2 * np.log(2 * np.pi)
                    )
                ),
                learners=("hal_whole_two_pi",),
            ),
            Mistake(
                "sigma read as the variance",
                "Your value treats sigma as the variance σ²: -(n/2)·log σ and -Σ(xᵢ-μ)²/(2σ), which is the "
                "log-likelihood at a standard deviation of √σ. sigma is the standard deviation: "
                "-n·log σ - (n/2)·log(2π) - Σ(xᵢ-μ)²/(2σ²).",
                computes(lambda x, mu, sigma: reference.normal_log_likelihood(x, mu, np.sqrt(sigma))),
                learners=("viv_sigma_as_variance",),
            ),
        ),
    ),
    GradedFunction(
        name="normal_score",
        assignment=ASSIGNMENT,
        reference=reference.normal_score,
        typical=_parameter_cases(_samples),
        edge=_parameter_cases(_awkward),
        judge=same_array(reference.normal_score),
        bad_calls=_bad_sigma([1.0, 2.0]),
        mistakes=(
            Mistake(
                "sign error",
                "Both derivatives have the wrong sign: you returned the gradient of the negative "
                "log-likelihood. The score is the gradient of ℓ itself: ∂ℓ/∂μ = Σ(xᵢ-μ)/σ².",
                negated(reference.normal_score),
                learners=("hana_sign",),
            ),
            Mistake(
                "derivative in sigma squared",
                "Your second component is ∂ℓ/∂(σ²) = -n/(2σ²) + Σ(xᵢ-μ)²/(2σ⁴), the derivative with respect "
                "to the variance. The spec asks for ∂ℓ/∂σ = -n/σ + Σ(xᵢ-μ)²/σ³.",
                # by the chain rule, ∂ℓ/∂(σ²) = ∂ℓ/∂σ / (2σ)
                computes(lambda x, mu, sigma: reference.normal_score(x, mu, sigma) / (2 * sigma), component=1),
                learners=("quinn_variance_derivative",),
            ),
            Mistake(
                "missing 1/sigma^2",
                "Your ∂ℓ/∂μ is Σ(xᵢ-μ) without the factor 1/σ²: the chain rule on -(xᵢ-μ)²/(2σ²) gives (xᵢ-μ)/σ².",
                computes(lambda x, mu, sigma: reference.normal_score(x, mu, sigma) * sigma**2, component=0),
                learners=("rosa_chain_rule",),
            ),
            Mistake(
                "sigma instead of sigma squared in d/dmu",
                "Your ∂ℓ/∂μ is Σ(xᵢ-μ)/σ: the derivative of -(xᵢ-μ)²/(2σ²) in μ is (xᵢ-μ)/σ², with σ squared.",
                computes(lambda x, mu, sigma: reference.normal_score(x, mu, sigma) * sigma, component=0),
                learners=("sid_sigma_score",),
            ),
            Mistake(
                "sigma squared instead of sigma cubed",
                "Your ∂ℓ/∂σ has Σ(xᵢ-μ)²/σ² where Σ(xᵢ-μ)²/σ³ belongs: the derivative of -(xᵢ-μ)²/(2σ²) = "
                "-(xᵢ-μ)²σ⁻²/2 in σ is (xᵢ-μ)²σ⁻³.",
                computes(lambda x, mu, sigma: (0, -_size(x) / sigma + _sum_squares(x, mu) / sigma**2), component=1),
                learners=("cub_sigma_power",),
            ),
            Mistake(
                "sign of d/dmu",
                "Your ∂ℓ/∂σ is right but ∂ℓ/∂μ has the wrong sign: Σ(μ-xᵢ)/σ² is the derivative of the loss. "
                "Differentiating -(xᵢ-μ)²/(2σ²) in μ gives +(xᵢ-μ)/σ².",
                computes(lambda x, mu, sigma: reference.normal_score(x, mu, sigma) * np.array([-1.0, 1.0])),
                learners=("mo_mu_sign",),
            ),
            Mistake(
                "d/dsigma about the sample mean",
                "Your ∂ℓ/∂σ measures the squared deviations from the sample mean x̄, not from the μ you were given. "
                "The score is evaluated at (μ, σ): ∂ℓ/∂σ = -n/σ + Σ(xᵢ-μ)²/σ³.",
                computes(
                    lambda x, mu, sigma: (0, -_size(x) / sigma + _sum_squares(x, np.mean(_float(x))) / sigma**3),
                    component=1,
                ),
                learners=("xan_centred_score",),
            ),
            Mistake(
                "missing -n/sigma",
                "Your ∂ℓ/∂σ is Σ(xᵢ-μ)²/σ³ alone: the -n·log σ term of ℓ differentiates to -n/σ, so "
                "∂ℓ/∂σ = -n/σ + Σ(xᵢ-μ)²/σ³.",
                computes(lambda x, mu, sigma: (0, _sum_squares(x, mu) / sigma**3), component=1),
                learners=("nico_missing_n_term",),
            ),
            Mistake(
                "mean instead of sum",
                "Your score is divided by n: that is the gradient of the average log-likelihood. The score is the "
                "gradient of the sum over all n observations: (Σ(xᵢ-μ)/σ², -n/σ + Σ(xᵢ-μ)²/σ³).",
                averaged(reference.normal_score, "x"),
                learners=("ola_average_score",),
            ),
        ),
    ),
    GradedFunction(
        name="normal_mle",
        assignment=ASSIGNMENT,
        reference=reference.normal_mle,
        typical=_estimator_cases(_samples),
        edge=_estimator_cases(_awkward),
        judge=same_fit(reference.normal_mle, ("mu_hat", "sigma_hat"), reference.normal_log_likelihood),
        bad_calls=(BadCall("x", {"x": []}),),
        mistakes=(
            Mistake(
                "n - 1 instead of n",
                "Your σ̂ divides by n - 1 (Bessel's correction, as np.std(x, ddof=1) or pandas' .std() do). "
                "Setting ∂ℓ/∂σ = 0 gives σ̂² = Σ(xᵢ-x̄)²/n: the MLE divides by n.",
                computes(lambda x: (np.mean(x), np.std(np.asarray(x, float), ddof=1))),
                learners=("dana_bessel",),
            ),
            Mistake(
                "variance instead of standard deviation",
                "Your second estimate is the variance σ̂², not the standard deviation σ̂: take its square root.",
                computes(lambda x: (np.mean(x), np.var(np.asarray(x, float)))),
                learners=("eli_variance",),
            ),
            Mistake(
                "median instead of mean",
                "Your μ̂ is the median of the data. Setting ∂ℓ/∂μ = Σ(xᵢ-μ)/σ² to zero gives the mean, "
                "x̄ = Σxᵢ/n (the median is the MLE of a Laplace location, not a Normal one).",
                computes(lambda x: (np.median(x), 0.0), component=0),
                learners=("fay_median",),
            ),
            Mistake(
                "standard error instead of standard deviation",
                "Your σ̂ is divided by √n: that is the standard error of the mean, σ̂/√n. The MLE of σ is the "
                "spread of the data themselves, σ̂ = sqrt(Σ(xᵢ-x̄)²/n).",
                computes(lambda x: (np.mean(x), np.std(np.asarray(x, float)) / np.sqrt(_size(x)))),
                learners=("sue_standard_error",),
            ),
            Mistake(
                "uncentred spread",
                "Your σ̂ is sqrt(mean(x²)), the root mean square about 0. The spread is measured about the mean: "
                "σ̂ = sqrt(Σ(xᵢ - x̄)²/n), np.std(x).",
                computes(lambda x: (0, np.sqrt(np.mean(_float(x) ** 2))), component=1),
                learners=("rudi_raw_square",),
            ),
            Mistake(
                "mean absolute deviation",
                "Your σ̂ is the mean absolute deviation, mean |xᵢ - x̄|. Setting ∂ℓ/∂σ to zero gives the root mean "
                "square deviation: σ̂ = sqrt(Σ(xᵢ - x̄)²/n).",
                computes(lambda x: (0, np.mean(np.abs(_float(x) - np.mean(_float(x))))), component=1),
                learners=("abe_absolute_deviation",),
            ),
            Mistake(
                "estimates in the wrong order",
                "Your tuple is (σ̂, μ̂): the function returns (mu_hat, sigma_hat), the mean first.",
                computes(lambda x: tuple(reversed(reference.normal_mle(x)))),
                learners=("ora_order",),
            ),
            Mistake(
                "sum of squares not divided by n",
                "Your σ̂ is sqrt(Σ(xᵢ-x̄)²), the root of the sum of squares: divide by n before the square root, "
                "σ̂ = sqrt(Σ(xᵢ-x̄)²/n).",
                computes(lambda x: (0, np.sqrt(_sum_squares(x, np.mean(_float(x))))), component=1),
                learners=("ross_root_sum_squares",),
            ),
        ),
    ),
    GradedFunction(
        name="simulate_sigma2_hat",
        assignment=ASSIGNMENT,
        reference=reference.simulate_sigma2_hat,
        typical=_simulation_cases,
        edge=_simulation_edge,
        judge=_judge_simulation,
        bad_calls=(
            BadCall("n", {"n": 0, "mu": 0.0, "sigma": 1.0, "n_reps": 10, "rng": np.random.default_rng(0)}),
            BadCall("sigma", {"n": 5, "mu": 0.0, "sigma": 0.0, "n_reps": 10, "rng": np.random.default_rng(0)}),
            BadCall("n_reps", {"n": 5, "mu": 0.0, "sigma": 1.0, "n_reps": 0, "rng": np.random.default_rng(0)}),
        ),
        properties=(Property("same seed, same draws", SAME_SEED_CALLS, _same_seed_same_draws),),
        mistakes=(
            Mistake(
                "n - 1 instead of n",
                "Your simulated variances average to σ² itself: they divide by n - 1 (np.var(..., ddof=1)). The "
                "experiment is about the MLE σ̂² = Σ(xᵢ-x̄)²/n, whose average is (n-1)/n·σ².",
                # at n = 1 a division by n - 1 = 0 gives NaN, never a finite value
                simulated_mean(lambda n, sigma: sigma**2 if n > 1 else np.nan),
                learners=("theo_unbiased_simulation",),
            ),
            Mistake(
                "spread about the true mu",
                "Your simulated variances are measured about the true μ, mean((x - μ)²), not about each sample's "
                "own mean x̄ (they average to σ², and samples of size 1 give values above 0). The MLE does not "
                "know μ: σ̂² = Σ(xᵢ-x̄)²/n, np.var(sample), and using x̄ is what makes its average (n-1)/n·σ².",
                # about mu, n·σ̂²/σ² follows χ² with n degrees of freedom (about x̄, n - 1)
                simulated_chi2(lambda n, sigma: (sigma**2 / n, n)),
                learners=("tara_true_mu",),
            ),
            Mistake(
                "standard deviation instead of variance",
                "Your simulated values average to about σ, not σ²: you returned σ̂ for each sample. "
                "Return the variances σ̂² (np.var with its default ddof=0).",
                # E[σ̂] for samples of size n: σ·sqrt(2/n)·Γ(n/2)/Γ((n-1)/2)
                simulated_mean(
                    lambda n, sigma: (
                        sigma * np.sqrt(2 / n) * np.exp(special.gammaln(n / 2) - special.gammaln((n - 1) / 2))
                    )
                ),
                learners=("lea_sd_simulation",),
            ),
            Mistake(
                "sigma squared as the scale",
                "Your simulated variances average to about (n-1)/n·σ⁴: you drew the samples with scale σ² "
                "(rng.normal(mu, sigma**2, n)). numpy's scale is the standard deviation σ.",
                simulated_mean(lambda n, sigma: (n - 1) / n * sigma**4),
                learners=("vin_variance_scale",),
            ),
            Mistake(
                "one sample repeated",
                "Every one of your n_reps values is the same: you drew one sample and repeated its σ̂². Draw a new "
                "sample of size n in each repetition (or one (n_reps, n) array and take .var(axis=1)).",
                _repeated_value,
                learners=("rex_repeated",),
            ),
        ),
    ),
)
