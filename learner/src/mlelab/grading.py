"""What a hidden test cell runs when the course grades a notebook: ``record(normal_mle)``.

The grader never judges inside the learner's kernel, where learner code could
have replaced ``numpy``, ``builtins`` or IPython's hooks. Instead, just before
a hidden test cell runs, the grader (a trusted process outside the kernel)
writes the hidden inputs to the file named by ``MLE_COURSE_CALLS``; ``record``
calls the learner's function on each input and writes what came back. The
grader reads those outputs as plain data and compares them with the reference
itself. Nothing here decides a grade, and nothing here is secret: whatever
learner code does to this module can only change what their own function is
reported to return.

The wire format is JSON: numbers, arrays, tuples, random generators and
small formulas (the functions passed to ``gradient_ascent``) round-trip
exactly, and anything else comes back as an ``Opaque`` stand-in that keeps
its type name, so the grader never unpickles or evaluates what a kernel sent.
"""

from __future__ import annotations

import copy
import json
import os
import reprlib
import textwrap
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

#: Environment variable naming the request file the grader writes before a hidden test cell.
CALLS_VARIABLE = "MLE_COURSE_CALLS"
#: Set to "0" by the grader: the widget is built, but its readout and plots are not computed (nothing is graded
#: on them, and a kernel without a browser would only throw them away).
DRAW_VARIABLE = "MLELAB_DRAW"
_MAX_DEPTH = 20
_MAX_TEXT = 500


class Formula:
    """A function given by its source text and data, so it can be sent to a kernel and rebuilt.

    ``Formula("lambda t: target - t", target=1.5)`` behaves like the lambda,
    with ``np`` and ``special`` (``scipy.special``) in scope.
    """

    def __init__(self, source: str, **data: Any) -> None:
        self.source = textwrap.dedent(source).strip()
        self.data = data
        self._function: Callable[..., Any] | None = None

    def __call__(self, *args: Any) -> Any:
        if self._function is None:
            self._function = self._build()
        return self._function(*args)

    def _build(self) -> Callable[..., Any]:
        from scipy import special

        namespace = {"np": np, "special": special, **self.data}
        if self.source.startswith("lambda"):
            return eval(self.source, namespace)
        before = set(namespace)
        exec(self.source, namespace)
        (name,) = set(namespace) - before - {"__builtins__"}
        return namespace[name]

    def __deepcopy__(self, memo: dict) -> Formula:
        return Formula(self.source, **copy.deepcopy(self.data, memo))

    def __repr__(self) -> str:
        return f"Formula({self.source!r})"


class Opaque:
    """A kernel's value of a type the wire does not carry: its type name and a short repr."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _opaque(type_name: str, text: str) -> Opaque:
    """An ``Opaque`` whose class carries the original type name, for messages like "got dict"."""
    safe = type_name if type_name.isidentifier() else "object"
    return type(safe, (Opaque,), {})(text)


def encode(value: Any, depth: int = 0) -> Any:
    """A JSON-ready form of ``value`` that ``decode`` turns back into an equal value of the same type."""
    if depth > _MAX_DEPTH:
        return {"__opaque__": "object", "repr": "(nested too deeply)"}
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":  # before float: np.float64 is a float
        return {"__scalar__": value.item(), "dtype": value.dtype.str}
    if value is None or isinstance(value, (bool, float)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return value[:_MAX_TEXT]
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return {"__ndarray__": value.tolist(), "dtype": value.dtype.str, "shape": list(value.shape)}
    if isinstance(value, list):
        return [encode(item, depth + 1) for item in value]
    if isinstance(value, tuple):
        return {"__tuple__": [encode(item, depth + 1) for item in value]}
    if isinstance(value, dict):
        return {"__dict__": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    if isinstance(value, np.random.Generator):
        return {"__rng__": value.bit_generator.state}
    if isinstance(value, Formula):
        return {"__formula__": value.source, "data": encode(value.data, depth + 1)}
    return {"__opaque__": type(value).__name__, "repr": reprlib.repr(value)[:_MAX_TEXT]}


def decode(data: Any, depth: int = 0) -> Any:
    """The value that ``encode`` described; raises ValueError on anything it would not write."""
    if depth > _MAX_DEPTH + 2:
        raise ValueError("nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(item, depth + 1) for item in data]
    if not isinstance(data, dict) or len(data) > 3:
        raise ValueError(f"not a value this wire carries: {reprlib.repr(data)}")
    if "__ndarray__" in data:
        dtype = np.dtype(data["dtype"])
        if dtype.kind not in "biuf":
            raise ValueError(f"unexpected dtype {dtype}")
        return np.array(data["__ndarray__"], dtype=dtype).reshape(data["shape"])
    if "__scalar__" in data:
        dtype = np.dtype(data["dtype"])
        if dtype.kind not in "biuf":
            raise ValueError(f"unexpected dtype {dtype}")
        return dtype.type(data["__scalar__"])
    if "__tuple__" in data:
        return tuple(decode(item, depth + 1) for item in data["__tuple__"])
    if "__dict__" in data:
        return {decode(k, depth + 1): decode(v, depth + 1) for k, v in data["__dict__"]}
    if "__rng__" in data:
        generator = np.random.default_rng()
        generator.bit_generator.state = data["__rng__"]
        return generator
    if "__formula__" in data:
        return Formula(str(data["__formula__"]), **decode(data["data"], depth + 1))
    if "__opaque__" in data:
        return _opaque(str(data["__opaque__"]), str(data["repr"])[:_MAX_TEXT])
    raise ValueError(f"not a value this wire carries: {reprlib.repr(data)}")


def _raised(error: BaseException) -> dict[str, Any]:
    return {
        "type": type(error).__name__,
        "mro": [cls.__name__ for cls in type(error).__mro__],
        "message": str(error)[:_MAX_TEXT],
    }


def call_each(function: Callable[..., Any], calls: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    """Call ``function`` positionally on a copy of each argument list; encode what happened.

    Each outcome holds the returned value or the exception raised, and the
    list and array arguments as they were after the call (so the grader can
    tell whether the function changed its caller's data). Warnings are
    silenced: a warning is not a wrong answer.
    """
    outcomes = []
    for arguments in calls:
        arguments = copy.deepcopy(list(arguments))
        outcome: dict[str, Any] = {}
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                outcome["value"] = encode(function(*arguments))
        except KeyboardInterrupt:
            raise
        except BaseException as error:
            outcome["raised"] = _raised(error)
        outcome["after"] = {
            str(i): encode(arg) for i, arg in enumerate(arguments) if isinstance(arg, (list, np.ndarray))
        }
        outcomes.append(outcome)
    return outcomes


def record(function: Callable[..., Any]) -> None:
    """Call ``function`` on the hidden inputs the grader wrote, and write its outputs for the grader.

    Raises
    ------
    RuntimeError
        Outside the course's grader (no hidden inputs were given): the hidden
        checks can only run there, so the cell must not pass anywhere else.
    """
    path = os.environ.get(CALLS_VARIABLE, "")
    if not path or not os.path.exists(path):
        raise RuntimeError(
            "hidden checks run only under the course's grader (autograder.execute.HardenedExecute, "
            "set in nbgrader_config.py); no hidden inputs were given, so this cell cannot pass here"
        )
    if not callable(function):
        raise TypeError(f"expected a function, got {type(function).__name__}")
    with open(path, encoding="utf-8") as handle:
        request = json.load(handle)
    calls = [decode(arguments) for arguments in request["calls"]]
    outcomes = call_each(function, calls)
    with open(request["outcomes"], "w", encoding="utf-8") as handle:
        json.dump(outcomes, handle)
