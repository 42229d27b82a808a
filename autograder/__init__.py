"""The grading machinery of the MLE course, built on nbgrader.

Hidden test cells call :func:`autograder.hidden.check`; instructors use the
``course`` command (:mod:`autograder.cli`).
"""
