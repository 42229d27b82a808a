"""Registry of graded functions: name -> what the grader knows about it."""

from autograder.cases import GradedFunction
from autograder.functions import distributions, normal, numerical

GRADED: dict[str, GradedFunction] = {
    spec.name: spec for spec in (*normal.GRADED, *distributions.GRADED, *numerical.GRADED)
}

__all__ = ["GRADED"]
