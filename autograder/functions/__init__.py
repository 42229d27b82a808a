"""Registry of graded functions: name -> what the grader knows about it, one module per assignment."""

from autograder.cases import GradedFunction
from autograder.functions import distributions, normal, numerical, regression

GRADED: dict[str, GradedFunction] = {
    spec.name: spec for module in (normal, distributions, numerical, regression) for spec in module.GRADED
}

__all__ = ["GRADED"]
