"""The grader's strict decoder of what a kernel sends back (autograder/wire.py).

A kernel's outcomes file is learner data: it is bounded before it is parsed, and only plain data comes out
of it. A Formula, a numpy Generator, an opaque stand-in or an unknown form fails the check it belongs to
with a message; a file that is not a list of outcome records fails its cell. Hostile payloads are tried
here byte by byte, then sent from a real sandboxed kernel, then graded in a class beside honest learners.
"""

import asyncio
import functools
import json
import math
import time
from pathlib import Path
from typing import Any

import mlelab.grading
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from mlelab.grading import call_each, encode

import solutions
from autograder import runner, wire
from autograder.functions import GRADED
from autograder.runner import argument_lists, judge, parse_outcomes, plan, run_part
from autograder.sandbox import Sandbox, SandboxedKernelManager
from autograder.wire import MalformedOutcomes, Refused, load_json, read_outcomes
from tests.attack_class import ASSIGNMENT, HONEST, add_learners, build_course, grade
from tests.conftest import ROOT


def _file(*records: Any) -> bytes:
    """An outcomes file as the kernel's record writes it (json.dump's defaults: NaN allowed, ASCII)."""
    return json.dumps(list(records)).encode()


def _received(value: Any) -> Any:
    """What the grader reads of one returned value given in its wire form."""
    (outcome,) = read_outcomes(_file({"value": value, "after": {}}), 1)
    return outcome.value


def _refused(value: Any) -> str:
    received = _received(value)
    assert isinstance(received, Refused), f"accepted {received!r}"
    return received.what


# -- values that are not plain data: refused one by one -------------------------------------------


@pytest.mark.parametrize(
    ("value", "what"),
    [
        (encode(np.random.default_rng(3)), "a numpy Generator"),
        (encode(mlelab.grading.Formula("lambda t: 1 - t", target=1.5)), "a Formula"),
        ({"__formula__": "__import__('os').system('true')", "data": {"__dict__": []}}, "a Formula"),
        (encode(lambda: 0), "a function (<function <la..."),
        (encode(len), "a builtin_function_or_method"),
        ({"__opaque__": "Secret" * 2000, "repr": "x" * 10_000}, "an object (xxx"),
        ({"__opaque__": "object", "repr": "(nested too deeply)"}, "a value nested more than 20 levels deep"),
        ({"__pickle__": "gASVAAAA"}, "a value the wire does not carry"),
        ({"a": 1, "b": 2}, "a value the wire does not carry"),
        ({"__tuple__": 5}, "a value the wire does not carry"),
        ({"__tuple__": [1], "__dict__": []}, "a value the wire does not carry"),
        ({"__dict__": [[1, 2, 3]]}, "a dict the wire does not carry"),
        ({"__dict__": [[[1], 2]]}, "a dict with a key of type list"),
        ({"__dict__": [[{"__ndarray__": [1], "dtype": "<i8", "shape": [1]}, 2]]}, "a key of type ndarray"),
        ({"__tuple__": [1.0, encode(np.random.default_rng())]}, "a value holding a numpy Generator"),
        ([1.0, [2.0, {"__rng__": {}}]], "a value holding a numpy Generator"),
        (functools.reduce(lambda inner, _: [inner], range(30), 1.0), "a value nested more than 20 levels deep"),
        ([encode(functools.reduce(lambda inner, _: [inner], range(30), 1.0))], "a value nested more than 20 levels"),
    ],
    ids=lambda v: str(v)[:30],
)
def test_what_is_not_plain_data_is_refused_and_said_in_words(value, what):
    refused = _refused(value)
    assert refused.startswith(what) or what in refused
    assert len(refused) < 150


def test_the_learner_package_s_decoder_is_never_used_on_the_way_back():
    """mlelab.grading.decode builds Formulas and Generators: no reader of outcomes may hold it."""
    for module in (runner, wire):
        assert not any(value is mlelab.grading.decode for value in vars(module).values())
    rng = encode(np.random.default_rng())
    assert isinstance(parse_outcomes([{"value": rng, "after": {}}], 1)[0].value, Refused)


def test_grading_in_this_process_goes_through_the_strict_decoder():
    assert all(r.passed for r in run_part(GRADED["normal_mle"], solutions.normal_mle, "edge"))
    results = run_part(GRADED["normal_mle"], lambda x: np.random.default_rng(), "typical")
    assert [r.verdict.problem for r in results] == [f"normal_mle returned a numpy Generator: {wire.PLAIN_DATA}"] * 3


@pytest.mark.parametrize(
    ("dtype", "shape", "data"),
    [
        ("|O", [1], [1.0]),
        ("O", [1], [1.0]),
        ("|V8", [1], [1.0]),
        ("V100", [1], [1.0]),
        ("<U5", [1], ["hello"]),
        ("<m8", [1], [1]),
        ("<M8[s]", [1], [1]),
        ("<c16", [1], [1.0]),
        ("complex128", [1], [1.0]),
        ("f8", [1], [1.0]),  # not the canonical form the encoder writes
        ("|f8", [1], [1.0]),
        ("<i16", [1], [1]),
        ("(1000000000,)f8", [1], [1.0]),
        ([1], [1], [1.0]),
        ("<f8", [3], [1.0, 2.0]),  # a shape that disagrees with the data
        ("<f8", [2], [[1.0], [1.0, 2.0]]),  # ragged
        ("<f8", [2, 1], [[1.0], [1.0, 2.0]]),
        ("<f8", [1, 1], [1.0]),
        ("<f8", [-1], [1.0]),
        ("<f8", [10**12], [1.0]),
        ("<f8", [0, 10**12], []),
        ("<f8", [True], [1.0]),
        ("<f8", [1.0], [1.0]),
        ("<f8", 3, [1.0, 2.0, 3.0]),
        ("<f8", [1] * 40, functools.reduce(lambda inner, _: [inner], range(40), 1.0)),
        ("<f8", [1], ["1.5"]),  # numpy would convert text
        ("<f8", [1], [1]),  # the encoder writes floats as floats
        ("<f8", [1], [None]),
        ("<f8", [1], [[1.0]]),
        ("<f8", [1], [{"__rng__": {}}]),
        ("<i8", [1], [1.5]),
        ("<i8", [1], [True]),
        ("|b1", [1], [1]),
        ("<i8", [1], [2**63]),
        ("|i1", [2], [1, 300]),
        ("<u4", [1], [-1]),
        ("<f2", [2], [1.0, 1e10]),  # overflows float16 to inf
        ("<f4", [1], [1e300]),
    ],
    ids=lambda v: str(v)[:24],
)
def test_arrays_of_other_dtypes_or_of_lying_shapes_are_refused(dtype, shape, data):
    assert isinstance(_received({"__ndarray__": data, "dtype": dtype, "shape": shape}), Refused)


@pytest.mark.parametrize(
    "scalar",
    [
        {"__scalar__": 300, "dtype": "|i1"},
        {"__scalar__": 2**64, "dtype": "<u8"},
        {"__scalar__": -1, "dtype": "<u2"},
        {"__scalar__": 2**70, "dtype": "<i8"},
        {"__scalar__": 1e10, "dtype": "<f2"},
        {"__scalar__": math.inf, "dtype": "<i8"},
        {"__scalar__": 1.5, "dtype": "<i8"},
        {"__scalar__": True, "dtype": "<i8"},
        {"__scalar__": "1.5", "dtype": "<f8"},
        {"__scalar__": [1.5], "dtype": "<f8"},
        {"__scalar__": 1.5, "dtype": "|O"},
        {"__scalar__": 1.5},
        {"__scalar__": 1.5, "dtype": "<f8", "shape": []},
    ],
    ids=str,
)
def test_a_number_that_overflows_its_dtype_is_refused_alone(scalar):
    """Per value, not per file: the other outcomes of the same file are read as usual."""
    good = {"__scalar__": 2.5, "dtype": "<f8"}
    first, second = read_outcomes(_file({"value": scalar, "after": {}}, {"value": good, "after": {}}), 2)
    assert isinstance(first.value, Refused)
    assert type(second.value) is np.float64 and second.value == 2.5


def test_numbers_keep_their_type_nan_and_infinities_included():
    text = b'[{"value": [NaN, Infinity, -Infinity, 1e999, -0.0, 7, 10000000000000000000000], "after": {}}]'
    (outcome,) = read_outcomes(text, 1)
    nan, inf, minus_inf, overflowed, zero, seven, big = outcome.value
    assert math.isnan(nan) and inf == math.inf and minus_inf == -math.inf and overflowed == math.inf
    assert math.copysign(1, zero) == -1 and type(seven) is int and big == 10**22
    array = _received({"__ndarray__": [math.nan, math.inf, 1.0], "dtype": "<f2", "shape": [3]})
    assert array.dtype == np.float16 and math.isnan(array[0]) and array[1] == math.inf


def test_huge_integers_are_values_up_to_a_thousand_digits_and_refused_beyond():
    assert _received(10**400) == 10**400  # judged as "an integer of about 401 digits, too large for a float"
    for text in (b"9" * 1500, b"-" + b"9" * 5000, b"1" * 100_000, b"1." + b"0" * 5000):
        (outcome,) = read_outcomes(b'[{"value": [1.0, ' + text + b'], "after": {}}]', 1)
        assert isinstance(outcome.value, Refused) and "more than 1000 digits" in outcome.value.what
    (outcome,) = read_outcomes(b'[{"value": 1, "after": {"0": [' + b"7" * 5000 + b"]}}]", 1)
    assert outcome.value == 1 and isinstance(outcome.after[0], Refused)
    assert isinstance(parse_outcomes([{"value": 10**2000, "after": {}}], 1)[0].value, Refused)


def test_strings_are_cut_short_and_made_writable():
    assert _received("x" * 100_000) == "x" * 500
    assert _received("\ud800 lone surrogate") == "? lone surrogate"  # valid JSON, not writable as UTF-8
    (outcome,) = read_outcomes(
        _file({"raised": {"type": "E" * 10_000, "mro": ["\udfff"] * 100_000, "message": "m" * 10_000}, "after": {}}),
        1,
    )
    assert len(outcome.raised.type) <= 200 and len(outcome.raised.message) <= 200
    assert outcome.raised.classes == ("?",) * 50


# -- files that are not outcome records: refused as a whole, before parsing where possible ---------


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b" " * (wire.MAX_BYTES + 1), "larger than 16 MiB"),
        (b"[" * 1_500_000 + b"]" * 1_500_000, "more than 2,000,000 values"),
        (b"[0," * 1_000_000 + b"0" + b"]" * 1_000_000, "more than 2,000,000 values"),
        (b"[" * 1_000_000, "nested more than 100 levels deep"),
        (b'{"a":' * 500_000, "nested more than 100 levels deep"),
        (b"[" * 101 + b"]" * 101, "nested more than 100 levels deep"),
        (b'[{"value": "\xff", "after": {}}]', "not UTF-8"),
        ('[{"value": 1.0, "after": {}}]'.encode("utf-16"), "not UTF-8"),
        (b'\xef\xbb\xbf[{"value": 1.0, "after": {}}]', "not valid JSON"),
        (b'[{"value": 1.0, "after": {}}] trailing', "not valid JSON"),
        (b'[{"value": 1.0, "after": {}}][]', "not valid JSON"),
        (b'[{"value": 1.0, "after": {}},]', "not valid JSON"),
        (b"[{'value': 1.0, 'after': {}}]", "not valid JSON"),
        (b'[{"value": 1.0, "after": {}, "value": 2.0}]', "repeats a key"),
        (b'[{"value": {"__scalar__": 1, "__scalar__": 2, "dtype": "<i8"}, "after": {}}]', "repeats a key"),
        (b"", "not valid JSON"),
        (b"null", "expected 1 outcomes, got NoneType"),
        (b'{"value": 1.0, "after": {}}', "expected 1 outcomes, got dict"),
        (b"[]", "expected 1 outcomes, got 0"),
        (b'[{"value": 1.0, "after": {}}, {"value": 1.0, "after": {}}]', "expected 1 outcomes, got 2"),
        (b"[1.0]", "an outcome could not be read"),
        (b'[{"value": 1.0}]', "an outcome could not be read"),
        (b'[{"value": 1.0, "after": {}, "extra": 1}]', "an outcome could not be read"),
        (b'[{"value": 1.0, "raised": null, "after": {}}]', "an outcome could not be read"),
        (b'[{"after": {}}]', "an outcome could not be read"),
        (b'[{"value": 1.0, "after": []}]', "an outcome could not be read"),
        (b'[{"value": 1.0, "after": {"zero": 1.0}}]', "an outcome could not be read"),
        (b'[{"value": 1.0, "after": {"-1": 1.0}}]', "an outcome could not be read"),
        (b'[{"raised": "ValueError", "after": {}}]', "an outcome could not be read"),
        (b'[{"raised": {"type": "E", "mro": "E", "message": "m"}, "after": {}}]', "an outcome could not be read"),
        (b'[{"raised": {"type": "E", "mro": [1], "message": "m"}, "after": {}}]', "an outcome could not be read"),
        (b'[{"raised": {"type": "E", "mro": ["E"]}, "after": {}}]', "an outcome could not be read"),
    ],
    ids=lambda v: repr(v)[:30],
)
def test_a_file_that_is_not_outcome_records_is_refused_with_a_short_message(data, why):
    with pytest.raises(MalformedOutcomes) as refused:
        read_outcomes(data, 1)
    assert why in str(refused.value) and len(str(refused.value)) < 150


def test_bounds_are_checked_before_parsing(monkeypatch):
    """No size, count or depth bomb reaches the JSON parser."""

    def forbidden(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(wire.json, "loads", forbidden)
    for bomb in (b"[" * 200, b"[0," * 2_000_001, b"1" * (wire.MAX_BYTES + 1)):
        with pytest.raises(MalformedOutcomes):
            load_json(bomb)


@pytest.mark.parametrize(
    "data",
    [
        b'["' + b'\\"' * (wire.MAX_BYTES // 2 - 2),  # an unterminated string of escaped quotes
        b'["' + b'\\"' * (wire.MAX_BYTES // 2 - 3) + b"\\",
        b'"' * wire.MAX_BYTES,
        b"[" + b"1" * (wire.MAX_BYTES - 2) + b"]",
        b"[1" + b"0" * (wire.MAX_BYTES - 4) + b"e5]",
        b'["' + b"\\u0041" * (wire.MAX_BYTES // 6 - 1) + b'"]',
        b'[{"after": {}, "value": [' + b'{"__ndarray__": [1.0], "dtype": "<f8", "shape": [1]},' * 250_000 + b"1]}]",
    ],
    ids=["escaped quotes", "escaped quotes and a backslash", "quotes", "digits", "exponent", "escapes", "arrays"],
)
def test_the_largest_hostile_files_are_read_or_refused_in_linear_time(data):
    started = time.monotonic()
    try:
        (outcome,) = read_outcomes(data, 1)
        assert len(outcome.value) == 250_001
    except MalformedOutcomes:
        pass
    assert time.monotonic() - started < 20  # about a second each here; quadratic scanning took hours


def test_brackets_inside_strings_do_not_count_as_nesting():
    strings = ["[" * 10_000, '\\"[[[' * 1000, "{" * 10_000 + '"', "\\" * 1000]
    assert load_json(json.dumps(strings).encode()) == strings


def test_inputs_after_the_call_are_plain_data_too():
    def keep_a_function(x: list) -> float:
        x.append(print)
        return 1.0

    (outcome,) = read_outcomes(json.dumps(call_each(keep_a_function, [[[1.0, 2.0]]])).encode(), 1)
    assert outcome.value == 1.0 and outcome.after[0] == Refused(
        "a value holding a builtin_function_or_method (<built-in function print>)"
    )


# -- everything plain crosses the wire unchanged -----------------------------------------------------

dtypes = st.one_of(
    hnp.boolean_dtypes(),
    hnp.integer_dtypes(endianness="?"),
    hnp.unsigned_integer_dtypes(endianness="?"),
    hnp.floating_dtypes(endianness="?", sizes=(16, 32, 64)),
)
numpy_scalars = dtypes.flatmap(lambda dtype: hnp.from_dtype(dtype).map(lambda v: np.array(v, dtype=dtype)[()]))
plain_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**300), 10**300), st.floats(), st.text(max_size=30), numpy_scalars
)
arrays = hnp.arrays(dtypes, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
keys = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=4))
plain_values = st.recursive(
    st.one_of(plain_scalars, arrays),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(keys, inner, max_size=3),
    ),
    max_leaves=12,
)


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same type all the way down; NaN equals NaN (the wire must carry it as it is)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict):
        return _same(list(a.items()), list(b.items()))  # keys and values, in order
    if isinstance(a, (float, np.floating)) and a != a:
        return b != b
    return a == b


@given(plain_values)
def test_every_plain_value_the_kernel_encodes_is_read_back_equal_and_of_the_same_type(value):
    written = json.dumps(call_each(lambda: value, [[]])).encode()  # what record writes in the kernel
    (outcome,) = read_outcomes(written, 1)
    assert _same(value, outcome.value), (value, outcome.value)


@given(st.lists(st.floats(), max_size=5), arrays)
def test_list_and_array_inputs_after_the_call_are_read_back_equal(numbers, array):
    written = json.dumps(call_each(lambda *args: None, [[numbers, array, "text"]])).encode()
    (outcome,) = read_outcomes(written, 1)
    assert set(outcome.after) == {0, 1}
    assert _same(numbers, outcome.after[0]) and _same(array, outcome.after[1])


# -- a real sandboxed kernel sends them --------------------------------------------------------------

HONEST_MLE = """
def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std())
"""
#: What each learner's normal_mle returns (on every call but the empty x, where it raises as it should).
RETURNS = {
    "generator": "np.random.default_rng(0)",
    "formula": "Formula(\"lambda *args: open('/tmp/mle-wire-formula-ran', 'w')\")",
    "lambda": "lambda *args: 0",
    "tuple_with_generator": "(1.0, np.random.default_rng(0))",
    "deep": "functools.reduce(lambda inner, _: [inner], range(30), 1.0)",
}
#: What the grader says about each, after "normal_mle returned ".
SAID = {
    "generator": "a numpy Generator",
    "formula": "a Formula (a function given by its source text)",
    "lambda": "a function (<function ",
    "tuple_with_generator": "a value holding a numpy Generator",
    "deep": "a value nested more than 20 levels deep",
}
LEARNERS = {
    "honest": HONEST_MLE,
    **{
        name: f"def normal_mle(x):\n    if not len(x):\n        raise ValueError('x is empty')\n    return {returned}\n"
        for name, returned in RETURNS.items()
    },
    # keeps the right answer, but leaves a function in the caller's list
    "changes_its_input": HONEST_MLE
    + "\n_right = normal_mle\n\ndef normal_mle(x):\n    answer = _right(x)\n"
    + "    if isinstance(x, list):\n        x.append(print)\n    return answer\n",
}
#: Learners who write the outcomes file themselves, past the encoder.
RAW = {
    "depth_bomb": "'[' * 1_000_000",
    "huge_integers": "json.dumps([{'value': int('7' * 4000), 'after': {}}] + [{'value': 1.0, 'after': {}}] * (n - 1))",
    "raw_formula": "json.dumps([{'value': {'__formula__': 'lambda: 0', 'data': {'__dict__': []}}, 'after': {}}] * n)",
}
SETUP = "import functools, json, os\nimport numpy as np\nfrom mlelab.grading import Formula, record\n"


def _write_raw(content: str) -> str:
    """Cell code that writes ``content`` (an expression of ``n``, the number of calls) where the outcomes go."""
    return (
        "request = json.load(open(os.environ['MLE_COURSE_CALLS']))\n"
        "n = len(request['calls'])\n"
        f"open(request['outcomes'], 'w').write({content})\n"
    )


async def _send_from_kernel(cells: dict[str, str], calls: list[tuple[Any, ...]]) -> dict[str, bytes]:
    """Each cell run in one sandboxed kernel after the grader wrote ``calls``; the outcomes file it left."""
    sandbox = Sandbox()
    manager = SandboxedKernelManager(kernel_name="python3")
    manager.use_sandbox(sandbox)
    sent: dict[str, bytes] = {}
    await manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        await client.execute_interactive(SETUP, timeout=60)
        for name, code in cells.items():
            sandbox.clear_run()
            encoded = [encode(list(arguments)) for arguments in calls]
            request = {"calls": encoded, "outcomes": str(sandbox.outcomes_file)}
            sandbox.calls_file.write_text(json.dumps(request))  # as HardenedExecute writes the hidden inputs
            await client.execute_interactive(code, timeout=60)
            sent[name] = sandbox.outcomes_file.read_bytes()
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)
        sandbox.close()
    return sent


@pytest.fixture(scope="module")
def from_kernel() -> dict[str, bytes]:
    calls = argument_lists(plan(GRADED["normal_mle"], "edge"))
    cells = {name: code + "record(normal_mle)\n" for name, code in LEARNERS.items()}
    cells |= {name: _write_raw(content) for name, content in RAW.items()}
    return asyncio.run(_send_from_kernel(cells, calls))


def _judged(data: bytes, through_bytes: bool) -> list:
    """The normal_mle edge checks judged on a kernel's file: read from its bytes, or as execute.py reads it today."""
    spec = GRADED["normal_mle"]
    planned = plan(spec, "edge")
    count = len(argument_lists(planned))
    outcomes = read_outcomes(data, count) if through_bytes else parse_outcomes(json.loads(data), count)
    return judge(planned, spec, outcomes)


@pytest.mark.parametrize("through_bytes", [True, False], ids=["bytes", "parsed"])
@pytest.mark.parametrize("name", sorted(RETURNS))
def test_a_value_from_a_real_kernel_that_is_not_plain_data_fails_its_checks_with_a_clear_message(
    from_kernel, name, through_bytes
):
    *cases, bad_call = _judged(from_kernel[name], through_bytes)
    assert bad_call.passed  # raising ValueError on an empty x is right, whatever else the function does
    for result in cases:
        assert not result.passed
        assert result.verdict.problem.startswith(f"normal_mle returned {SAID[name]}")
        assert result.verdict.problem.endswith(f": {wire.PLAIN_DATA}")
    assert not Path("/tmp/mle-wire-formula-ran").exists()


@pytest.mark.parametrize("through_bytes", [True, False], ids=["bytes", "parsed"])
def test_an_honest_function_in_a_real_kernel_passes_and_an_input_it_changed_does_not(from_kernel, through_bytes):
    assert all(result.passed for result in _judged(from_kernel["honest"], through_bytes))
    results = {r.description.split(":")[0]: r for r in _judged(from_kernel["changes_its_input"], through_bytes)}
    changed = [r for r in results.values() if not r.passed]
    assert results["normal_mle on a plain Python list"] in changed
    assert results["normal_mle on large values around 10 000"].passed  # an array: nothing was appended
    for result in changed:
        assert result.verdict.problem == (
            "after the call, an input of normal_mle held a value holding a builtin_function_or_method "
            f"(<built-in function print>): {wire.PLAIN_DATA}"
        )


def test_files_written_past_the_encoder_are_refused_whole_or_per_value(from_kernel):
    with pytest.raises(MalformedOutcomes, match="nested more than 100 levels deep"):
        _judged(from_kernel["depth_bomb"], through_bytes=True)
    for through_bytes in (True, False):
        first, *others = _judged(from_kernel["huge_integers"], through_bytes)
        assert first.verdict.problem == f"normal_mle returned a number of more than 1000 digits: {wire.PLAIN_DATA}"
        assert not any(result.verdict.problem.startswith("normal_mle returned") for result in others)
    for through_bytes in (True, False):
        results = _judged(from_kernel["raw_formula"], through_bytes)
        assert all(r.verdict.problem.startswith("normal_mle returned a Formula") for r in results)


# -- graded in a class beside honest learners ----------------------------------------------------------

ATTACKS = ROOT / "tests" / "attacks" / "wire" / ASSIGNMENT
EXPECTED = {
    **HONEST,
    "returns_generator": (3, 3, 0, 3),
    "returns_formula": (3, 3, 0, 3),
    "returns_lambda": (3, 3, 0, 3),
    "returns_deep_nesting": (3, 3, 0, 3),
    "bombs_its_outcomes": (3, 3, 0, 3),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = build_course(tmp_path_factory.mktemp("wire"))
    add_learners(course, ATTACKS)
    return grade(course)


@pytest.mark.slow
def test_every_submission_is_graded_and_honest_marks_do_not_move(graded):
    assert {s: o.problems for s, o in graded.outcomes.items() if not o.success} == {}
    assert {student: graded.scores(student) for student in EXPECTED} == EXPECTED


@pytest.mark.slow
@pytest.mark.parametrize(
    ("student", "words"),
    [
        ("returns_generator", "normal_mle returned a numpy Generator: the grader only reads numbers"),
        ("returns_formula", "normal_mle returned a Formula (a function given by its source text): the grader"),
        ("returns_lambda", "normal_mle returned a function (<function "),
        ("returns_deep_nesting", "normal_mle returned a value nested more than 20 levels deep: the grader"),
        ("bombs_its_outcomes", "normal_mle: the recorded outputs could not be read"),
    ],
)
def test_each_refused_value_is_explained_in_its_cell(graded, student, words):
    for grade_id in ("normal_mle", "normal_mle_edge"):
        messages = graded.messages(student, grade_id)
        assert words in messages and len(messages) < 5000
