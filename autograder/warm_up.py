"""A grading worker's first-use costs, paid once per ``course grade`` in the process its workers fork from.

``course grade`` forks every worker from one forkserver (:mod:`autograder.worker_server`),
which imports this module before the first fork. Otherwise each worker would
pay, on its first submission, what nbgrader, nbconvert and their libraries do
lazily: modules imported on first use (IPython, through the kernel spec), the
matplotlib font cache each sandbox receives (a subprocess), the feedback
templates read and compiled, Pygments' and mistune's regular expressions,
latex2mathml, SQLAlchemy's mappers. Warmed here, it is inherited by every fork.

Importing this module warms the process (that is how the forkserver's preload
runs it); :func:`warm_up` does it again. Warming is only a saving:
whatever fails here is logged and grading pays the cost itself, as before.
"""

from __future__ import annotations

import logging
import tempfile
import time
import warnings
from importlib import import_module
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from sqlalchemy.exc import SAWarning
from traitlets.config import Config

#: Modules the first submission imports lazily (found by comparing ``sys.modules`` around a worker's first job)
LAZY_MODULES = (
    "ipykernel.kernelspec",  # jupyter_client's kernel spec lookup: IPython and ipykernel, ~0.6 s
    "autograder.preprocessors",
    "autograder.late_penalty",
    "jinja2.ext",
    "mistune.plugins.def_list",
    "mistune.plugins.task_lists",
    "mistune.plugins.url",
    "pygments.styles.default",
)

log = logging.getLogger(__name__)


def warm_up() -> float:
    """Pay this process's first-use costs now; the seconds it took. Never raises."""
    started = time.perf_counter()
    for step in (_import_lazy_modules, _build_font_cache, _render_feedback, _use_a_gradebook):
        try:
            step()
        except Exception as error:  # a saving only: the worker pays the cost itself
            log.warning("warming the grading workers: %s failed (%s: %s)", step.__name__, type(error).__name__, error)
    return time.perf_counter() - started


def _import_lazy_modules() -> None:
    for name in LAZY_MODULES:
        import_module(name)


def _build_font_cache() -> None:
    """The matplotlib font cache each sandbox's home receives (built by a subprocess, kept in memory)."""
    from autograder.sandbox import matplotlib_cache

    matplotlib_cache()


def _render_feedback() -> None:
    """A small feedback page, rendered as nbgrader's ``generate_feedback`` renders one with this course's exporter.

    It compiles the feedback templates into :data:`autograder.feedback.TEMPLATE_CACHE` (kept across exporters)
    and the regular expressions of Pygments' Python lexer, mistune, the sanitiser and the formulas.
    """
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory

    from autograder.feedback import FeedbackExporter

    config = Config()
    config.GenerateFeedback.exporter_class = FeedbackExporter
    # GenerateFeedback adds its template settings (the feedback template, nbgrader's template folders)
    converter = GenerateFeedback(coursedir=CourseDirectory(config=config), config=config)
    exporter = FeedbackExporter(parent=converter, config=converter.config)
    resources = {"nbgrader": {"notebook": "warm_up", "score": 1, "max_score": 3, "late_penalty": 0}}
    exporter.from_notebook_node(_sample_notebook(), resources=resources)


def _sample_notebook() -> NotebookNode:
    """A notebook with what feedback pages hold: markdown and formulas, code, a grade cell, outputs, an error."""
    v4 = nbformat.v4
    grade = {"grade": True, "solution": False, "locked": True, "grade_id": "warm_up", "points": 2, "score": 1}
    notebook = v4.new_notebook(
        cells=[
            v4.new_markdown_cell(
                "# Warming up\n\nThe **sample mean** $\\hat\\mu = \\frac{1}{n}\\sum_{i=1}^n x_i$ maximises\n\n"
                "$$\\ell(\\mu) = -\\frac{n}{2}\\log(2\\pi\\sigma^2) - \\sum_i \\frac{(x_i - \\mu)^2}{2\\sigma^2}$$\n\n"
                "- a list item with `code`\n- [a link](https://example.org)\n\n```python\nx = [1, 2]\n```\n"
            ),
            v4.new_code_cell(
                "import numpy as np\n\n\ndef mean(x: list[float]) -> float:\n    return float(np.mean(x))  # comment\n",
                outputs=[
                    v4.new_output("stream", name="stdout", text="1.5\n"),
                    v4.new_output("execute_result", {"text/plain": "1.5"}, execution_count=1),
                    v4.new_output("display_data", {"text/html": "<table><tr><td>1</td></tr></table>"}),
                ],
            ),
            v4.new_code_cell(
                "assert mean([1, 2]) == 2",
                metadata={"nbgrader": grade},
                outputs=[
                    v4.new_output(
                        "error",
                        ename="AssertionError",
                        evalue="expected 2",
                        traceback=["\x1b[0;31mAssertionError\x1b[0m: expected 2"],
                    )
                ],
            ),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python", "pygments_lexer": "ipython3"},
        },
    )
    return notebook


def _use_a_gradebook() -> None:
    """What a worker does with its copy of the gradebook, once, on a throwaway one in a private folder.

    SQLAlchemy configures nbgrader's mappers and adapts its column types to SQLite on first use.
    The gradebook is made with nbgrader's tables and an alembic version already in it, as a course's
    is: nbgrader would otherwise ask ``alembic`` for its version in a subprocess.
    """
    from nbgrader.api import Base, Gradebook
    from sqlalchemy import create_engine, text

    with tempfile.TemporaryDirectory(prefix="course-grade-warm-up-") as folder:
        url = f"sqlite:///{Path(folder) / 'gradebook.db'}"
        engine = create_engine(url)
        try:
            Base.metadata.create_all(engine)
            with engine.begin() as connection:
                connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
                connection.execute(text("INSERT INTO alembic_version (version_num) VALUES ('warm-up')"))
        finally:
            engine.dispose()
        with warnings.catch_warnings(category=SAWarning, action="ignore"), Gradebook(url) as gradebook:
            gradebook.add_assignment("warm_up")
            gradebook.add_notebook("warm_up", "warm_up")
            gradebook.add_grade_cell("warm_up", "warm_up", "warm_up", max_score=2, cell_type="code")
            gradebook.update_or_create_student("warm_up")
            submission = gradebook.update_or_create_submission("warm_up", "warm_up")
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    grade.auto_score = 1
            gradebook.db.commit()
            gradebook.find_submission("warm_up", "warm_up").score  # noqa: B018 - computed on read


warm_up()
