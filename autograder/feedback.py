"""The exporter of learners' HTML feedback: nbgrader's, with its compiled templates kept between learners.

nbgrader builds a new ``HTMLExporter`` for every learner, and with it a new
Jinja environment that parses and compiles the feedback templates again. A
bytecode cache (Jinja's own, in a private folder) makes every learner after
the first cost only the rendering. Set as ``c.GenerateFeedback.exporter_class``.
"""

import os
import tempfile
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from nbconvert.exporters import HTMLExporter


@cache
def _bytecode_cache() -> FileSystemBytecodeCache:
    folder = Path(tempfile.gettempdir()) / f"mle-course-templates-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


class FeedbackExporter(HTMLExporter):
    """``HTMLExporter`` whose Jinja environment reuses compiled templates."""

    def _create_environment(self) -> Environment:
        environment = super()._create_environment()
        environment.bytecode_cache = _bytecode_cache()
        return environment
