"""Learner content made inert before any of it becomes HTML in a page an instructor, a TA or a learner opens.

A learner controls every byte of a submitted notebook and every output their
kernel produces while graded; the formgrader and the feedback pages render
them as HTML in the instructor's session, where a script could change any
grade. nbconvert's own safeguards do not cover it: nbgrader's formgrade and
feedback templates render markdown without ``clean_html``, nbconvert's
markdown renderer allows ``javascript:`` links and passes mermaid blocks
through raw, and its ``clean_html`` escapes headings and images.

So learner content is made inert twice, with one policy (an allowlist of
tags, attributes, URL schemes and class names, :func:`attribute_allowed`):

* :class:`SanitizeNotebook`, at autograde time and again in every exporter:
  the notebook itself is rewritten so that stock nbconvert renders it inertly.
  Markdown (cells and ``text/markdown`` outputs) is kept verbatim when it
  renders to HTML made only of allowed markdown constructs, and otherwise
  shown as a literal code block; ``text/html`` outputs and raw cells are
  cleaned by bleach; every other output type that a browser could run
  (JavaScript, SVG, widget views, anything unknown) is dropped; notebook and
  cell metadata are cut down to what nbgrader and the templates need.
* :class:`SafeMarkdown2HTML` and :func:`clean_html`, Jinja filters for the
  formgrader's and the feedback exporter's templates: whatever reaches a page
  is cleaned once more, and its ``id`` attributes are prefixed so that they
  cannot clobber the grading form's own elements.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator, Mapping
from html.parser import HTMLParser
from typing import Any

import bleach
from bleach.css_sanitizer import CSSSanitizer
from bleach.html5lib_shim import Filter
from jinja2 import pass_context
from jinja2.runtime import Context
from nbconvert.exporters.exporter import ResourcesDict
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from pygments.token import STANDARD_TYPES
from traitlets import Bool
from traitlets.config import LoggingConfigurable

#: Tags that may appear in learner HTML: what markdown produces, and harmless text markup.
TAGS = frozenset(
    "a abbr b blockquote br code dd del div dl dt em h1 h2 h3 h4 h5 h6 hr i img input kbd li ol p pre q s samp "
    "small span strong sub sup table tbody td tfoot th thead tr u ul var".split()
)
#: Attributes per tag, besides ``class`` (any tag, allowlisted tokens only). Values are checked too.
ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    "input": frozenset({"type", "checked", "disabled"}),
    "ol": frozenset({"start"}),
    "td": frozenset({"style", "align", "colspan", "rowspan"}),
    "th": frozenset({"style", "align", "colspan", "rowspan"}),
    **{f"h{level}": frozenset({"id"}) for level in range(1, 7)},
}
#: Class names of nbconvert's markdown rendering: Pygments' tokens, code languages, anchors, task lists.
_PYGMENTS_CLASSES = frozenset(name for name in STANDARD_TYPES.values() if name)
_NAMED_CLASS = re.compile(r"highlight|hl-[\w+#.-]{1,40}|language-[\w+#.-]{1,40}|anchor-link|task-list-item(-checkbox)?")
_TEXT_ALIGN = re.compile(r"\s*text-align\s*:\s*(left|right|center)\s*;?\s*")
_NUMBER = re.compile(r"[0-9]{1,4}")
_IMAGE_DATA = re.compile(r"data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*", re.IGNORECASE)
_RELATIVE_IMAGE = re.compile(r"[\w][\w. -]*(/[\w][\w. -]*)*\.(png|jpe?g|gif)", re.IGNORECASE)
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
#: Safe names for nbgrader grade ids, tags, kernel and language names: printed by templates, often unescaped.
SAFE_NAME = re.compile(r"[A-Za-z0-9_.+\-]{1,200}")
_MIMETYPE = re.compile(r"[\w.+\-]{1,100}/[\w.+\-]{1,100}")
_SAFE_LABEL = re.compile(r"[\w .+\-()/]{0,200}")
#: Prefix of every ``id`` in learner HTML on a page (so "normal_mle" cannot capture the grading form's input).
ID_PREFIX = "learner-"
#: Element ids of nbgrader's formgrade and feedback pages that learner headings must not take.
PAGE_IDS = frozenset({"notebook", "notebook-container", "statusmessage", "toc", "top", "help"})
#: Output mimetypes kept as they are: the templates escape text and LaTeX, images are base64.
_TEXT_MIMETYPES = frozenset({"text/plain", "text/latex"})
_IMAGE_MIMETYPES = frozenset({"image/png", "image/jpeg"})
_ATTACHMENT_MIMETYPES = frozenset({"image/png", "image/jpeg", "image/gif"})
QUARANTINE_NOTE = "*The grader shows this text as it was written: it held HTML or a link that a browser could run.*"
REMOVED_NOTE = "[the grader removed output that a browser could run: {}]"


def _url(value: str) -> str:
    """A URL as a browser reads it: tabs and newlines in it, controls and spaces around it, dropped."""
    return re.sub(r"[\t\n\r]", "", value).strip(_C0_AND_SPACE)


def link_allowed(href: str) -> bool:
    """Links go to the web, to an e-mail address or within the page; never to script or to a file of the course."""
    url = _url(href)
    scheme = _SCHEME.match(url)
    if scheme:
        return scheme.group(1).lower() in {"http", "https", "mailto"}
    return url.startswith("#")


def image_allowed(src: str) -> bool:
    """Images are embedded rasters, or a raster file beside the notebook; never SVG, script or another page."""
    url = _url(src)
    if _IMAGE_DATA.fullmatch(url):
        return True
    return bool(_RELATIVE_IMAGE.fullmatch(url)) and ".." not in url and ":" not in url


def class_allowed(value: str) -> bool:
    """Every class name is one that nbconvert's markdown rendering uses (none of the grading page's own)."""
    return all(name in _PYGMENTS_CLASSES or _NAMED_CLASS.fullmatch(name) for name in value.split())


def attribute_allowed(tag: str, name: str, value: str) -> bool:
    """The policy for one attribute of learner HTML: allowed for this tag, and with a harmless value."""
    if name == "class":
        return class_allowed(value)
    if name not in ATTRIBUTES.get(tag, ()):
        return False
    if name == "href":
        return link_allowed(value)
    if name == "src":
        return image_allowed(value)
    if name == "style":
        return bool(_TEXT_ALIGN.fullmatch(value))
    if name in {"width", "height", "start", "colspan", "rowspan"}:
        return bool(_NUMBER.fullmatch(value.strip()))
    if name == "type":
        return value == "checkbox"
    if name == "id":
        return bool(re.fullmatch(r"[^\s<>\"'`]{1,200}", value))
    if name == "align":
        return value in {"left", "right", "center"}
    return name in {"title", "alt", "checked", "disabled"}


class _PrefixIds(Filter):
    """html5lib filter: prefix every ``id`` and every in-page link, so learner ids never equal the page's own."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for token in super().__iter__():
            if token["type"] in {"StartTag", "EmptyTag"}:
                attributes = token["data"]
                for key in ((None, "id"), (None, "href")):
                    value = attributes.get(key)
                    if value is None:
                        continue
                    if key[1] == "id" and not value.startswith(ID_PREFIX):
                        attributes[key] = ID_PREFIX + value
                    elif key[1] == "href" and value.startswith("#") and not value.startswith("#" + ID_PREFIX):
                        attributes[key] = f"#{ID_PREFIX}{value[1:]}"
            yield token


_CLEANER = bleach.Cleaner(
    tags=TAGS,
    attributes=lambda tag, name, value: attribute_allowed(tag, name, value),
    protocols={"http", "https", "mailto", "data"},
    strip=False,  # a disallowed tag shows as text: the grader sees what the learner tried
    strip_comments=True,
    css_sanitizer=CSSSanitizer(allowed_css_properties=["text-align"]),
    filters=[_PrefixIds],
)


def clean_html(html: Any) -> str:
    """Learner HTML with only allowed tags and attributes, ids prefixed; a Jinja filter (replaces nbconvert's).

    nbconvert's ``clean_html`` escapes paragraphs, headings and images; this
    one keeps them, and is as strict about scripts, handlers, URLs and CSS.
    """
    text = html.decode() if isinstance(html, bytes) else str(html)
    return _CLEANER.clean(text)


class _AuditingRenderer(IPythonRenderer):
    """nbconvert's markdown renderer, noting raw HTML: markdown that holds any is not rendered as markdown."""

    def __init__(self, attachments: Mapping[str, Any]) -> None:
        super().__init__(escape=False, attachments=dict(attachments))
        self.raw_html: list[str] = []

    def inline_html(self, html: str) -> str:
        self.raw_html.append(html)
        return super().inline_html(html)

    def block_html(self, html: str) -> str:
        self.raw_html.append(html)
        return super().block_html(html)


class _HTMLAudit(HTMLParser):
    """Every tag, attribute and bit of text of rendered markdown against the policy; ``problems`` says what not."""

    def __init__(self, reserved_ids: frozenset[str]) -> None:
        super().__init__(convert_charrefs=False)
        self.reserved_ids = reserved_ids
        self.problems: list[str] = []

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if not attribute_allowed(tag, name, value or ""):
                self.problems.append(f"<{tag} {name}={value!r}>")
            elif name == "id" and value in self.reserved_ids:
                self.problems.append(f"id {value!r} of the grading page")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:  # markdown escapes both in text: a raw one came through some other way
            self.problems.append("raw < or > in text")

    def handle_comment(self, data: str) -> None:
        self.problems.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("declaration")


def markdown_problems(
    source: str, attachments: Mapping[str, Any] | None = None, reserved_ids: frozenset[str] = PAGE_IDS
) -> list[str]:
    """Why ``source`` would not render as inert HTML through nbconvert's markdown (empty: it would).

    Rendered exactly as the formgrader and feedback templates render it, the
    markdown may produce only allowed tags and attributes, no raw HTML, and no
    ``id`` the grading page uses.
    """
    renderer = _AuditingRenderer(attachments or {})
    try:
        html = MarkdownWithMath(renderer=renderer).render(source)
    except Exception as error:  # e.g. a missing attachment: nbconvert would fail the whole page
        return [f"markdown could not be rendered ({type(error).__name__})"]
    audit = _HTMLAudit(reserved_ids)
    audit.feed(html)
    audit.close()
    if audit.rawdata:
        audit.problems.append("unfinished markup")
    return [f"raw HTML {html[:40]!r}" for html in renderer.raw_html] + audit.problems


def as_code_block(text: str) -> str:
    """``text`` as a markdown code block that shows it literally, fenced longer than any backtick run in it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{QUARANTINE_NOTE}\n\n{fence}\n{text}\n{fence}"


def sanitize_markdown(
    source: str, attachments: Mapping[str, Any] | None = None, reserved_ids: frozenset[str] = PAGE_IDS
) -> str:
    """``source`` if it renders inertly, else the same text as a literal code block (checked again)."""
    if not markdown_problems(source, attachments, reserved_ids):
        return source
    quarantined = as_code_block(source)
    if not markdown_problems(quarantined, {}, reserved_ids):
        return quarantined
    return QUARANTINE_NOTE  # not reached with nbconvert's renderer; never show what could not be made inert


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return "".join(value)
    return None


def _base64(value: str) -> bool:
    try:
        base64.b64decode(re.sub(r"\s", "", value), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _image_metadata(metadata: Any, kept: Mapping[str, str]) -> dict[str, dict[str, int]]:
    """Only the numeric width and height of kept images: everything else in output metadata is dropped."""
    result: dict[str, dict[str, int]] = {}
    if not isinstance(metadata, Mapping):
        return result
    for mimetype in _IMAGE_MIMETYPES & kept.keys():
        entry = metadata.get(mimetype)
        if isinstance(entry, Mapping):
            sizes = {k: int(v) for k, v in entry.items() if k in {"width", "height"} and type(v) in (int, float)}
            sizes = {k: v for k, v in sizes.items() if 0 < v < 10_000}
            if sizes:
                result[mimetype] = sizes
    return result


def sanitize_output_data(data: Mapping[str, Any], reserved_ids: frozenset[str] = PAGE_IDS) -> dict[str, str]:
    """The mimetypes of one output that are safe to render, made safe; a note where nothing was left."""
    kept: dict[str, str] = {}
    dropped: list[str] = []
    for mimetype, value in data.items():
        text = _text(value)
        if text is None:
            dropped.append(str(mimetype)[:60])
        elif mimetype in _TEXT_MIMETYPES:
            kept[mimetype] = text
        elif mimetype in _IMAGE_MIMETYPES and _base64(text):
            kept[mimetype] = text
        elif mimetype == "text/html":
            kept[mimetype] = clean_html(text)
        elif mimetype == "text/markdown":
            kept[mimetype] = sanitize_markdown(text, {}, reserved_ids)
        else:
            dropped.append(str(mimetype)[:60])
    if not kept:
        kept["text/plain"] = REMOVED_NOTE.format(", ".join(sorted(dropped)) or "no data")
    return kept


def _sanitize_outputs(outputs: list[NotebookNode], reserved_ids: frozenset[str]) -> None:
    for output in outputs:
        if output.get("output_type") in {"stream", "error"}:
            continue  # plain text: every template escapes it (ansi2html)
        if "data" in output:
            output["data"] = sanitize_output_data(output.get("data") or {}, reserved_ids)
            output["metadata"] = _image_metadata(output.get("metadata"), output["data"])


def _sanitize_attachments(attachments: Any) -> dict[str, dict[str, str]]:
    """Attachments that are raster images in base64, under plain names; SVG and everything else dropped."""
    if not isinstance(attachments, Mapping):
        return {}
    kept = {}
    for name, bundle in attachments.items():
        if not (isinstance(name, str) and SAFE_NAME.fullmatch(name) and isinstance(bundle, Mapping)):
            continue
        images = {m: _text(v) for m, v in bundle.items() if m in _ATTACHMENT_MIMETYPES}
        images = {m: v for m, v in images.items() if v is not None and _base64(v)}
        if images:
            kept[name] = images
    return kept


def _sanitize_cell_metadata(cell: NotebookNode) -> None:
    """Cell metadata cut down to nbgrader's (with a safe grade id), tags and Jupyter's display flags."""
    metadata = cell.get("metadata") or {}
    kept: dict[str, Any] = {}
    nbgrader = metadata.get("nbgrader")
    if isinstance(nbgrader, Mapping) and SAFE_NAME.fullmatch(str(nbgrader.get("grade_id", ""))):
        kept["nbgrader"] = nbgrader
    tags = metadata.get("tags")
    if isinstance(tags, list):
        kept["tags"] = [tag for tag in tags if isinstance(tag, str) and SAFE_NAME.fullmatch(tag)]
    for flag in ("editable", "deletable", "collapsed"):
        if isinstance(metadata.get(flag), bool):
            kept[flag] = metadata[flag]
    if metadata.get("scrolled") in (True, False, "auto"):
        kept["scrolled"] = metadata["scrolled"]
    jupyter = metadata.get("jupyter")
    if isinstance(jupyter, Mapping):
        kept["jupyter"] = {k: v for k, v in jupyter.items() if k in {"source_hidden", "outputs_hidden"} and v is True}
    raw_mimetype = metadata.get("raw_mimetype")
    if cell.get("cell_type") == "raw" and isinstance(raw_mimetype, str) and _MIMETYPE.fullmatch(raw_mimetype):
        kept["raw_mimetype"] = raw_mimetype
    cell["metadata"] = NotebookNode(kept)


def _sanitize_notebook_metadata(nb: NotebookNode) -> None:
    """Only the kernel's and language's names and versions: widget state, titles and the rest are dropped."""
    metadata = nb.get("metadata") or {}
    kept: dict[str, Any] = {}
    for key, required in (("kernelspec", {"name", "display_name"}), ("language_info", {"name"})):
        section = metadata.get(key)
        if isinstance(section, Mapping):
            safe = {k: v for k, v in section.items() if isinstance(v, str) and _SAFE_LABEL.fullmatch(v)}
            if required <= safe.keys():  # nbformat requires them: a section without them goes
                kept[key] = safe
    nb["metadata"] = NotebookNode(kept)


def reserved_ids(nb: NotebookNode) -> frozenset[str]:
    """Element ids that the grading page gives its own elements: from the notebook's grade ids, and fixed ones."""
    grade_ids = {str(c.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")) for c in nb.get("cells", [])}
    derived = {f"{g}{suffix}" for g in grade_ids - {""} for suffix in ("", "-comment", "_extra_credit")}
    return PAGE_IDS | derived


def sanitize_notebook(nb: NotebookNode) -> NotebookNode:
    """Rewrite ``nb`` in place so that no template renders any of it as live HTML or script; returns it."""
    for cell in nb.get("cells", []):
        _sanitize_cell_metadata(cell)
    _sanitize_notebook_metadata(nb)
    reserved = reserved_ids(nb)
    for cell in nb.get("cells", []):
        kind = cell.get("cell_type")
        attachments = _sanitize_attachments(cell.get("attachments")) if kind == "markdown" else {}
        if "attachments" in cell:
            if attachments:
                cell["attachments"] = attachments
            else:
                del cell["attachments"]
        source = _text(cell.get("source")) or ""
        if kind == "markdown":
            cell["source"] = sanitize_markdown(source, attachments, reserved)
        elif kind == "raw":
            cell["source"] = clean_html(source)
        elif kind == "code":
            if type(cell.get("execution_count")) is not int:
                cell["execution_count"] = None
            _sanitize_outputs(cell.get("outputs", []), reserved)
        else:
            cell["source"] = clean_html(source)
    return nb


class SanitizeNotebook(Preprocessor):
    """Make the notebook inert HTML-wise (see :func:`sanitize_notebook`): for autograde and for every exporter.

    Last in ``c.Autograde.autograde_preprocessors``, after nbgrader has saved
    the grades, so that the checksums of written answers are those of what
    the learner wrote; in ``c.HTMLExporter.preprocessors`` for the formgrader.
    """

    enabled = Bool(True, help="Sanitise (switching it off lets learner HTML and script run).").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        return sanitize_notebook(nb), resources


class SafeMarkdown2HTML(LoggingConfigurable):
    """Jinja filter ``markdown2html``: the exporter's own rendering, then :func:`clean_html`.

    Set in ``c.HTMLExporter.filters``, it covers the formgrader's exporter,
    whose nbgrader template renders markdown without any cleaning.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        pass_context(self)  # Jinja hands the template context (the cell and its attachments) to __call__

    def __call__(self, context: Context, source: str) -> str:
        render: Callable[..., str] | None = getattr(self.parent, "markdown2html", None)
        html = render(context, source) if render is not None else MarkdownWithMath(IPythonRenderer()).render(source)
        return clean_html(html)
