"""Hidden checks: right answers in any style pass, wrong ones fail with a message that teaches."""

import math

import numpy as np
import pytest
from scipy import stats

import solutions
from autograder.functions import GRADED
from autograder.hidden import HiddenCheckFailed, check
from autograder.runner import PARTS, run_part


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("name", sorted(GRADED))
def test_the_reference_passes_every_hidden_check(name, part):
    results = run_part(GRADED[name], getattr(solutions, name), part)
    assert results and all(result.passed for result in results), [r.message() for r in results if not r.passed]


def test_hidden_data_are_the_same_every_time_and_differ_between_functions():
    first = GRADED["normal_mle"].cases("typical")[0].kwargs["x"]
    again = GRADED["normal_mle"].cases("typical")[0].kwargs["x"]
    other = GRADED["normal_score"].cases("typical")[0].kwargs["x"]
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def loops_log_likelihood(data, m, s):
    if s <= 0:
        raise ValueError("sigma must be > 0")
    return sum(-math.log(s) - 0.5 * math.log(2 * math.pi) - (v - m) ** 2 / (2 * s * s) for v in data)


def scipy_mle(x):
    if len(x) == 0:
        raise ValueError("x is empty")
    return stats.norm.fit(x)


def list_score(x, mu, sigma):
    if sigma <= 0:
        raise ValueError("bad sigma")
    z = [(v - mu) / sigma for v in x]
    return [sum(z) / sigma, sum(t * t - 1 for t in z) / sigma]


@pytest.mark.parametrize(
    ("name", "learner"),
    [("normal_log_likelihood", loops_log_likelihood), ("normal_mle", scipy_mle)],
)
@pytest.mark.parametrize("part", PARTS)
def test_a_right_answer_in_another_style_passes(name, learner, part, capsys):
    check(name, learner, part=part)
    assert "hidden checks passed" in capsys.readouterr().out


def test_a_list_where_an_array_is_asked_still_earns_the_values():
    check("normal_score", list_score)


def test_a_wrong_answer_names_input_expected_received_and_mistake():
    def bessel(x):
        x = np.asarray(x, dtype=float)
        return float(x.mean()), float(x.std(ddof=1))

    with pytest.raises(HiddenCheckFailed) as failure:
        check("normal_mle", bessel)
    message = str(failure.value)
    assert message.startswith("3 of 3 hidden checks of normal_mle failed:")
    assert "normal_mle on 57 song tempos in BPM: x=array of 57 values from" in message
    assert "sigma_hat: expected" in message and ", got " in message
    assert message.count("Likely mistake (n - 1 instead of n)") == 1


def test_an_unfinished_function_is_reported_as_not_implemented():
    def stub(x, mu, sigma):
        raise NotImplementedError()

    with pytest.raises(HiddenCheckFailed, match="not implemented yet"):
        check("normal_log_likelihood", stub)


def test_an_exception_is_reported_with_its_type_and_text():
    def broken(x):
        return x[100], 1.0

    with pytest.raises(HiddenCheckFailed, match="raised IndexError: index 100 is out of bounds"):
        check("normal_mle", broken)


def test_a_missing_value_error_is_reported():
    def lenient(x, mu, sigma):
        return solutions.normal_log_likelihood(x, mu, abs(sigma) + 1)

    with pytest.raises(HiddenCheckFailed, match="should raise ValueError naming 'sigma', but returned"):
        check("normal_log_likelihood", lenient, part="edge")


def test_a_value_error_must_name_the_parameter():
    def vague(x, mu, sigma):
        if sigma <= 0:
            raise ValueError("invalid input")
        return solutions.normal_log_likelihood(x, mu, sigma)

    with pytest.raises(HiddenCheckFailed, match="the message should name the parameter 'sigma'"):
        check("normal_log_likelihood", vague, part="edge")


def test_mutating_the_input_fails():
    def sorts_in_place(x):
        x = np.asarray(x, dtype=float)
        x.sort()
        return solutions.normal_mle(x)

    with pytest.raises(HiddenCheckFailed, match="changed its input x"):
        check("normal_mle", sorts_in_place)


def test_a_simulation_that_ignores_the_generator_fails_the_reproducibility_check():
    def global_state(n, mu, sigma, n_reps, rng):
        return np.var(np.random.normal(mu, sigma, (n_reps, n)), axis=1)  # noqa: NPY002 - the mistake under test

    with pytest.raises(HiddenCheckFailed, match="two generators with the same seed gave different results"):
        check("simulate_sigma2_hat", global_state, part="edge")


def test_warnings_from_learner_code_do_not_reach_stderr(capsys):
    def noisy(x, mu, sigma):
        import warnings

        warnings.warn("careful", RuntimeWarning, stacklevel=1)
        np.log(np.zeros(1))  # a numpy divide-by-zero warning
        return solutions.normal_log_likelihood(x, mu, sigma)

    check("normal_log_likelihood", noisy)
    assert capsys.readouterr().err == ""


def test_a_non_function_is_reported():
    with pytest.raises(HiddenCheckFailed, match="normal_mle should be a function, but it is float"):
        check("normal_mle", 3.0)
