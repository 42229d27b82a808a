"""The bundled sample class, graded end to end by ``course demo`` (nbgrader through ``course grade``).

Every learner's marks are stated here and worked out by hand from what the
learner wrote, not copied from a run. Each graded function is worth 3 points:
2 for its main cell (hidden typical data, then the visible tests) and 1 for
its edge cell (hidden edge cases and bad parameters). A learner gets 3 on
every function not listed against them.
"""

import pytest

import solutions
from autograder.cli import main
from autograder.gradebook import marks
from autograder.mistakes import CATALOGUE
from tests.conftest import ROOT, read_notebook

FUNCTIONS = {
    "01_normal_mle": ("normal_log_likelihood", "normal_score", "normal_mle", "simulate_sigma2_hat"),
    "02_distributions": (
        "bernoulli_log_likelihood",
        "bernoulli_mle",
        "poisson_log_likelihood",
        "poisson_mle",
        "exponential_log_likelihood",
        "exponential_mle",
        "uniform_mle",
        "laplace_mle",
        "categorical_mle",
    ),
    "03_numerical_mle": (
        "gradient_ascent",
        "newton_raphson",
        "gamma_log_likelihood",
        "gamma_mle",
        "normal_fisher_information",
        "wald_interval_mu",
    ),
    "04_regression": (
        "linear_regression_nll",
        "linear_regression_mle",
        "logistic_nll",
        "logistic_gradient",
        "fit_logistic",
        "ridge_map",
    ),
}
RIGHT = {  # learners who keep full marks, in several styles
    "01_normal_mle": ("ada_correct", "bob_loops", "chen_scipy", "kim_debug_prints"),
    "02_distributions": ("ada_correct", "bob_loops", "chen_scipy"),
    "03_numerical_mle": ("ada_correct", "bob_loops", "chen_scipy"),
    "04_regression": ("ada_correct", "bob_loops", "chen_scipy"),
}
# (assignment, learner) -> (function, the catalogued mistake they make, their marks on it out of 3)
MISTAKES = {
    ("01_normal_mle", "gus_no_constant"): ("normal_log_likelihood", "dropped 2 pi constant", 0),
    ("01_normal_mle", "nina_log_variance"): ("normal_log_likelihood", "log sigma squared", 0),
    ("01_normal_mle", "max_negative"): ("normal_log_likelihood", "negative log-likelihood", 0),
    ("01_normal_mle", "omar_average"): ("normal_log_likelihood", "mean instead of sum", 0),
    ("01_normal_mle", "pia_product"): ("normal_log_likelihood", "likelihood instead of log-likelihood", 0),
    ("01_normal_mle", "hana_sign"): ("normal_score", "sign error", 0),
    ("01_normal_mle", "quinn_variance_derivative"): ("normal_score", "derivative in sigma squared", 0),
    ("01_normal_mle", "rosa_chain_rule"): ("normal_score", "missing 1/sigma^2", 0),
    ("01_normal_mle", "dana_bessel"): ("normal_mle", "n - 1 instead of n", 0),
    ("01_normal_mle", "eli_variance"): ("normal_mle", "variance instead of standard deviation", 0),
    ("01_normal_mle", "fay_median"): ("normal_mle", "median instead of mean", 0),
    ("01_normal_mle", "theo_unbiased_simulation"): ("simulate_sigma2_hat", "n - 1 instead of n", 0),
    # her edge cases (n = 1: all zeros; one repetition) cannot tell sigma from sigma^2, so she keeps 1 point
    ("01_normal_mle", "lea_sd_simulation"): ("simulate_sigma2_hat", "standard deviation instead of variance", 1),
    # 0 log 0 only arises at p = 0 or 1: typical data pass, the edge cases fail
    ("02_distributions", "nora_nan_zero_log"): ("bernoulli_log_likelihood", "0 log 0 evaluated as NaN", 2),
    ("02_distributions", "leo_likelihood"): ("bernoulli_log_likelihood", "likelihood instead of log-likelihood", 0),
    ("02_distributions", "cara_cross_entropy"): ("bernoulli_log_likelihood", "negative log-likelihood", 0),
    ("02_distributions", "carl_count"): ("bernoulli_mle", "count instead of proportion", 0),
    ("02_distributions", "finn_no_factorial"): ("poisson_log_likelihood", "dropped log k! constant", 0),
    ("02_distributions", "ava_average"): ("poisson_log_likelihood", "mean instead of sum", 0),
    ("02_distributions", "nils_negative"): ("poisson_log_likelihood", "negative log-likelihood", 0),
    ("02_distributions", "mia_median"): ("poisson_mle", "median instead of mean", 0),
    ("02_distributions", "sam_scale"): ("exponential_log_likelihood", "rate and scale confused", 0),
    ("02_distributions", "ned_negative"): ("exponential_log_likelihood", "negative log-likelihood", 0),
    ("02_distributions", "milo_mean_wait"): ("exponential_mle", "rate and scale confused", 0),
    ("02_distributions", "mona_moments"): ("uniform_mle", "method of moments", 0),
    ("02_distributions", "ugo_unbiased"): ("uniform_mle", "unbiased maximum", 0),
    ("02_distributions", "lars_mean_location"): ("laplace_mle", "mean instead of median", 0),
    ("02_distributions", "dora_drops_unseen"): ("categorical_mle", "unseen categories dropped", 0),
    ("02_distributions", "cleo_counts"): ("categorical_mle", "counts instead of proportions", 0),
    ("03_numerical_mle", "dan_descent"): ("gradient_ascent", "descent instead of ascent", 0),
    ("03_numerical_mle", "alia_aliased_history"): ("gradient_ascent", "history aliases one array", 0),
    ("03_numerical_mle", "stan_no_start"): ("gradient_ascent", "history without the start", 0),
    ("03_numerical_mle", "gia_gamma_scale"): ("gamma_log_likelihood", "rate and scale confused", 0),
    ("03_numerical_mle", "greg_no_gamma_function"): ("gamma_log_likelihood", "dropped log Gamma(k) constant", 0),
    ("03_numerical_mle", "nell_negative_gamma"): ("gamma_log_likelihood", "negative log-likelihood", 0),
    ("03_numerical_mle", "moe_moments"): ("gamma_mle", "method of moments", 0),
    ("03_numerical_mle", "sol_gamma_scale"): ("gamma_mle", "rate and scale confused", 0),
    ("03_numerical_mle", "vic_variance_information"): (
        "normal_fisher_information",
        "Fisher information for sigma squared",
        0,
    ),
    ("03_numerical_mle", "fred_factor_two"): ("normal_fisher_information", "missing factor 2", 0),
    ("03_numerical_mle", "zoe_fixed_z"): ("wald_interval_mu", "fixed 1.96", 0),
    ("03_numerical_mle", "bea_bessel_wald"): ("wald_interval_mu", "n - 1 in sigma_hat", 0),
    ("03_numerical_mle", "otto_one_sided"): ("wald_interval_mu", "one-sided quantile", 0),
    ("04_regression", "mary_mse"): ("linear_regression_nll", "mean squared error instead of NLL", 0),
    ("04_regression", "karl_no_constant"): ("linear_regression_nll", "dropped 2 pi constant", 0),
    ("04_regression", "lily_log_likelihood"): ("linear_regression_nll", "log-likelihood instead of NLL", 0),
    ("04_regression", "dirk_degrees_of_freedom"): ("linear_regression_mle", "degrees of freedom n - d", 0),
    ("04_regression", "vera_variance"): ("linear_regression_mle", "variance instead of standard deviation", 0),
    # moderate margins are fine; only the edge case with margins of 1e4 overflows
    ("04_regression", "otis_overflow"): ("logistic_nll", "overflowing logistic loss", 2),
    ("04_regression", "mei_mean_loss"): ("logistic_nll", "mean instead of sum", 0),
    ("04_regression", "leon_log_likelihood"): ("logistic_nll", "log-likelihood instead of NLL", 0),
    ("04_regression", "gus_gradient_sign"): ("logistic_gradient", "sign error", 0),
    ("04_regression", "mae_mean_gradient"): ("logistic_gradient", "mean instead of sum", 0),
    ("04_regression", "tess_total_loss"): ("fit_logistic", "summed loss in the histories", 0),
    ("04_regression", "sven_summed_step"): ("fit_logistic", "summed gradient in the step", 0),
    ("04_regression", "nico_lambda_over_n"): ("ridge_map", "lambda over n", 0),
    ("04_regression", "tina_mean_penalty"): ("ridge_map", "lambda times n", 0),
    ("04_regression", "pete_penalty_sign"): ("ridge_map", "penalty with the wrong sign", 0),
}
OTHERS = {  # learners who are not one mistake away: their marks below 3, function by function
    ("01_normal_mle", "ivan_unfinished"): {"normal_score": 0, "normal_mle": 0, "simulate_sigma2_hat": 0},
    ("01_normal_mle", "jo_crash"): {"normal_score": 0},  # normal_mle is defined before the stray line raises
}
WORDS = {  # (assignment, learner) -> (test cell, words its feedback must contain)
    ("01_normal_mle", "ivan_unfinished"): ("normal_mle_edge", "not implemented yet"),
    ("01_normal_mle", "jo_crash"): ("normal_score_edge", "raised IndexError"),
}


def expected_marks(assignment: str) -> dict[str, tuple[float, ...]]:
    table = {learner: dict.fromkeys(FUNCTIONS[assignment], 3) for learner in RIGHT[assignment]}
    for (where, learner), (function, _, points) in MISTAKES.items():
        if where == assignment:
            table[learner] = dict.fromkeys(FUNCTIONS[assignment], 3) | {function: points}
    for (where, learner), lower in OTHERS.items():
        if where == assignment:
            table[learner] = dict.fromkeys(FUNCTIONS[assignment], 3) | lower
    return {learner: tuple(row[f] for f in FUNCTIONS[assignment]) for learner, row in table.items()}


@pytest.mark.parametrize("assignment", sorted(FUNCTIONS))
def test_every_sample_learner_has_stated_marks(assignment):
    learners = sorted(p.stem for p in (ROOT / "samples" / assignment).glob("*.py"))
    assert sorted(expected_marks(assignment)) == learners


def test_every_graded_function_is_in_a_sample_class():
    assert sorted(f for names in FUNCTIONS.values() for f in names) == sorted(solutions.__all__)


def test_every_catalogued_mistake_has_a_sample_learner():
    catalogued = {(m.function, m.name) for m in CATALOGUE}
    assert {(function, name) for function, name, _ in MISTAKES.values()} == catalogued


@pytest.fixture(scope="module", params=sorted(FUNCTIONS))
def graded(request, tmp_path_factory):
    course = tmp_path_factory.mktemp(request.param) / "course"
    assert main(["--root", str(ROOT), "demo", "--dir", str(course), request.param]) == 0
    return request.param, course


@pytest.mark.slow
def test_each_sample_learner_gets_exactly_the_stated_marks(graded):
    assignment, course = graded
    table = marks(f"sqlite:///{course / 'gradebook.db'}", assignment)
    got = {learner: tuple(row[f].score for f in FUNCTIONS[assignment]) for learner, row in table.items()}
    assert got == expected_marks(assignment)


def _feedback(course, assignment, learner, notebook_cell):
    (path,) = (course / "autograded" / learner / assignment).glob("*.ipynb")
    cell = next(c for c in read_notebook(path).cells if c.metadata.get("nbgrader", {}).get("grade_id") == notebook_cell)
    return "\n".join(o.get("evalue", "") for o in cell.outputs)


@pytest.mark.slow
def test_feedback_names_each_learners_mistake(graded):
    assignment, course = graded
    for (where, learner), (function, mistake, points) in MISTAKES.items():
        if where != assignment:
            continue
        cell = f"{function}_edge" if points == 2 else function  # 2 points: only the edge cell failed
        assert f"Likely mistake ({mistake})" in _feedback(course, assignment, learner, cell), learner
    for (where, learner), (cell, words) in WORDS.items():
        if where == assignment:
            assert words in _feedback(course, assignment, learner, cell), learner


@pytest.mark.slow
def test_html_feedback_shows_the_message_but_no_hidden_test(graded):
    assignment, course = graded
    learners = [learner for (where, learner), (_, _, points) in MISTAKES.items() if where == assignment]
    for learner in learners:
        (page,) = (course / "feedback" / learner / assignment).glob("*.html")
        html = page.read_text()
        assert "Likely mistake (" in html, learner
        for secret in ("BEGIN HIDDEN TESTS", "autograder", "record("):  # what hidden test cells hold
            assert secret not in html, f"{learner}'s feedback shows {secret!r}"
