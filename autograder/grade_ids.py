"""The naming convention of grade ids: which graded function a test cell checks, and which part of its checks.

A graded function ``f`` has two autograded test cells: grade id ``f`` (its visible tests and the hidden
typical cases) and ``f_edge`` (hidden edge cases, bad parameters and properties). Every grade id is read
by :func:`parse` alone, so the gradebook, the hidden-check protocol and the tests agree on it; this module
knows the convention only, never which functions exist (that is :mod:`autograder.functions`).
"""

#: The parts of a graded function's hidden checks, in the order of its test cells.
PARTS = ("typical", "edge")
_SUFFIXES = {"typical": "", "edge": "_edge"}


def grade_id(function: str, part: str) -> str:
    """The grade id of the test cell that checks one part of ``function``: ``normal_mle``, ``normal_mle_edge``."""
    if part not in _SUFFIXES:
        raise ValueError(f"part must be one of {PARTS}, got part={part!r}")
    return function + _SUFFIXES[part]


def parse(grade_id: str) -> tuple[str, str]:
    """The function name and part a grade id stands for: ``"normal_mle_edge"`` -> ``("normal_mle", "edge")``.

    Any other grade id (a written answer such as ``bias_answer``) reads as itself and ``"typical"``;
    whether a function of that name is declared is for :func:`autograder.functions.find` to say.
    """
    edge = _SUFFIXES["edge"]
    if grade_id.endswith(edge) and len(grade_id) > len(edge):
        return grade_id[: -len(edge)], "edge"
    return grade_id, "typical"


def column_of(grade_id: str) -> str:
    """The gradebook column of a grade cell: the graded function it checks, or its own id for any other cell."""
    return parse(grade_id)[0]
