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

nbconvert's ``HTMLExporter`` parses the whole finished page with BeautifulSoup
only to give every ``<img>`` an ``alt`` and to make inputs and outputs focusable,
then writes it out again: half of a feedback page's cost. With learner content
sanitised, every tag on the page is the templates' or the sanitiser's own
well-formed markup (learner text is escaped), so :func:`with_accessible_markup`
does the same in one scan of the start tags. A page it does not read as such (a
``<`` that is not a well-formed tag, comment or doctype) is left as rendered, and
a warning says so. Unsanitised, nbconvert's own pass runs.
"""

import re
from collections.abc import Callable, Iterator
from html import unescape
from typing import Any

from jinja2 import BytecodeCache, Environment, pass_context
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.exporters.exporter import ResourcesDict
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbformat import NotebookNode
from traitlets import Bool, Unicode

from autograder.formulas import MATHML_ELEMENTS, FormulaBudget, render_formulas
from autograder.sanitize import LEARNER_CONTENT_STYLE, clean_html, notebook_metadata, sanitize_notebook

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


class CleanedMarkup(str):
    """HTML that :meth:`FeedbackExporter.markdown2html` cleaned, then wrote formulas into as allowlisted MathML.

    Only that method makes one (a notebook's text is JSON's plain ``str``), so the page's ``clean_html``
    filter can tell the exporter's own finished markup from learner HTML still to be cleaned.
    """

    __slots__ = ()


def _cleaning_once(jinja_filter: Callable[[Any], str], keep: bool = False) -> Callable[[Any], str]:
    """``jinja_filter``, except on :class:`CleanedMarkup`: returned as it is, or (``keep``) filtered and kept marked.

    ``keep`` is for filters that cannot make cleaned HTML unsafe: ``strip_files_prefix`` takes ``files/`` off
    ``src`` and ``href`` values, and the cleaner allows no link or image that would be a script without it.
    """

    def filtered(text: Any) -> str:
        if not isinstance(text, CleanedMarkup):
            return jinja_filter(text)
        return CleanedMarkup(jinja_filter(text)) if keep else text

    return filtered


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
    learner_content_style = Unicode(
        LEARNER_CONTENT_STYLE, help="CSS of the page's own that keeps learner content inside its cells (empty: none)."
    ).tag(config=True)

    def _create_environment(self) -> Environment:
        environment = super()._create_environment()
        environment.bytecode_cache = TEMPLATE_CACHE
        # The templates clean markdown outputs (and cells, in nbconvert's own templates) after markdown2html:
        # what this exporter's markdown2html cleaned and wrote formulas into is not cleaned again, or every
        # <math> would show as escaped source. Whatever clean_html filter is configured, the rest still goes to it.
        environment.filters["clean_html"] = _cleaning_once(environment.filters["clean_html"])
        environment.filters["strip_files_prefix"] = _cleaning_once(environment.filters["strip_files_prefix"], keep=True)
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
        html = render_formulas(html, budget) if self.formulas_as_mathml else html
        return CleanedMarkup(html) if self.sanitize_html else html

    def _preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        nb, resources = super()._preprocess(nb, resources)
        if self.sanitize_html:
            sanitize_notebook(nb)  # last, after nbgrader's own preprocessors
        return nb, resources

    def from_notebook_node(
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        self._formula_budget = FormulaBudget()  # per page
        if not self.sanitize_html:
            html, resources = super().from_notebook_node(nb, resources, **kw)  # nbconvert's whole-page pass
            return self._with_page_policies(html), resources
        # nbconvert picks the code lexer from the metadata before preprocessing
        nb = NotebookNode({**nb, "metadata": notebook_metadata(nb.get("metadata"))})
        html, resources = self._render(nb, resources, **kw)
        scanned = with_accessible_markup(html)
        if scanned is None:
            self.log.warning(UNREAD_PAGE)
        elif scanned[1]:
            self.log.warning("Alternative text is missing on %s image(s).", scanned[1])
        html = html if scanned is None else scanned[0]
        return self._with_page_policies(html), resources

    def _with_page_policies(self, html: str) -> str:
        """``html`` with the page's Content-Security-Policy and its learner-content style."""
        return with_style(with_content_security_policy(html, self.content_security_policy), self.learner_content_style)

    def _render(self, nb: NotebookNode, resources: dict[str, Any] | None, **kw: Any) -> tuple[str, dict[str, Any]]:
        """``HTMLExporter.from_notebook_node`` (nbconvert 7) up to its BeautifulSoup pass: the same filters, page."""
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources)
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


#: Logged for a sanitised page that holds markup the templates and the cleaner do not write: left as it is
UNREAD_PAGE = (
    "The feedback page holds markup its templates and the sanitiser do not write; it is left as rendered, "
    "without alternative text for its images. Please report it: some learner content reached it unescaped."
)
#: What nbconvert gives an image without alternative text (``HTMLExporter.from_notebook_node``)
NO_DESCRIPTION = "No description has been provided for this image"
#: Classes of nbconvert's lab template made focusable, inside an element of class ``jp-Notebook``
_FOCUSABLE = frozenset({"jp-Cell-inputWrapper", "jp-OutputArea-output"})
#: HTML's white space (not Python's ``\s``: no ``\v``), and the strict forms of a name and of one attribute
_SPACE = r"[\t\n\f\r ]"
_NAME = r"[A-Za-z][A-Za-z0-9-]*+"
_ONE_ATTRIBUTE = (
    rf"{_SPACE}++([A-Za-z_:][\w:.-]*+)(?:{_SPACE}*+={_SPACE}*+(\"[^\"]*+\"|'[^']*+'|[^\t\n\f\r \"'=<>`]++))?+"
)
#: A start tag as the templates and the cleaner write it: its name, its attributes, whether it closes itself
_START_TAG = re.compile(rf"<({_NAME})((?:{_ONE_ATTRIBUTE})*+){_SPACE}*+(/?+)>")
_ATTRIBUTE = re.compile(_ONE_ATTRIBUTE)
_END_TAG = re.compile(rf"</({_NAME}){_SPACE}*+>")
_DOCTYPE = re.compile(rf"<!doctype{_SPACE}++html{_SPACE}*+>", re.IGNORECASE)
#: Elements whose content is text to the browser, not tags: skipped to their end tag
_RAW_TEXT = frozenset({"script", "style", "textarea", "title"})
#: Elements that change how the browser reads what follows (raw text the scan does not skip, foreign content
#: other than the formulas' MathML): never in a page the templates and the cleaner write
_NOT_WRITTEN = frozenset({"iframe", "noembed", "noframes", "noscript", "plaintext", "svg", "xmp"})


def with_accessible_markup(html: str) -> tuple[str, int] | None:
    """What nbconvert's ``HTMLExporter`` adds with BeautifulSoup, in one scan: ``html`` and the images given an alt.

    Every ``<img>`` without ``alt`` gets nbconvert's :data:`NO_DESCRIPTION`, and
    in a page with an element of class ``jp-Notebook`` (nbconvert's lab template:
    its ``<body>``), every ``<div>`` of class ``jp-Cell-inputWrapper`` or
    ``jp-OutputArea-output`` after it gets ``tabindex="0"``. Comments and the
    content of ``<script>``, ``<style>``, ``<textarea>`` and ``<title>`` are left
    as they are.

    Only for a page as the templates and :func:`~autograder.sanitize.clean_html`
    write it, where every ``<`` opens a well-formed tag, comment or doctype that
    the browser splits exactly as this scan does (learner text is escaped, learner
    markup is the cleaner's, whose classes are allowlisted: none of these). At the
    first ``<`` it does not read so, it returns None and rewrites nothing (nor
    should nbconvert's BeautifulSoup pass: ``html.parser`` splits such markup
    otherwise than a browser too, and keeps the last of two ``href`` where the
    browser keeps the first). Each ``<`` is read once, and the scan never goes
    back: time linear in the page.
    """
    pieces: list[str] = []
    done = 0  # html[:done] is in pieces
    missing_alt = 0
    in_notebook = False
    math_depth = 0  # inside a formula's <math>: MathML elements only
    position = 0
    while (start := html.find("<", position)) >= 0:
        if html.startswith("<!--", start):
            end = html.find("-->", start + 4)
            if end < 0 or html.startswith((">", "->"), start + 4) or "--!>" in html[start + 4 : end + 3]:
                return None  # unclosed, or closed where the browser closes it and the scan would not
            position = end + 3
            continue
        if (closing := _END_TAG.match(html, start)) is not None:
            if closing.group(1).lower() == "math":
                math_depth = max(math_depth - 1, 0)
            position = closing.end()
            continue
        if (doctype := _DOCTYPE.match(html, start)) is not None:
            position = doctype.end()
            continue
        tag = _START_TAG.match(html, start)
        if tag is None:
            return None  # a '<' the browser may read otherwise: text, a bogus comment, a tag split elsewhere
        position = tag.end()
        name = tag.group(1).lower()
        attributes = {m.group(1).lower(): m.group(2) or "" for m in _ATTRIBUTE.finditer(tag.group(2))}
        if name in _NOT_WRITTEN or len(attributes) < len(_ATTRIBUTE.findall(tag.group(2))):
            return None  # an element read as raw text or foreign content, or an attribute twice
        if math_depth and name not in MATHML_ELEMENTS:
            return None  # HTML inside MathML: the browser leaves or reenters foreign content
        if name == "math" and not tag.group(3):
            math_depth += 1
        if name in _RAW_TEXT:
            close = re.compile(rf"</{name}{_SPACE}*+>", re.IGNORECASE).search(html, position)
            content = html[position : close.start()] if close else ""
            if close is None or re.search(rf"</{name}[\t\n\f\r />]", content, re.IGNORECASE) or "<!--" in content:
                return None  # no plain end tag, or one the browser reads earlier (script's escaped text too)
            position = close.end()
            continue
        classes = set(unescape(attributes.get("class", "").strip("\"'")).split())
        in_notebook = in_notebook or "jp-Notebook" in classes
        if name == "img" and "alt" not in attributes:
            missing_alt += 1
            rewritten = f'{html[start : tag.end(2)]} alt="{NO_DESCRIPTION}"'
        elif name == "div" and in_notebook and classes & _FOCUSABLE:
            rewritten = f'{html[start : tag.start(2)]}{_drop_attribute(tag.group(2), "tabindex")} tabindex="0"'
        else:
            continue
        pieces += [html[done:start], rewritten]
        done = tag.end(2)
    pieces.append(html[done:])
    return "".join(pieces), missing_alt


def _drop_attribute(attributes: str, name: str) -> str:
    """The attribute text of a start tag without the attribute ``name``."""
    return "".join(m.group(0) for m in _ATTRIBUTE.finditer(attributes) if m.group(1).lower() != name)


def with_content_security_policy(html: str, policy: str) -> str:
    """``html`` with ``policy`` as a ``<meta>`` first in its head, before any content it governs."""
    if not policy:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    head = re.search(r"<head(\s[^<>]*+)?>", html, re.IGNORECASE)  # [^<>]: each try stops at the next tag
    if head is None:
        return meta + html
    return f"{html[: head.end()]}\n{meta}{html[head.end() :]}"


def with_style(html: str, css: str) -> str:
    """``html`` with ``css`` in a ``<style>`` last in its head, after the templates' own style sheets."""
    if not css:
        return html
    style = f"<style>{css}</style>\n"
    head_end = re.search(r"</head[\t\n\f\r ]*>", html, re.IGNORECASE)
    if head_end is None:
        return style + html
    return f"{html[: head_end.start()]}{style}{html[head_end.start() :]}"
