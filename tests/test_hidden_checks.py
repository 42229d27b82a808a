"""Hidden checks: right answers in any style pass, wrong ones fail with a message that teaches."""

import dataclasses
import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from mlelab.grading import call_each, decode
from scipy import stats

import solutions
from autograder.checks import as_real
from autograder.functions import GRADED
from autograder.hidden import HiddenCheckFailed, check, report
from autograder.runner import (
    PARTS,
    MalformedOutcomes,
    Outcome,
    Planned,
    argument_lists,
    judge,
    parse_outcomes,
    plan,
    run_part,
)


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


# Hostile values: every judge fails closed, with a short message, on numbers a kernel can send.

HUGE_INTS = (10**400, -(10**400), 2**1024)
HUGE_ARRAY = np.ones(2_000_000)
MAX_PROBLEM_CHARS = 800  # a catalogued mistake's longest is under 500; fit_logistic has three outputs


@functools.cache
def _honest(name: str, part: str) -> tuple[list[Planned], list[Outcome]]:
    """The planned checks of one part and the reference's outcomes on them, through the wire."""
    planned = plan(GRADED[name], part)
    calls = argument_lists(planned)
    return planned, parse_outcomes(call_each(getattr(solutions, name), calls), len(calls))


def _map_numbers(value: Any, replace: Callable[[np.ndarray], Any]) -> Any:
    """``value`` with each real number or numeric array in it (inside tuples and lists) replaced."""
    if isinstance(value, (tuple, list)):
        return type(value)(_map_numbers(item, replace) for item in value)
    if isinstance(value, np.ndarray) or as_real(value) is not None:
        return replace(np.asarray(value, dtype=float))
    return value


def _everywhere(number: float) -> Callable[[Any, Callable], Any]:
    """Every number of the right value replaced by ``number``, arrays keeping their shape."""
    return lambda right, draw: _map_numbers(right, lambda a: np.full(a.shape, number) if a.ndim else number)


def _nest(flat: list[Any], shape: tuple[int, ...]) -> list[Any]:
    """A flat list as nested lists of ``shape``, keeping each entry's own type (no numpy coercion)."""
    if len(shape) <= 1:
        return flat
    step = len(flat) // shape[0]
    return [_nest(flat[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]


def _one(make: Callable[[Callable], Any], as_list: bool = False) -> Callable[[Any, Callable], Any]:
    """One number of the right value, chosen by hypothesis, replaced by ``make(draw)``.

    With ``as_list`` arrays become (nested) lists, for replacements an array cannot hold (a huge int,
    a bool or text among floats).
    """

    def poison(right: Any, draw: Callable) -> Any:
        sizes: list[int] = []
        _map_numbers(right, lambda a: sizes.append(a.size))
        if not sum(sizes):
            return make(draw)
        target, seen = draw(st.integers(0, sum(sizes) - 1)), [0]

        def replace(a: np.ndarray) -> Any:
            start, seen[0] = seen[0], seen[0] + a.size
            if not a.ndim:
                return make(draw) if start == target else float(a)
            flat = a.ravel().tolist() if as_list else a.ravel().copy()
            if start <= target < seen[0]:
                flat[target - start] = make(draw)
            return _nest(flat, a.shape) if as_list else flat.reshape(a.shape)

        return _map_numbers(right, replace)

    return poison


POISONS: dict[str, Callable[[Any, Callable], Any]] = {
    "NaN everywhere": _everywhere(np.nan),
    "+inf everywhere": _everywhere(np.inf),
    "-inf everywhere": _everywhere(-np.inf),
    "one NaN": _one(lambda draw: np.nan),
    "one infinity": _one(lambda draw: draw(st.sampled_from([np.inf, -np.inf]))),
    "one int beyond float range": _one(lambda draw: draw(st.sampled_from(HUGE_INTS)), as_list=True),
    "one bool": _one(lambda draw: draw(st.booleans()), as_list=True),
    "one string that looks like a number": _one(lambda draw: repr(draw(st.floats(-10, 10))), as_list=True),
    "one None": _one(lambda draw: None, as_list=True),
    "float16 infinities": lambda right, draw: _map_numbers(right, lambda a: np.full(a.shape, np.inf, np.float16)),
    "bools of the right shape": lambda right, draw: _map_numbers(right, lambda a: a.astype(bool)),
    "a huge int": lambda right, draw: draw(st.sampled_from(HUGE_INTS)),
    "a bool": lambda right, draw: draw(st.booleans()),
    "a string": lambda right, draw: draw(st.sampled_from(["1.5", "nan", "x" * 10_000])),
    "None": lambda right, draw: None,
    "a dict": lambda right, draw: {"value": right},
    "an opaque object": lambda right, draw: decode({"__opaque__": "Object" * 2000, "repr": "r" * 500}),
    "a huge array": lambda right, draw: HUGE_ARRAY,
    "a huge list": lambda right, draw: [1.0] * 1_000_000,
    "a 0-d NaN array": lambda right, draw: np.array(np.nan),
    "a ragged list": lambda right, draw: [[1.0], [1.0, 2.0]],
    "an empty tuple": lambda right, draw: (),
}


def _same_number(right: Any, poisoned: Any) -> bool:
    """Whether a poison happens to be the right answer (an expected -inf replaced by -inf)."""
    return as_real(right) is not None and as_real(poisoned) is not None and as_real(right) == as_real(poisoned)


@settings(max_examples=30, deadline=None)
@pytest.mark.parametrize("name", sorted(GRADED))
@given(data=st.data())
def test_every_judge_fails_hostile_values_with_a_short_message_and_judges_the_rest(name, data):
    """Each check, fed one hostile output, fails with a short message; the others still pass."""
    part = data.draw(st.sampled_from(PARTS), label="part")
    planned, outcomes = _honest(name, part)
    index = data.draw(st.integers(0, len(planned) - 1), label="check")
    first = sum(len(check.calls) for check in planned[:index])
    call = first + data.draw(st.integers(0, len(planned[index].calls) - 1), label="call")
    kind = data.draw(st.sampled_from(sorted(POISONS)), label="poison")
    right = outcomes[call].value
    poisoned = POISONS[kind](right, data.draw)
    assume(not _same_number(right, poisoned))
    hostile = [*outcomes[:call], Outcome(value=poisoned, after=outcomes[call].after), *outcomes[call + 1 :]]
    results = judge(planned, GRADED[name], hostile)
    failed = results[index]
    assert not failed.passed, f"{kind} passed {failed.description}"
    assert failed.verdict.problem.strip()
    assert len(failed.verdict.problem) <= MAX_PROBLEM_CHARS, failed.verdict.problem
    assert all(result.passed for i, result in enumerate(results) if i != index)


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("name", sorted(GRADED))
def test_the_right_outputs_pass_after_the_wire(name, part):
    planned, outcomes = _honest(name, part)
    assert all(result.passed for result in judge(planned, GRADED[name], outcomes))


WIRE_VALUES = [
    {"__scalar__": 2**70, "dtype": "<i8"},
    {"__scalar__": math.inf, "dtype": "<i8"},
    {"__scalar__": 300, "dtype": "|i1"},
    {"__scalar__": 1e10, "dtype": "<f2"},
    {"__scalar__": "1.5", "dtype": "<f8"},
    {"__scalar__": [1.5] * 1000, "dtype": "<f8"},
    {"__scalar__": True, "dtype": "|b1"},
    {"__ndarray__": [2**70], "dtype": "<i8", "shape": [1]},
    {"__ndarray__": [1.0, 2.0], "dtype": "<f8", "shape": [3]},
    {"__ndarray__": [[1.0], [1.0, 2.0]], "dtype": "<f8", "shape": [2]},
    {"__ndarray__": [1.0], "dtype": "<f8", "shape": [10**12]},
    {"__ndarray__": [1.0], "dtype": "V8", "shape": [1]},
    {"__ndarray__": [1.0], "dtype": "complex128", "shape": [1]},
    {"__rng__": {"bit_generator": "Nope"}},
    {"__dict__": [[[1], 2]]},
    {"__formula__": "lambda: 1", "data": [1]},
    {"__opaque__": "Secret" * 2000, "repr": "x" * 10_000},
    {"__tuple__": 5},
    {"a": 1, "b": 2, "c": 3, "d": 4},
    functools.reduce(lambda inner, _: [inner], range(30), 1.0),  # nested deeper than the wire allows
]


@pytest.mark.parametrize("wire", WIRE_VALUES, ids=lambda wire: str(wire)[:40])
@pytest.mark.parametrize("name", ["normal_log_likelihood", "normal_mle", "simulate_sigma2_hat"])
def test_an_odd_outcome_on_the_wire_is_unreadable_or_fails_its_check(name, wire):
    """Decoding never raises anything but MalformedOutcomes; what decodes is judged like any value."""
    planned = plan(GRADED[name], "typical")
    calls = argument_lists(planned)
    raw = call_each(getattr(solutions, name), calls)
    raw[0] = {"value": wire, "after": raw[0]["after"]}
    try:
        outcomes = parse_outcomes(raw, len(calls))
    except MalformedOutcomes as error:
        assert str(error).startswith("an outcome could not be read") and len(str(error)) < 300
        return
    results = judge(planned, GRADED[name], outcomes)
    assert not results[0].passed and 0 < len(results[0].message()) < 1000
    assert all(result.passed for result in results[1:])


@pytest.mark.parametrize(
    "raised",
    [
        {"type": "E" * 100_000, "mro": ["ValueError"], "message": "sigma " + "m" * 100_000},
        {"type": "ValueError", "mro": ["ValueError"] * 100_000, "message": "no name here " * 10_000},
    ],
)
def test_the_kernel_s_exception_texts_are_cut_short(raised):
    spec = GRADED["normal_log_likelihood"]
    planned = plan(spec, "edge")
    calls = argument_lists(planned)
    raw = call_each(solutions.normal_log_likelihood, calls)
    raw = [{"raised": raised, "after": {}} for _ in raw]
    results = judge(planned, spec, parse_outcomes(raw, len(calls)))
    passed, message = report(spec.name, "edge", results)
    assert not passed
    assert len(message) < 800 * len(results)
    assert all(len(result.message()) < 800 for result in results)


@pytest.mark.parametrize(
    "record",
    [
        {"raised": {"type": "ValueError", "mro": "ValueError", "message": "sigma"}},
        {"raised": "ValueError"},
        {"value": 1.0, "after": {"zero": 1.0}},
        {"after": {}},
    ],
)
def test_a_malformed_record_is_reported_as_such(record):
    with pytest.raises(MalformedOutcomes, match=r"^an outcome could not be read"):
        parse_outcomes([record], 1)


def test_a_judge_that_trips_over_a_value_fails_that_check_only():
    """The last line behind every judge: an exception while judging fails one check, with a short message."""
    honest = GRADED["normal_log_likelihood"]

    def fragile(case, received):
        if received is None:
            raise OverflowError("x" * 100_000)
        return honest.judge(case, received)

    spec = dataclasses.replace(honest, judge=fragile)
    planned, outcomes = _honest(spec.name, "typical")
    results = judge(planned, spec, [Outcome(value=None), *outcomes[1:]])
    assert not results[0].passed
    assert results[0].verdict.problem.startswith("your output could not be judged (OverflowError: xxx")
    assert len(results[0].message()) < 600
    assert all(result.passed for result in results[1:])


def _raises_unless_valid(message: str, valid: Callable[..., bool], reference: Callable[..., Any]) -> Callable[..., Any]:
    """The reference, except that a call outside the domain raises ValueError(message)."""

    def learner(*args: Any) -> Any:
        if not valid(*args):
            raise ValueError(message)
        return reference(*args)

    return learner


@pytest.mark.parametrize(
    ("name", "message", "valid"),
    [
        # "expected" holds an x, but the message names no parameter
        ("normal_mle", "expected at least one value", lambda x: len(x) > 0),
        # names sigma and n_reps, never n
        ("simulate_sigma2_hat", "sigma and n_reps must be positive", lambda n, mu, sigma, n_reps, rng: n > 0),
    ],
)
def test_a_message_names_the_parameter_as_a_word_not_as_letters_inside_others(name, message, valid):
    learner = _raises_unless_valid(message, valid, getattr(solutions, name))
    with pytest.raises(HiddenCheckFailed, match="should name the parameter"):
        check(name, learner, "edge")


def _ascend(score, hessian, theta0, tol=1e-10, max_iter=100):
    """Not Newton's method: steps along the score, half as long as its curvature allows, with a loop bound of
    its own (max_iter is not a budget it keeps). It reaches a root of the score, but a maximum's."""
    theta = np.array(theta0, dtype=float)
    for _ in range(100_000):
        step = np.asarray(score(theta), dtype=float) / (2 * np.max(np.abs(np.atleast_2d(hessian(theta)))))
        theta = theta + step
        if np.linalg.norm(step) < tol:
            return theta
    raise RuntimeError("no convergence")


def test_newton_raphson_is_judged_on_its_path_not_only_on_reaching_a_root():
    """From the valley between two peaks, Newton's steps end at the valley's stationary point u = 0 (θ = centre)
    and an ascent method at a peak u = ±1 (θ = centre ± width): both roots of the score, only one Newton's."""
    function = GRADED["newton_raphson"]
    (valley,) = [case for case in function.cases("typical") if "two peaks" in case.label]
    data = valley.kwargs["score"].data
    centre, width = data["centre"], data["width"]
    newton = function.reference(*valley.fresh_kwargs().values())
    ascended = _ascend(*valley.fresh_kwargs().values())
    assert newton == pytest.approx([centre], abs=1e-9)
    assert abs(abs(ascended[0] - centre) - width) < 1e-6
    assert function.judge(valley, newton).passed and not function.judge(valley, ascended).passed


def test_newton_raphson_gets_a_budget_of_two_iterations_beyond_newtons_own_count():
    """A step half as long as Newton's converges to the same root, linearly: it runs out of max_iter."""
    function = GRADED["newton_raphson"]

    def half_newton(score, hessian, theta0, tol=1e-10, max_iter=100):
        theta = np.array(theta0, dtype=float)
        for _ in range(max_iter):
            step = np.linalg.solve(np.atleast_2d(hessian(theta)), np.asarray(score(theta), dtype=float)) / 2
            theta = theta - step
            if np.linalg.norm(step) < tol:
                return theta
        raise RuntimeError("no convergence within max_iter")

    failed = [result for result in run_part(function, half_newton, "typical") if not result.passed]
    assert len(failed) == len(function.cases("typical"))
    assert all("RuntimeError" in result.verdict.problem for result in failed)


def _newton(stop_on_score: bool = False, iterations: Callable[[int], int] = lambda max_iter: max_iter):
    """Newton's method written as a learner might, with one of two slips: stopping on the score's norm (before
    stepping), or looping ``iterations(max_iter)`` times."""

    def newton(score, hessian, theta0, tol=1e-10, max_iter=100):
        theta = np.array(theta0, dtype=float)
        for _ in range(iterations(max_iter)):
            gradient = np.asarray(score(theta), dtype=float)
            if stop_on_score and np.linalg.norm(gradient) < tol:
                return theta
            step = np.linalg.solve(np.atleast_2d(hessian(theta)), gradient)
            theta = theta - step
            if not stop_on_score and np.linalg.norm(step) < tol:
                return theta
        raise RuntimeError("no convergence within max_iter")

    return newton


def test_newton_raphson_that_stops_on_a_small_score_fails_where_the_curvature_is_tiny():
    """The spec stops on the step's norm. Scaling a log-likelihood by 1e-11 leaves Newton's steps alone (the
    closed-form root log(mean count) is still reached) but puts the score below tol far from that root."""
    function = GRADED["newton_raphson"]
    (scaled,) = [case for case in function.cases("typical") if "multiplied by 1e-11" in case.label]
    counts = scaled.kwargs["score"].data["k"]
    assert function.reference(*scaled.fresh_kwargs().values()) == pytest.approx([np.log(counts.mean())], rel=1e-12)
    failed = [result for result in run_part(function, _newton(stop_on_score=True), "typical") if not result.passed]
    assert [result.description.split(":")[0] for result in failed] == [f"newton_raphson on {scaled.label}"]
    assert [mistake.name for mistake in failed[0].mistakes] == ["score compared with tol"]


def test_newton_raphson_that_gives_up_one_step_early_fails_where_max_iter_is_exactly_newtons_count():
    function = GRADED["newton_raphson"]
    failed = [r for r in run_part(function, _newton(iterations=lambda m: m - 1), "typical") if not r.passed]
    assert len(failed) == 1 and "RuntimeError" in failed[0].verdict.problem
    assert all(result.passed for result in run_part(function, _newton(), "typical"))
