"""The grading machinery of the MLE course, built on nbgrader.

Hidden test cells run ``mlelab.grading.record``; :mod:`autograder.execute`
(nbgrader's Execute step, hardened) judges what it records, outside the
learner's kernel. Instructors use the ``course`` command (:mod:`autograder.cli`).
"""

import sys

# jsonschema, which nbformat imports, checks the "iri" string format with rfc3987_syntax when it
# is installed (jupyter-events pulls it in); that module compiles a Lark grammar at import, 1.5 to
# 2.5 s in every grading process. No notebook schema uses the format, so the grader goes without.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
