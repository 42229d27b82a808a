"""The catalogue of known mistakes: each is made by a sample learner, recognised from numbers, never the right answer.

The tables come from the declarations (:mod:`autograder.functions`): which mistakes each graded
function has and which sample learners make them. The mistaken implementations are the learners' own
files in ``samples/``, written as a learner would write them, independently of the catalogue's matchers.
"""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from autograder.cases import Case
from autograder.functions import ASSIGNMENTS, GRADED
from autograder.grade_ids import PARTS
from autograder.mistakes import computes, diagnose, likely_mistakes, most_likely
from autograder.runner import run_part
from autograder.samples import learner_cells
from tests.conftest import ROOT

CATALOGUE = [(function, mistake) for function in GRADED.values() for mistake in function.mistakes]
MADE = [(function, mistake, learner) for function, mistake in CATALOGUE for learner in mistake.learners]


def _sample(assignment: str, learner: str):
    return ROOT / "samples" / assignment / f"{learner}.py"


def learners_function(function, learner: str):
    """The sample learner's own implementation of ``function``, from their file in ``samples/``."""
    cells, _ = learner_cells(_sample(function.assignment, learner))
    namespace: dict = {}
    exec(compile(cells[function.name], f"{learner}.py", "exec"), namespace)  # a course file, not a submission
    return namespace[function.name]


def test_every_graded_function_has_catalogued_mistakes():
    assert [name for name, function in GRADED.items() if not function.mistakes] == []


def test_a_call_that_returns_where_it_must_raise_is_named_by_its_bad_call():
    """newton_raphson's "no RuntimeError" leaves no wrong number: only its bad call (max_iter = 2) reveals it."""
    function = GRADED["newton_raphson"]
    (bad,) = function.bad_calls
    assert bad.if_returned in function.mistakes
    implementation = learners_function(function, bad.if_returned.learners[0])
    failed = [result for result in run_part(function, implementation, "edge") if not result.passed]
    assert [result.mistakes for result in failed] == [(bad.if_returned,)]


def test_every_mistake_has_a_sample_learner_with_a_file():
    assert [(f.name, m.name) for f, m in CATALOGUE if not m.learners] == []
    missing = [(f.assignment, learner) for f, _, learner in MADE if not _sample(f.assignment, learner).is_file()]
    assert missing == []


def test_a_sample_learner_makes_one_catalogued_mistake_at_most():
    learners = [(function.assignment, learner) for function, _, learner in MADE]
    assert len(learners) == len(set(learners))


def test_mistake_names_are_unique_within_a_function():
    for function in GRADED.values():
        names = [mistake.name for mistake in function.mistakes]
        assert len(names) == len(set(names)), function.name


def test_every_assignment_declares_its_functions_once():
    declared = [function.name for functions in ASSIGNMENTS.values() for function in functions]
    assert sorted(declared) == sorted(GRADED)
    assert all(function.assignment == assignment for assignment, fs in ASSIGNMENTS.items() for function in fs)


def test_a_case_that_fits_two_mistakes_is_blamed_on_the_one_that_fits_the_others():
    mom, unbiased = (
        next(m for m in GRADED["uniform_mle"].mistakes if m.name == name)
        for name in ("method of moments", "unbiased maximum")
    )
    assert most_likely([{mom, unbiased}, {unbiased}, {unbiased}]) == [unbiased]
    assert most_likely([{mom}, {unbiased}, ()]) in ([mom, unbiased], [unbiased, mom])


@pytest.mark.parametrize(
    ("function", "mistake", "learner"), MADE, ids=[f"{f.name}-{learner}" for f, _, learner in MADE]
)
def test_a_sample_learners_mistake_fails_the_hidden_checks_and_is_named(function, mistake, learner):
    implementation = learners_function(function, learner)
    failed = [r for part in PARTS for r in run_part(function, implementation, part) if not r.passed]
    assert failed, "the mistake should not pass the hidden checks"
    assert [named.name for named in likely_mistakes(failed)] == [mistake.name]


@pytest.mark.parametrize("name", sorted(GRADED))
def test_the_reference_passes_and_is_blamed_for_nothing(name):
    function = GRADED[name]
    results = [result for part in PARTS for result in run_part(function, function.reference, part)]
    assert [result.message() for result in results if not result.passed or result.mistakes] == []


def test_a_mistake_that_the_right_answer_shares_on_a_case_is_not_blamed():
    function = GRADED["normal_mle"]
    single = next(case for case in function.cases("edge") if len(case.kwargs["x"]) == 1)
    wrong_elsewhere = (single.kwargs["x"][0], 1.0)  # right mu_hat (= the median too), wrong sigma_hat
    median = next(m for m in function.mistakes if m.name == "median instead of mean")
    assert median.matches(single, wrong_elsewhere), "the median mistake explains this mu_hat on its own"
    assert diagnose(function, single, wrong_elsewhere) == ()


def test_a_mistake_is_recognised_from_numbers_alone():
    function = GRADED["normal_log_likelihood"]
    case = function.cases("typical")[0]
    x, mu, sigma = case.kwargs["x"], case.kwargs["mu"], case.kwargs["sigma"]
    dropped = float(-len(x) * np.log(sigma) - np.sum((x - mu) ** 2) / (2 * sigma**2))  # no -(n/2) log 2π
    assert [m.name for m in diagnose(function, case, dropped)] == ["dropped 2 pi constant"]


def _generic_case(name: str, rng: np.random.Generator, n: int) -> Case:
    """A valid call of ``name`` on generic data: continuous or varied values, away from the coincidences where a
    mistake computes the right answer too (σ = 1, rate = 1, λ ∈ {0, 1, 2}, n = 1, all labels the same ...)."""
    x = rng.normal(rng.uniform(-50, 50), rng.uniform(0.5, 20), n)
    flips = np.r_[0, 1, rng.integers(0, 2, n)]
    counts = np.r_[2, rng.poisson(rng.uniform(3, 12), n)]
    positive = rng.gamma(rng.uniform(0.5, 8), rng.uniform(0.2, 5), n)
    sigma, rate = rng.uniform(1.5, 20), rng.uniform(1.5, 10)
    X = np.column_stack([np.ones(n + 3), rng.normal(size=(n + 3, 2))])
    labels = (rng.uniform(size=n + 3) < 0.5).astype(float)
    kwargs = {
        "normal_log_likelihood": {"x": x, "mu": float(x[0]), "sigma": sigma},
        "normal_score": {"x": x, "mu": float(x[0]), "sigma": sigma},
        "normal_mle": {"x": x},
        "bernoulli_log_likelihood": {"x": flips, "p": rng.uniform(0.05, 0.95)},
        "bernoulli_mle": {"x": flips},
        "poisson_log_likelihood": {"k": counts, "lam": rng.uniform(1.5, 15)},
        "poisson_mle": {"k": counts},
        "exponential_log_likelihood": {"x": positive, "rate": rate},
        "exponential_mle": {"x": positive},
        "uniform_mle": {"x": positive},
        "laplace_mle": {"x": x},
        "categorical_mle": {"x": rng.integers(0, 3, n + 3), "n_categories": 5},
        "gamma_log_likelihood": {"x": positive, "shape": rng.uniform(1.5, 10), "rate": rate},
        "gamma_mle": {"x": positive},
        "normal_fisher_information": {"sigma": sigma},
        "wald_interval_mu": {"x": x, "level": rng.uniform(0.5, 0.99)},
        "linear_regression_nll": {"w": rng.normal(size=3), "sigma": sigma, "X": X, "y": X @ rng.normal(size=3) + x[0]},
        "linear_regression_mle": {"X": X, "y": X @ rng.normal(size=3) + rng.normal(size=n + 3)},
        "logistic_nll": {"w": rng.normal(size=3), "X": X, "y": labels},
        "logistic_gradient": {"w": rng.normal(size=3), "X": X, "y": labels},
        "ridge_map": {"X": X, "y": rng.normal(size=n + 3), "lam": rng.uniform(3, 50)},
    }[name]
    return Case("generic data", kwargs)


#: Functions whose arguments are callables or generators: their mistakes are checked on the hidden cases only.
_NOT_GENERIC = {"simulate_sigma2_hat", "gradient_ascent", "newton_raphson", "fit_logistic"}
GENERIC = sorted(set(GRADED) - _NOT_GENERIC)


def _coincides(name: str, case: Case) -> bool:
    """Generic draws on which a mistake is right too, so that no number can tell them apart (``diagnose`` then
    blames nothing): a Normal μ so close to x̄ that squared deviations about either agree (or x̄ so close to 0), a
    Bernoulli proportion of exactly 1/2 (1 - x̄ = x̄, (s+1)/(n+2) = s/n), Poisson counts whose median or variance
    equals their mean, an even sample whose mean lies between its two middle values (every point there minimises
    Σ|xᵢ - c|), gamma data whose shape Minka's closed form already gets to 1e-6, and logistic labels that are all 1
    (the loss written for labels -1 and +1 is then the right one)."""
    data = np.asarray(next(iter(case.kwargs.values())), dtype=float)
    if name in ("normal_log_likelihood", "normal_score"):  # mu so near x-bar that deviations about either agree
        reference, mu, sigma = GRADED[name].reference, case.kwargs["mu"], case.kwargs["sigma"]
        about_mu, about_mean = (np.ravel(reference(data, centre, sigma))[-1] for centre in (mu, data.mean()))
        return bool(np.isclose(about_mu, about_mean, rtol=1e-5))  # the log-likelihood, or the score's sigma part
    if name == "normal_mle":  # x-bar so near 0 that the spread about 0 and about x-bar agree
        return bool(np.isclose(np.sqrt(np.mean(data**2)), data.std(), rtol=1e-5))
    if name in ("bernoulli_mle", "bernoulli_log_likelihood"):  # as many ones as zeros: p and 1 - p swap freely
        return bool(data.mean() == 0.5)
    if name == "poisson_mle":
        mean = data.mean()
        return bool(np.isclose(np.median(data), mean) or np.isclose(data.var(), mean) or mean == np.floor(mean))
    if name == "laplace_mle":
        return bool(np.isclose(np.abs(data - data.mean()).mean(), np.abs(data - np.median(data)).mean()))
    if name == "gamma_mle":
        s = np.log(data.mean()) - np.log(data).mean()
        closed_form = (3 - s + np.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s)
        return bool(np.isclose(closed_form, GRADED[name].reference(data)[0], rtol=1e-6))
    if name == "logistic_nll":  # every label 1: log(1 + e^(-y·z)) with y = 1 is the right loss
        return bool(np.all(np.asarray(case.kwargs["y"], dtype=float) == 1))
    return False


#: Mistakes that are right on every generic draw, and why: they differ only on data the generic cases leave out.
RIGHT_ON_GENERIC_DATA = {
    # differs only where an observation is negative (generic waits are positive)
    ("exponential_log_likelihood", "impossible observation not -inf"),
    # differs only without an intercept column (every generic design has one, so residuals average 0)
    ("linear_regression_mle", "residuals centred"),
}


@pytest.mark.parametrize("name", GENERIC)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(3, 40))
def test_no_mistake_matches_the_right_answer_on_generic_data(name, seed, n):
    """Each mistake is told apart from the right answer by its numbers, on any valid data, not only the hidden
    cases: a matcher that accepted the reference's own output would blame right answers."""
    function = GRADED[name]
    case = _generic_case(name, np.random.default_rng(seed), n)
    assume(not _coincides(name, case))
    with np.errstate(all="ignore"):
        right = function.reference(*case.fresh_kwargs().values())
    matched = [mistake.name for mistake in function.mistakes if mistake.matches(case, right)]
    assert [mistake for mistake in matched if (name, mistake) not in RIGHT_ON_GENERIC_DATA] == []


def test_a_mistake_that_another_failed_check_contradicts_is_not_named():
    """-λ for -nλ equals ℓ/n on a week of zero counts ("mean instead of sum" explains that case), but not on the
    typical counts: the typical cases rule the mean out, so only the mistake that explains them all is named,
    and without it in the catalogue nothing is named rather than the contradicted one."""
    function = GRADED["poisson_log_likelihood"]
    failed = [r for part in PARTS for r in run_part(function, learners_function(function, "lonny_lambda_once"), part)]
    failed = [result for result in failed if not result.passed]
    mean = next(mistake for mistake in function.mistakes if mistake.name == "mean instead of sum")
    assert any(mean in result.mistakes for result in failed) and any(mean in result.ruled_out for result in failed)
    assert [mistake.name for mistake in likely_mistakes(failed)] == ["lambda once instead of n times"]
    once = next(mistake for mistake in function.mistakes if mistake.name == "lambda once instead of n times")
    without = [
        dataclasses.replace(result, mistakes=tuple(m for m in result.mistakes if m is not once)) for result in failed
    ]
    assert likely_mistakes(without) == []


def test_a_mistake_is_not_named_from_a_value_that_is_not_finite():
    """NaN or an infinity on a degenerate case (all ones at p = 1, n = 1) is where many formulas break alike:
    agreeing there names nothing (a right answer through scipy returning NaN at n = 1 was told "n - 1")."""
    case = Case("one observation", {"x": [1.0]})
    for value in (math.nan, -math.inf, math.inf):
        assert not computes(lambda x, value=value: value)(case, value)
    assert computes(lambda x: 2.0)(case, 2.0)
