"""Hidden cases and judges for assignment 01, MLE for the Normal distribution."""

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import stats

from autograder.cases import BadCall, Case, GradedFunction, Property
from autograder.checks import PASS, Verdict, as_real_array, compare_array, describe_received, not_finite
from autograder.judges import same_array, same_fit, same_value
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
    """Shape, finite values, then the Monte Carlo mean against (n-1)/n σ², then the χ² shape of n σ̂²/σ².

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
    target = (n - 1) / n * sigma**2
    standard_error = sigma**2 * np.sqrt(2 * (n - 1)) / n / np.sqrt(n_reps)
    if not abs(draws.mean() - target) <= 5 * standard_error:
        return Verdict(
            False,
            f"the mean of your {n_reps} values is {draws.mean():.5g}; the theory says {target:.5g} "
            f"= (n-1)/n·σ², give or take {5 * standard_error:.2g} (five Monte Carlo standard errors)",
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
    ),
    GradedFunction(
        name="normal_score",
        assignment=ASSIGNMENT,
        reference=reference.normal_score,
        typical=_parameter_cases(_samples),
        edge=_parameter_cases(_awkward),
        judge=same_array(reference.normal_score),
        bad_calls=_bad_sigma([1.0, 2.0]),
    ),
    GradedFunction(
        name="normal_mle",
        assignment=ASSIGNMENT,
        reference=reference.normal_mle,
        typical=_estimator_cases(_samples),
        edge=_estimator_cases(_awkward),
        judge=same_fit(reference.normal_mle, ("mu_hat", "sigma_hat"), reference.normal_log_likelihood),
        bad_calls=(BadCall("x", {"x": []}),),
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
    ),
)
