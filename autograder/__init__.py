"""The grading machinery of the MLE course, built on nbgrader.

Hidden test cells run ``mlelab.grading.record``; :mod:`autograder.execute`
(nbgrader's Execute step, hardened) judges what it records, outside the
learner's kernel. Instructors use the ``course`` command (:mod:`autograder.cli`).
"""
