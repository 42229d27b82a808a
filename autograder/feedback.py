"""The exporter of learners' HTML feedback: nbgrader's, with learner content made inert and templates kept in memory.

Safe whatever notebook it is given (one autograded elsewhere, without
:class:`~autograder.sanitize.SanitizeNotebook`): after nbgrader's feedback
preprocessors it sanitises the notebook once more, renders markdown through
:func:`~autograder.sanitize.clean_html`, and the page carries a
Content-Security-Policy that lets no script run and no request leave it, so
even markup that slipped through could not act. Formulas are written as MathML
with the page (:mod:`autograder.formulas`), so it reads the same offline.

nbgrader builds a new exporter, and with it a new Jinja environment, for every
learner. Compiled templates are kept in this process's memory between them: a
cache on disk would be loaded with ``pickle`` and ``marshal``, so it may only
live where no one else can write, and memory is such a place. Set as
``c.GenerateFeedback.exporter_class``.
"""

import re
from collections.abc import Iterator
from typing import Any

from jinja2 import BytecodeCache, Environment, pass_context
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from nbconvert.exporters import HTMLExporter
from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from traitlets import Bool, Unicode

from autograder.formulas import FormulaBudget, render_formulas
from autograder.sanitize import clean_html, notebook_metadata, sanitize_notebook

#: No script runs at all (formulas are MathML, written with the page: autograder/formulas.py), and no request,
#: form or frame leaves the page, so it reads the same offline; the template's MathJax tag is never fetched.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


class MemoryBytecodeCache(BytecodeCache):
    """Jinja's compiled templates, by template and source checksum, in this process's memory only."""

    def __init__(self) -> None:
        self._codes: dict[str, tuple[str, Any]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self._codes.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._codes[bucket.key] = (bucket.checksum, bucket.code)

    def clear(self) -> None:
        self._codes.clear()


TEMPLATE_CACHE = MemoryBytecodeCache()


class FeedbackExporter(HTMLExporter):
    """``HTMLExporter`` for feedback: learner content sanitised, a strict CSP, compiled templates reused."""

    sanitize_html = Bool(
        True, help="Make learner HTML inert (autograder.sanitize); off, a learner's script runs in the page."
    ).tag(config=True)
    formulas_as_mathml = Bool(
        True, help="Write formulas as MathML when the page is written, so they render offline and with no script."
    ).tag(config=True)
    content_security_policy = Unicode(
        CONTENT_SECURITY_POLICY, help="The page's Content-Security-Policy (empty: none)."
    ).tag(config=True)

    def _create_environment(self) -> Environment:
        environment = super()._create_environment()
        environment.bytecode_cache = TEMPLATE_CACHE
        return environment

    def default_filters(self) -> Iterator[tuple[str, Any]]:
        yield from super().default_filters()
        if self.sanitize_html:
            yield ("clean_html", clean_html)

    #: Its ``markdown2html`` cleans what it renders, then writes formulas as MathML: the course's
    #: ``markdown2html`` filter (:class:`~autograder.sanitize.SafeMarkdown2HTML`) must not clean it again.
    cleans_markdown = True

    @pass_context
    def markdown2html(self, context: Context, source: str) -> str:
        """nbconvert's markdown rendering, cleaned: nbgrader's feedback template renders markdown uncleaned."""
        html = super().markdown2html(context, source)
        html = clean_html(html) if self.sanitize_html else html
        budget = getattr(self, "_formula_budget", None)  # set per page in from_notebook_node
        return render_formulas(html, budget) if self.formulas_as_mathml else html

    def _preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        nb, resources = super()._preprocess(nb, resources)
        if self.sanitize_html:
            sanitize_notebook(nb)  # last, after nbgrader's own preprocessors
        return nb, resources

    def from_notebook_node(
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        self._formula_budget = FormulaBudget()  # per page
        if self.sanitize_html:  # nbconvert picks the code lexer from the metadata before preprocessing
            nb = NotebookNode({**nb, "metadata": notebook_metadata(nb.get("metadata"))})
        html, resources = super().from_notebook_node(nb, resources, **kw)
        return with_content_security_policy(html, self.content_security_policy), resources


def with_content_security_policy(html: str, policy: str) -> str:
    """``html`` with ``policy`` as a ``<meta>`` first in its head, before any content it governs."""
    if not policy:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    head = re.search(r"<head(\s[^<>]*+)?>", html, re.IGNORECASE)  # [^<>]: each try stops at the next tag
    if head is None:
        return meta + html
    return f"{html[: head.end()]}\n{meta}{html[head.end() :]}"
