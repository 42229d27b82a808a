"""Registry of graded functions, derived from their declarations (one module per assignment).

``GRADED`` maps a function's name to its declaration, ``ASSIGNMENTS`` an assignment to its functions in
notebook order, and :func:`find` says which function and part a hidden test cell's grade id checks.
"""

from autograder import grade_ids
from autograder.cases import GradedFunction
from autograder.functions import distributions, normal, numerical, regression

_MODULES = (normal, distributions, numerical, regression)

GRADED: dict[str, GradedFunction] = {function.name: function for module in _MODULES for function in module.GRADED}
ASSIGNMENTS: dict[str, tuple[GradedFunction, ...]] = {module.ASSIGNMENT: module.GRADED for module in _MODULES}


def find(assignment: str | None, grade_id: str) -> tuple[GradedFunction, str] | None:
    """The declared function and part ("typical" or "edge") that a hidden test cell's grade id checks.

    None when ``grade_id`` is not a hidden test of a function declared in ``assignment`` (any assignment
    when it is None): a written answer, a visible-only cell, or a function of another assignment.
    """
    name, part = grade_ids.parse(grade_id)
    function = GRADED.get(name)
    if function is None or (assignment is not None and function.assignment != assignment):
        return None
    return function, part


__all__ = ["ASSIGNMENTS", "GRADED", "find"]
