"""Numeric comparisons: generous to any real scalar or array form, strict on values and shapes."""

import numpy as np
import pytest

from autograder.checks import RTOL, as_real, compare_array, compare_pair, compare_scalar, format_value, not_worse_fit


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
    assert verdict.problem == "expected an array of shape (2,), got shape (3,)"


def test_lists_are_accepted_where_arrays_are_expected():
    assert compare_array(np.array([1.0, 2.0]), [1.0, 2.0]).passed


def test_a_pair_names_the_wrong_component():
    verdict = compare_pair((3.0, 1.5), (3.0, 2.25), names=("mu_hat", "sigma_hat"))
    assert verdict.problem == "sigma_hat: expected 1.5, got 2.25"


def test_a_pair_must_have_two_entries():
    verdict = compare_pair((3.0, 1.5), 3.0, names=("mu_hat", "sigma_hat"))
    assert "expected a tuple (mu_hat, sigma_hat)" in verdict.problem


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
