"""What a learner's kernel sends back, read by the grader's own strict decoder.

Inside the kernel, ``mlelab.grading.record`` encodes each call's outcome and
writes it as JSON. That encoder is learner-side code, so the grader trusts none
of it: this module is the only reader of those bytes here, and it accepts plain
data only (numbers, strings, None, lists, tuples, dicts, numeric arrays of
bounded size and depth, and records of raised exceptions). It never builds an
object of the kernel's choosing: a ``Formula`` (source text that would run when
called), a numpy ``Generator``, an opaque stand-in or any form it does not
know comes back as :class:`Refused`, which fails the one check it belongs to
with a message saying what came back.

Two ways to fail, so that a fault costs as little as it can:

- the file as a whole (too large, nested too deeply, too many values, not
  UTF-8 JSON, not a list of outcome records of the planned calls) raises
  :class:`MalformedOutcomes`, checked before anything is parsed where it can be;
- one value that is not plain data (a generator, an ``int8`` of 300, an array
  whose shape disagrees with its data) becomes a :class:`Refused` value; the
  other calls' outcomes are read as usual.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograder.checks import shorten

#: Largest outcomes file read, checked before parsing: an honest one is at most 0.5 MB (20 000 simulated values).
MAX_BYTES = 16 * 2**20
#: Deepest JSON nesting of a file, checked before parsing (an honest one is at most 7 deep).
MAX_JSON_DEPTH = 100
#: Most JSON values (commas and brackets) in a file, checked before parsing: bounds the memory parsing takes.
MAX_ITEMS = 2_000_000
#: Deepest value: the kernel's encoder writes containers down to depth 20 and a stand-in below them.
MAX_VALUE_DEPTH = 21
#: Most dimensions and numbers of one array.
MAX_DIMS, MAX_ELEMENTS = 32, 1_000_000
#: Longest string value kept (the kernel's encoder cuts strings there too), and longest exception text.
MAX_TEXT, MAX_RAISED = 500, 200
#: Most class names kept of a raised exception, and most list/array inputs reported after a call.
MAX_CLASSES, MAX_AFTER = 50, 64
#: Integers beyond this size are refused: far beyond any float, yet cheap to parse and compare.
MAX_DIGITS = 1000
#: What the grader reads, for every message about a value it refused.
PLAIN_DATA = "the grader only reads numbers, strings, arrays, tuples, lists, dicts and None"

#: A JSON string, or an unterminated one up to the end: a match never fails, so scanning stays linear
#: (a pattern that can fail would retry from every escaped quote: quadratic in a file of ``\"``).
_STRING = re.compile(rb'"[^"\\]*(?:\\.?[^"\\]*)*(?:"|\Z)', re.DOTALL)
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b"[]{},")
_DTYPE = re.compile(r"[<>|][biuf][0-9]{1,2}")
_INDEX = re.compile(r"[0-9]{1,2}")
_CHUNK = 1 << 20
_LIMIT = 10**MAX_DIGITS
_TYPES = {"b": bool, "i": int, "u": int, "f": float}


class MalformedOutcomes(ValueError):
    """What came back from a kernel is not a list of outcomes of the planned calls."""


@dataclass(frozen=True)
class Raised:
    """An exception the learner's function raised: its type, the names of its classes, its message."""

    type: str
    classes: tuple[str, ...]
    message: str

    def is_a(self, error: type[BaseException]) -> bool:
        return error.__name__ in self.classes


@dataclass(frozen=True)
class Refused:
    """A value from the kernel that is not plain data, described in words ("a numpy Generator")."""

    what: str


@dataclass(frozen=True)
class Outcome:
    """One call's result: the value returned, or the exception raised; and the list/array inputs after it.

    ``value`` and the values of ``after`` are plain data or :class:`Refused`.
    """

    value: Any = None
    raised: Raised | None = None
    after: dict[int, Any] = field(default_factory=dict)


class _NotPlain(Exception):
    """Raised while decoding one value: what it is instead of plain data, and how deep it was found."""

    def __init__(self, what: str, depth: int) -> None:
        super().__init__(what)
        self.what, self.depth = what, depth


@dataclass(frozen=True)
class _LongNumber:
    """A JSON number too long to convert (Python refuses ints of over 4300 digits, and they cost time)."""

    length: int


class _RepeatedKey(ValueError):
    pass


@contextmanager
def _quiet() -> Iterator[None]:
    """No warnings on the grader's stderr from converting odd numbers."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


# -- the file ---------------------------------------------------------------------------------------


def read_outcomes(data: bytes, count: int) -> list[Outcome]:
    """The outcomes of ``count`` planned calls from the raw bytes of a kernel's outcomes file.

    Raises MalformedOutcomes, with a short message, when the file as a whole cannot be read.
    """
    return outcomes_from_json(load_json(data), count)


def load_json(data: bytes) -> Any:
    """The JSON in ``data``, bounded in size, depth and count of values before it is parsed.

    Strict UTF-8 (no byte-order mark, no UTF-16), no repeated key in an object, nothing after
    the value; NaN and infinities are floats, numbers longer than ``MAX_DIGITS`` stay unconverted
    (to be refused as values). Raises MalformedOutcomes on anything else.
    """
    if len(data) > MAX_BYTES:
        raise MalformedOutcomes(f"the outcomes file is larger than {MAX_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedOutcomes("the outcomes file is not UTF-8 text") from None
    structure = _STRING.sub(b"", data).translate(None, _NOT_STRUCTURE)
    if len(structure) > MAX_ITEMS:
        raise MalformedOutcomes(f"the outcomes file holds more than {MAX_ITEMS:,} values")
    if _deepest(structure) > MAX_JSON_DEPTH:
        raise MalformedOutcomes(f"the outcomes file is nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        return json.loads(text, parse_int=_parse_int, parse_float=_parse_float, object_pairs_hook=_object)
    except _RepeatedKey:
        raise MalformedOutcomes("the outcomes file repeats a key in an object") from None
    except (ValueError, RecursionError):
        raise MalformedOutcomes("the outcomes file is not valid JSON") from None


def _deepest(structure: bytes) -> int:
    """The deepest bracket nesting of ``structure`` (brackets and commas only), in bounded memory."""
    codes = np.frombuffer(structure, dtype=np.uint8)
    depth = deepest = 0
    for start in range(0, len(codes), _CHUNK):
        chunk = codes[start : start + _CHUNK]
        steps = np.isin(chunk, (ord("["), ord("{"))).astype(np.int32) - np.isin(chunk, (ord("]"), ord("}")))
        levels = depth + np.cumsum(steps)
        deepest, depth = max(deepest, int(levels.max())), int(levels[-1])
    return deepest


def _parse_int(text: str) -> int | _LongNumber:
    return int(text) if len(text) <= MAX_DIGITS + 1 else _LongNumber(len(text))


def _parse_float(text: str) -> float | _LongNumber:
    return float(text) if len(text) <= MAX_DIGITS + 1 else _LongNumber(len(text))


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _RepeatedKey
    return result


# -- the records --------------------------------------------------------------------------------------


def outcomes_from_json(data: Any, count: int) -> list[Outcome]:
    """The outcomes of ``count`` planned calls from parsed JSON (``mlelab.grading.call_each``'s form).

    A list of records, each ``{"value": ..., "after": {...}}`` or ``{"raised": {...}, "after": {...}}``;
    anything else raises MalformedOutcomes. A value that is not plain data becomes :class:`Refused`.
    """
    if not isinstance(data, list) or len(data) != count:
        got = len(data) if isinstance(data, list) else type(data).__name__
        raise MalformedOutcomes(f"expected {count} outcomes, got {got}")
    return [_outcome(record) for record in data]


def _malformed(why: str) -> MalformedOutcomes:
    return MalformedOutcomes(f"an outcome could not be read ({why})")


def _outcome(record: Any) -> Outcome:
    if not isinstance(record, dict) or set(record) not in ({"value", "after"}, {"raised", "after"}):
        raise _malformed("a record holds either a value or an exception, and the inputs after the call")
    after = record["after"]
    if not isinstance(after, dict) or len(after) > MAX_AFTER:
        raise _malformed("the inputs after the call are not a record")
    inputs = {_index(key): decode_value(value) for key, value in after.items()}
    if "raised" in record:
        return Outcome(raised=_raised(record["raised"]), after=inputs)
    return Outcome(value=decode_value(record["value"]), after=inputs)


def _index(key: Any) -> int:
    if not isinstance(key, str) or not _INDEX.fullmatch(key):
        raise _malformed("an input after the call is not named by its position")
    return int(key)


def _raised(data: Any) -> Raised:
    """An exception's record, its texts cut short (the kernel chose them)."""
    if not isinstance(data, dict) or set(data) != {"type", "mro", "message"}:
        raise _malformed("an exception is not a record of its type, classes and message")
    kind, classes, message = data["type"], data["mro"], data["message"]
    if not (isinstance(kind, str) and isinstance(message, str) and isinstance(classes, list)):
        raise _malformed("an exception is not a record of its type, classes and message")
    if not all(isinstance(name, str) for name in classes):
        raise _malformed("an exception's classes are not names")
    names = tuple(_text(name, MAX_RAISED) for name in classes[:MAX_CLASSES])
    return Raised(_text(kind, MAX_RAISED), names, _text(message, MAX_RAISED))


def _text(text: str, limit: int) -> str:
    """``text`` shortened, with any lone surrogate (valid in JSON, not in UTF-8 files) replaced."""
    return shorten(text, limit).encode("utf-8", "replace").decode("utf-8")


# -- the values ---------------------------------------------------------------------------------------


def decode_value(data: Any) -> Any:
    """The plain value that parsed JSON ``data`` describes, or :class:`Refused` saying what it is instead.

    Never raises: whatever is wrong with one value costs that value only.
    """
    try:
        with _quiet():
            return _value(data, 0)
    except _NotPlain as refusal:
        whole = refusal.depth == 0 or refusal.what.startswith("a value ")
        return Refused(refusal.what if whole else f"a value holding {refusal.what}")
    except Exception as error:  # a case the checks below did not foresee: refused all the same
        return Refused(f"a value the grader could not read ({type(error).__name__})")


def _value(data: Any, depth: int) -> Any:
    if depth > MAX_VALUE_DEPTH:
        raise _NotPlain(f"a value nested more than {MAX_VALUE_DEPTH - 1} levels deep", depth)
    kind = type(data)
    if data is None or kind is bool or kind is float:
        return data
    if kind is int:
        if abs(data) >= _LIMIT:
            raise _NotPlain(f"a number of more than {MAX_DIGITS} digits", depth)
        return data
    if kind is str:
        return data[:MAX_TEXT].encode("utf-8", "replace").decode("utf-8")
    if kind is list:
        return [_value(item, depth + 1) for item in data]
    if kind is dict:
        return _tagged(data, depth)
    if kind is _LongNumber:
        raise _NotPlain(f"a number of more than {MAX_DIGITS} digits", depth)
    raise _NotPlain("a value the wire does not carry", depth)


def _tagged(data: dict[str, Any], depth: int) -> Any:
    """A tuple, dict, array or numpy scalar from its tagged form; every other form is refused."""
    keys = set(data)
    if keys == {"__tuple__"} and type(data["__tuple__"]) is list:
        return tuple(_value(item, depth + 1) for item in data["__tuple__"])
    if keys == {"__dict__"} and type(data["__dict__"]) is list:
        return _dict(data["__dict__"], depth)
    if keys == {"__ndarray__", "dtype", "shape"}:
        return _array(data["__ndarray__"], data["dtype"], data["shape"], depth)
    if keys == {"__scalar__", "dtype"}:
        return _numbers([data["__scalar__"]], _dtype(data["dtype"], depth), depth)[0]
    if "__rng__" in keys:
        raise _NotPlain("a numpy Generator", depth)
    if "__formula__" in keys:
        raise _NotPlain("a Formula (a function given by its source text)", depth)
    if keys == {"__opaque__", "repr"} and type(data["__opaque__"]) is str and type(data["repr"]) is str:
        raise _NotPlain(_opaque(data["__opaque__"], data["repr"]), depth)
    raise _NotPlain("a value the wire does not carry", depth)


def _opaque(type_name: str, shown: str) -> str:
    """The kernel's stand-in for an object of another type, in words: "a function (<function f at ...>)"."""
    if shown == "(nested too deeply)":  # what the kernel's encoder writes below its depth limit
        return f"a value nested more than {MAX_VALUE_DEPTH - 1} levels deep"
    name = type_name if type_name.isidentifier() and len(type_name) <= 60 else "object"
    article = "an" if name[0].lower() in "aeiou" else "a"
    return f"{article} {name} ({_text(shown, 60)})"


def _dict(pairs: list[Any], depth: int) -> dict[Any, Any]:
    result = {}
    for pair in pairs:
        if type(pair) is not list or len(pair) != 2:
            raise _NotPlain("a dict the wire does not carry", depth)
        key = _value(pair[0], depth + 1)
        try:
            hash(key)
        except TypeError:
            raise _NotPlain(f"a dict with a key of type {type(key).__name__}", depth) from None
        result[key] = _value(pair[1], depth + 1)
    return result


def _dtype(text: Any, depth: int) -> np.dtype:
    """A numpy dtype of booleans, integers or floats, in the canonical form the kernel's encoder writes."""
    if type(text) is str and _DTYPE.fullmatch(text):
        try:
            dtype = np.dtype(text)
        except TypeError:  # "<i16": no such type
            dtype = None
        if dtype is not None and dtype.kind in "biuf" and dtype.str == text:
            return dtype
    shown = repr(text[:40]) if type(text) is str else f"of type {type(text).__name__}"
    raise _NotPlain(f"numbers of dtype {shown}", depth)


def _array(nested: Any, dtype_text: Any, shape: Any, depth: int) -> np.ndarray:
    """An array from nested lists, its shape and dtype checked against each other before any conversion."""
    dtype = _dtype(dtype_text, depth)
    if (
        type(shape) is not list
        or len(shape) > MAX_DIMS
        or not all(type(size) is int and 0 <= size <= MAX_ELEMENTS for size in shape)
        or math.prod(shape) > MAX_ELEMENTS
    ):
        raise _NotPlain(f"an array of impossible shape or of more than {MAX_ELEMENTS:,} numbers", depth)
    flat: list[Any] = []
    _flatten(nested, shape, flat, depth)
    return _numbers(flat, dtype, depth).reshape(shape)


def _flatten(nested: Any, shape: list[int], flat: list[Any], depth: int) -> None:
    """Append the entries of ``nested`` to ``flat``, checking that its nesting is exactly ``shape``."""
    if not shape:
        flat.append(nested)
        return
    if type(nested) is not list or len(nested) != shape[0]:
        raise _NotPlain("an array whose shape does not match its data", depth)
    if len(shape) == 1:
        flat.extend(nested)
        return
    for item in nested:
        _flatten(item, shape[1:], flat, depth)


def _numbers(values: list[Any], dtype: np.dtype, depth: int) -> np.ndarray:
    """``values`` as a 1-d array of ``dtype``, each of the Python type that dtype's ``tolist`` gives, in range."""
    wanted = _TYPES[dtype.kind]
    if any(type(value) is not wanted for value in values):
        raise _NotPlain(f"numbers of dtype {dtype} holding something other than {wanted.__name__}s", depth)
    if dtype.kind in "iu" and values:
        info = np.iinfo(dtype)
        if min(values) < info.min or max(values) > info.max:
            raise _NotPlain(f"numbers of dtype {dtype} beyond its range", depth)
    converted = np.array(values, dtype=dtype)
    if dtype.kind == "f" and values and np.any(np.isfinite(np.array(values)) & ~np.isfinite(converted)):
        raise _NotPlain(f"numbers of dtype {dtype} beyond its range", depth)
    return converted
