"""Numeric comparisons: generous to any real scalar or array form, strict on values and shapes."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.checks import (
    MAX_SHOWN,
    RTOL,
    as_real,
    as_real_array,
    compare_array,
    compare_scalar,
    compare_tuple,
    format_value,
)
from autograder.judges import not_worse_fit

finite = st.floats(allow_nan=False, allow_infinity=False)
not_finite = st.sampled_from([math.nan, math.inf, -math.inf])


@pytest.mark.parametrize("value", [2, 2.0, np.float64(2.0), np.int64(2), np.array(2.0), np.float32(2.0)])
def test_any_real_scalar_is_accepted(value):
    assert compare_scalar(2.0, value).passed


@pytest.mark.parametrize("value", ["2.0", [2.0], None, True, np.array([2.0])])
def test_non_scalars_are_rejected_with_their_type(value):
    verdict = compare_scalar(2.0, value)
    assert not verdict.passed
    assert verdict.problem.startswith("expected a number, got")


def test_a_relative_error_below_the_tolerance_passes_and_above_fails():
    assert compare_scalar(-1000.0, -1000.0 * (1 + RTOL / 2)).passed
    assert not compare_scalar(-1000.0, -1000.0 * (1 + 3 * RTOL)).passed


def test_a_failed_comparison_states_expected_and_received():
    verdict = compare_scalar(-163.5, -126.75)
    assert verdict.problem == "expected -163.5, got -126.75"


def test_arrays_are_compared_by_shape_first():
    verdict = compare_array(np.zeros(2), [0.0, 0.0, 0.0])
    assert verdict.problem == "expected an array of shape (2,), got a list of 3 entries"
    assert compare_array(np.zeros(2), np.zeros(3)).problem == "expected an array of shape (2,), got shape (3,)"


def test_lists_are_accepted_where_arrays_are_expected():
    assert compare_array(np.array([1.0, 2.0]), [1.0, 2.0]).passed


def test_a_pair_names_the_wrong_component():
    verdict = compare_tuple((3.0, 1.5), (3.0, 2.25), names=("mu_hat", "sigma_hat"))
    assert verdict.problem == "sigma_hat: expected 1.5, got 2.25"


def test_a_pair_must_have_two_entries():
    verdict = compare_tuple((3.0, 1.5), 3.0, names=("mu_hat", "sigma_hat"))
    assert "expected a tuple (mu_hat, sigma_hat)" in verdict.problem


def test_a_tuple_compares_numbers_arrays_and_none_each_by_its_own_rule():
    expected = (np.array([1.0, 2.0]), 0.5, None)
    names = ("w", "loss", "val_loss")
    assert compare_tuple(expected, [[1.0, 2.0], 0.5, None], names).passed
    verdict = compare_tuple(expected, (np.array([1.0, 2.0, 3.0]), 0.5, 0.0), names)
    assert verdict.problem == "w: expected an array of shape (2,), got shape (3,); val_loss: expected None, got float 0"


def test_a_better_or_equal_fit_is_not_worse():
    assert not_worse_fit(-100.0, -100.0)
    assert not_worse_fit(-100.0, -99.0)
    assert not_worse_fit(-100.0, -100.0 - 1e-5)
    assert not not_worse_fit(-100.0, -100.1)


def test_real_detection_excludes_booleans():
    assert as_real(True) is None
    assert as_real(np.array(1.5)) == 1.5


def test_long_values_are_shortened_in_messages():
    assert format_value(np.arange(100.0)).count(",") < 15
    assert len(format_value("x" * 500)) == 80


# Hostile numbers: a NaN or an infinity never passes for a finite value, and nothing crashes or runs long.


@given(expected=finite, received=not_finite)
def test_a_non_finite_number_never_passes_for_a_finite_one(expected, received):
    verdict = compare_scalar(expected, received)
    assert not verdict.passed
    assert "NaN or infinite" in verdict.problem


@given(expected=st.sampled_from([-math.inf, math.inf]), received=st.one_of(finite, not_finite))
def test_an_expected_infinity_is_met_only_by_the_same_infinity(expected, received):
    assert compare_scalar(expected, received).passed == (received == expected)


@given(
    expected=hnp.arrays(np.float64, st.integers(1, 20), elements=finite),
    position=st.integers(0, 19),
    bad=not_finite,
)
def test_one_non_finite_entry_fails_an_array(expected, position, bad):
    received = expected.copy()
    received[position % expected.size] = bad
    verdict = compare_array(expected, received)
    assert not verdict.passed
    assert "1 of" in verdict.problem and "NaN or infinite" in verdict.problem


@pytest.mark.parametrize(
    "value",
    [10**400, -(10**400), np.bool_(True), True, "1.5", None, [1.5], {"x": 1.5}, np.array([1.5]), np.array(True)],
    ids=format_value,
)
def test_what_is_not_a_real_number_in_float_range_is_no_number(value):
    assert as_real(value) is None
    verdict = compare_scalar(1.5, value)
    assert not verdict.passed and verdict.problem.startswith("expected a number, got")
    assert len(verdict.problem) < 2 * MAX_SHOWN


def test_an_integer_beyond_float_range_is_named_as_such():
    assert (
        compare_scalar(1.0, 10**400).problem
        == "expected a number, got an integer of about 401 digits, too large for a float"
    )


@pytest.mark.parametrize(
    "value",
    [
        ["1.0", "2.0"],
        [True, 2.0],
        [1.0, 10**400],
        [[1.0], [1.0, 2.0]],
        [1.0, None],
        np.array([True, False]),
        np.ones(3),
        np.ones(10**6),
        [1.0] * 10**6,
        (1.0,),
        "12",
    ],
)
def test_an_array_of_real_numbers_of_the_right_shape_is_required(value):
    verdict = compare_array(np.array([1.0, 2.0]), value)
    assert not verdict.passed
    assert 0 < len(verdict.problem) <= 2 * MAX_SHOWN


def test_nested_lists_and_tuples_of_numbers_are_arrays():
    np.testing.assert_array_equal(as_real_array([(1, 2.5), [np.float32(3), np.array(4)]], (2, 2)), [[1, 2.5], [3, 4]])
    assert compare_array(np.eye(2), [np.array([1.0, 0.0]), [0, 1]]).passed


@pytest.mark.parametrize(("expected", "received"), [(0.0, -0.0), (0.0, 5e-324), (-0.0, 0.0), (1e-300, 0.0)])
def test_signed_zeros_and_subnormals_are_ordinary_numbers(expected, received):
    assert compare_scalar(expected, received).passed
    assert compare_array(np.array([expected]), np.array([received], dtype=np.float64)).passed


def test_float16_and_int8_values_are_compared_by_value():
    assert compare_array(np.array([1.5, 2.0]), np.array([1.5, 2.0], dtype=np.float16)).passed
    with np.errstate(over="ignore"):
        float16_overflow = np.array([1e10]).astype(np.float16)  # inf in float16
    assert not compare_array(np.array([1e10]), float16_overflow).passed
    assert not compare_scalar(200.0, np.int8(-56)).passed  # 200 wrapped around in int8


@pytest.mark.parametrize("received", [math.nan, math.inf, -math.inf])
def test_a_non_finite_log_likelihood_is_no_better_fit(received):
    assert not not_worse_fit(-100.0, received)
    assert not not_worse_fit(received, -100.0)


values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**500), max_value=10**500),
        st.floats(),
        st.text(max_size=3000),
        hnp.arrays(hnp.scalar_dtypes(), hnp.array_shapes(max_dims=4, max_side=9)),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=50), st.tuples(children, children), st.dictionaries(st.text(), children)
    ),
    max_leaves=60,
)


@given(value=values)
def test_format_value_is_short_whatever_it_is_given(value):
    """At most 6 x 6 summarised entries of a 2-d array (about 600 characters), MAX_SHOWN for anything else."""
    assert len(format_value(value)) <= 700


def test_format_value_of_a_huge_or_deep_array_is_short():
    assert len(format_value(np.zeros((2,) * 20))) <= MAX_SHOWN
    assert len(format_value(np.zeros(10**7))) < 60
    assert len(format_value(tuple(range(10**6)))) <= MAX_SHOWN


def test_an_honest_single_repetition_of_the_simulation_always_passes():
    """The mean of n_reps σ̂² values is judged by its exact χ² law, not a normal approximation that failed one
    honest learner's single repetition in ~600 (a draw of 5.43 against 0.75 ± 3.1, seen in a test run)."""
    from autograder.cases import Case
    from autograder.functions.normal import _judge_simulation
    from solutions.normal import simulate_sigma2_hat

    def case(n_reps: int, seed: int) -> Case:
        return Case("one", {"n": 4, "mu": 0.0, "sigma": 1.0, "n_reps": n_reps, "rng": np.random.default_rng(seed)})

    assert _judge_simulation(case(1, 0), np.array([5.4258])).passed
    draws = [simulate_sigma2_hat(**case(1, seed).kwargs) for seed in range(3000)]
    assert max(float(d[0]) for d in draws) > 3.85  # beyond the old bound: the old judge failed some of these
    assert all(_judge_simulation(case(1, seed), d).passed for seed, d in enumerate(draws))
    assert not _judge_simulation(case(2000, 1), np.ones(2000)).passed  # the Bessel-corrected mean (σ²) still fails
