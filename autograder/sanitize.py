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
  cleaned by :func:`clean_html`; every other output type that a browser could
  run (JavaScript, SVG, widget views, anything unknown) is dropped; notebook
  and cell metadata are cut down to what nbgrader and the templates need.
* :class:`SafeMarkdown2HTML` and :func:`clean_html`, Jinja filters for the
  formgrader's and the feedback exporter's templates: whatever reaches a page
  is cleaned once more, and its ``id`` attributes are prefixed so that they
  cannot clobber the grading form's own elements.

All of it runs in the grader's own process, with no time limit, so every step
takes time linear in what it is given, and every size is capped before the
work starts. :func:`clean_html` is this module's own one-pass tokenizer and
serializer (bleach's html5lib and ``html.parser`` take quadratic time on
nested or unclosed markup). Markdown longer than :data:`MAX_MARKDOWN`, HTML
longer than :data:`MAX_HTML`, and whatever passes a notebook's
:data:`NOTEBOOK_BUDGET` are shown as literal text. Markdown whose rendering
would be super-linear in mistune or in the templates' filters (unclosed
LaTeX delimiters, link references used again and again, Pygments lexers on
long lines) is shown as a literal code block; code cells are highlighted
only where Pygments' Python lexer is linear; ANSI colours are dropped where
``ansi2html`` would be quadratic in them.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from nbconvert.exporters.exporter import ResourcesDict
from nbconvert.filters.ansi import strip_ansi
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from pygments.lexers import get_lexer_by_name
from pygments.lexers.python import PythonLexer
from pygments.lexers.special import TextLexer
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound
from traitlets import Bool, Unicode
from traitlets.config import LoggingConfigurable

from autograder.outputs import SUMMARY_KEY, summary_is_plain

#: Tags that may appear in learner HTML: what markdown produces, and harmless text markup.
TAGS = frozenset(
    "a abbr b blockquote br code dd del div dl dt em h1 h2 h3 h4 h5 h6 hr i img input kbd li ol p pre q s samp "
    "small span strong sub sup table tbody td tfoot th thead tr u ul var".split()
)
#: Allowed tags that have no end tag.
VOID_TAGS = frozenset({"br", "hr", "img", "input"})
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
_TEXT_ALIGN = re.compile(r"\s*+text-align\s*+:\s*+(left|right|center)\s*+;?+\s*+")
_NUMBER = re.compile(r"[0-9]{1,4}")
_IMAGE_DATA = re.compile(r"data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*", re.IGNORECASE)
_RELATIVE_IMAGE = re.compile(r"(?:\w[\w. -]*+/)*+\w[\w. -]*\.(png|jpe?g|gif)", re.IGNORECASE)
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
#: Safe names for nbgrader grade ids, tags, kernel and language names: printed by templates, often unescaped.
SAFE_NAME = re.compile(r"[A-Za-z0-9_.+\-]{1,200}")
_MIMETYPE = re.compile(r"[\w.+\-]{1,100}/[\w.+\-]{1,100}")
_SAFE_LABEL = re.compile(r"[\w .+\-()/]{0,200}")
#: Prefix of every ``id`` in learner HTML on a page (so "normal_mle" cannot capture the grading form's input).
ID_PREFIX = "learner-"
#: Every element that holds learner content (markdown, outputs, code; nbconvert's classic and lab templates) paints
#: only inside its own box: nothing in it can be drawn over the grader's score, heading or messages, whatever
#: channel would place it there. The page's own style, last in its head; learner markup has no ``<style>``
#: (:func:`clean_html`) and no ``style`` attribute but a cell's ``text-align``.
LEARNER_CONTENT_STYLE = (
    ".rendered_html, .text_cell_render, .output_subarea, .input_area, "
    ".jp-RenderedHTMLCommon, .jp-OutputArea-output, .jp-InputArea-editor "
    "{ contain: paint !important; overflow-x: auto !important; overflow-y: hidden !important; } "
    # MathJax's own boxes at the top of the page, outside every cell: a formula's tooltip (\\mathtip, \\texttip)
    # and zoom would show learner content over the grader's; a formula's menu stays
    "#MathJax_CHTML_Tooltip, #MathJax_Tooltip, #MathJax_Zoom, #MathJax_ZoomOverlay { display: none !important; }"
)

#: Element ids of nbgrader's formgrade and feedback pages that learner headings must not take.
PAGE_IDS = frozenset({"notebook", "notebook-container", "statusmessage", "toc", "top", "help"})
#: Output mimetypes kept as they are: the templates escape text and LaTeX, images are base64.
_TEXT_MIMETYPES = frozenset({"text/plain", "text/latex"})
_IMAGE_MIMETYPES = frozenset({"image/png", "image/jpeg"})
_ATTACHMENT_MIMETYPES = frozenset({"image/png", "image/jpeg", "image/gif"})
QUARANTINE_NOTE = (
    "*The grader shows this text as it was written: it held HTML or a link that a browser could run, "
    "or more markup than the grader renders.*"
)
TRUNCATED_NOTE = (
    "*The grader shows the first {shown:,} of its {total:,} characters as they were written: "
    "the grader renders no longer text.*"
)
OVER_BUDGET_NOTE = (
    "*The grader shows this text as it was written: the notebook holds more markdown, HTML and code "
    "than the grader renders.*"
)
REMOVED_NOTE = "[the grader removed output that a browser could run: {}]"
TOO_LARGE_NOTE = "[the grader did not render this output: {} longer than it renders]"

# ---------------------------------------------------------------- bounds on the grader's own work

#: Longest markdown cell or ``text/markdown`` output rendered as markdown (characters); longer: literal, cut.
MAX_MARKDOWN = 64 * 1024
#: Longest ``text/html`` output or raw cell cleaned as HTML (characters); longer: escaped text, cut.
MAX_HTML = 256 * 1024
#: What one notebook may have rendered, in characters weighted by what each costs the grader (sanitising,
#: rendering, and nbconvert's pass over the page with html.parser, slow on dense tags): a character of
#: markdown 4, of highlighted code 3, of HTML 1; each cell or output 256 more, each fenced block in a named
#: language 4096 (Pygments finds its lexer). Past it, markdown shows as a literal code block, HTML as its
#: plain text, code unhighlighted: literal text costs little.
NOTEBOOK_BUDGET = 1024 * 1024
_MARKDOWN_WEIGHT = 4
_CODE_WEIGHT = 3
_ITEM_COST = 256
_HIGHLIGHT_COST = 4096
#: Elements nested in learner HTML (deeper start tags show as text).
MAX_DEPTH = 64
#: Math delimiters per markdown text: nbconvert's math regexes scan to the end of the text from each
#: unclosed one, and mistune copies the rest of the line at each display-math block within it.
_MAX_MATH = 256
_MATH_DELIMITER = re.compile(r"\$\$|\\\\[\[(]|\\begin\{")
#: Fenced blocks in a named language per markdown text, and tags in one heading (nbconvert's heading anchors
#: concatenate their text once per tag).
_MAX_HIGHLIGHTED_BLOCKS = 8
_MAX_HEADING_TAGS = 64
#: Code highlighted by Pygments' Python lexer, whose regexes rescan a line (or a run of blank space) from
#: each of its positions: at most this long, with lines and runs of blank space at most this long.
MAX_CODE_HIGHLIGHT = 64 * 1024
MAX_CODE_LINE = 400
#: ANSI escapes times characters above which colours are dropped: ``ansi2html`` copies the rest of the
#: text at each escape.
_ANSI_WORK = 2**26
#: ``[`` or ``]`` per line of cleaned HTML above which they are written as character references:
#: ``strip_files_prefix``, run by nbgrader's templates on rendered markdown, is cubic in them.
_BRACKETS_PER_LINE = 16
#: Largest image attachment (base64 characters).
MAX_ATTACHMENT = 4 * 1024 * 1024


@dataclass
class _Budget:
    """What one notebook may still have rendered, in characters (see :data:`NOTEBOOK_BUDGET`)."""

    left: int = NOTEBOOK_BUDGET

    def take(self, size: int) -> bool:
        """Whether ``size`` more characters fit; if they do, they are taken."""
        if size > self.left:
            return False
        self.left -= size
        return True


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


# ---------------------------------------------------------------- HTML, in one pass

#: Where markup may start; a tag (its attributes, quoted values whole, up to ``>``); one attribute.
_MARKUP = re.compile(r"<[A-Za-z/!?]")
_TAG = re.compile(r"<(/?+)([A-Za-z][^\s/>]*+)((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)(>?+)")
_ATTRIBUTE = re.compile(r"([^\s/>=][^\s/>=]*+)(?:\s*+=\s*+(\"[^\"]*+\"|'[^']*+'|[^\s>]++))?+")
#: Attributes as markdown renderers and Pygments write them: lowercase names, double-quoted values.
_STRICT_ATTRIBUTES = re.compile(r"(?:\s++[a-z][a-z-]*+(?:=\"[^\"]*+\")?+)*+\s*+/?+")
#: Elements whose content a browser reads as text up to their end tag.
_RAW_TEXT = frozenset("iframe noembed noframes noscript script style textarea title xmp".split())
_BOGUS = {"!": "declaration", "?": "processing instruction", "/": "declaration"}
_BLOCKS = frozenset("blockquote div dl h1 h2 h3 h4 h5 h6 hr ol p pre table ul".split())
#: Start tags that close an open element at the top first, as browsers do (so unclosed lists nest no deeper).
_CLOSES: Mapping[str, frozenset[str]] = {
    **{name: frozenset({"p"}) for name in _BLOCKS},
    "li": frozenset({"li", "p"}),
    "dt": frozenset({"dt", "dd", "p"}),
    "dd": frozenset({"dt", "dd", "p"}),
    "tr": frozenset({"tr", "td", "th"}),
    "td": frozenset({"td", "th"}),
    "th": frozenset({"td", "th"}),
}


@cache
def _raw_text_end(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}[\s/>]", re.IGNORECASE)


def _markup(text: str) -> Iterator[tuple[str, Any]]:
    """``text`` split as a browser splits HTML, in one pass that never scans a character twice.

    Yields ``("text", raw text)``, ``("tag", match of _TAG)``, ``("comment" | "declaration" |
    "processing instruction", raw)``, and last ``("unfinished markup", rest)`` where the input ends
    inside markup (a browser drops it).
    """
    position, end = 0, len(text)
    while position < end:
        found = _MARKUP.search(text, position)
        if found is None:
            yield "text", text[position:]
            return
        start = found.start()
        if start > position:
            yield "text", text[position:start]
        tag = _TAG.match(text, start)
        if tag is not None:
            if not tag[4]:
                yield "unfinished markup", text[start:]
                return
            yield "tag", tag
            position = tag.end()
            if not tag[1] and tag[2].lower() in _RAW_TEXT:
                close = _raw_text_end(tag[2].lower()).search(text, position)
                stop = close.start() if close else end
                if stop > position:
                    yield "text", text[position:stop]
                position = stop
            continue
        kind, closer = ("comment", "-->") if text.startswith("<!--", start) else (_BOGUS[text[start + 1]], ">")
        stop = text.find(closer, start + 2)
        if stop < 0:
            yield "unfinished markup", text[start:]
            return
        position = stop + len(closer)
        yield kind, text[start:position]


def _attributes(written: str) -> Iterator[tuple[str, str]]:
    """The attributes of a tag as written (``name="value"`` or loosely): names lowercased, values unescaped."""
    for found in _ATTRIBUTE.finditer(written):
        value = found[2] or ""
        if value[:1] in {'"', "'"}:
            value = value[1:-1]
        yield found[1].lower(), html.unescape(value)


def _escape_text(text: str) -> str:
    """Text as written, with its angle brackets escaped: character references stay, and only make text."""
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("\0", "\ufffd")


def _prefixed(name: str, value: str) -> str:
    """An ``id``, or an in-page link, moved under :data:`ID_PREFIX`."""
    if name == "id" and not value.startswith(ID_PREFIX):
        return ID_PREFIX + value
    if name == "href" and value.startswith("#") and not value.startswith("#" + ID_PREFIX):
        return f"#{ID_PREFIX}{value[1:]}"
    return value


def _start_tag(name: str, written: str) -> str:
    """A start tag with only its allowed attributes (the first of each name), ids prefixed, values quoted."""
    kept: dict[str, str] = {}
    for attribute, value in _attributes(written):
        if attribute not in kept:
            kept[attribute] = value
    allowed = {a: _prefixed(a, v) for a, v in kept.items() if attribute_allowed(name, a, v)}
    return f"<{name}" + "".join(f' {a}="{html.escape(v)}"' for a, v in allowed.items()) + ">"


def _spread_brackets(text: str) -> str:
    """``text`` with ``[`` and ``]`` written as character references on lines that hold many of them."""
    if text.count("[") + text.count("]") <= _BRACKETS_PER_LINE:
        return text
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.count("[") > _BRACKETS_PER_LINE or line.count("]") > _BRACKETS_PER_LINE:
            lines[index] = line.replace("[", "&#91;").replace("]", "&#93;")
    return "\n".join(lines)


def clean_html(text: Any) -> str:
    """Learner HTML with only allowed tags and attributes, ids prefixed; a Jinja filter (replaces nbconvert's).

    nbconvert's ``clean_html`` escapes paragraphs, headings and images; this
    one keeps them, and is as strict about scripts, handlers, URLs and CSS.
    Whatever it returns it wrote itself: allowed tags with quoted, checked
    attributes, each closed in order, at most :data:`MAX_DEPTH` deep, and text
    with ``<`` and ``>`` escaped. A disallowed tag shows as text (the grader
    sees what the learner tried); comments, declarations and unfinished markup
    are dropped. One pass: time linear in the input.
    """
    source = text.decode() if isinstance(text, bytes) else str(text)
    out: list[str] = []
    open_tags: list[str] = []
    for kind, token in _markup(source):
        if kind == "text":
            out.append(_escape_text(token))
            continue
        if kind != "tag":
            continue
        is_end, name = bool(token[1]), token[2].lower()
        if name not in TAGS or (not is_end and name not in VOID_TAGS and len(open_tags) >= MAX_DEPTH):
            out.append(html.escape(token[0], quote=False))
        elif is_end:
            while name in open_tags:
                out.append(f"</{open_tags[-1]}>")
                if open_tags.pop() == name:
                    break
        else:
            while open_tags and open_tags[-1] in _CLOSES.get(name, ()):
                out.append(f"</{open_tags.pop()}>")
            out.append(_start_tag(name, token[3]))
            if name not in VOID_TAGS:
                open_tags.append(name)
    out.extend(f"</{name}>" for name in reversed(open_tags))
    return _spread_brackets("".join(out))


def _html_problems(rendered: str, reserved_ids: frozenset[str]) -> list[str]:
    """Why HTML that a markdown renderer wrote is not made only of allowed, well-formed constructs (empty: it is)."""
    problems: list[str] = []
    open_tags: list[str] = []
    for kind, token in _markup(rendered):
        if kind == "text":
            if "<" in token or ">" in token:  # markdown escapes both in text: a raw one came through some other way
                problems.append("raw < or > in text")
            continue
        if kind != "tag":
            problems.append(kind)
            continue
        name = token[2].lower()
        if name not in TAGS:
            problems.append(f"<{name[:40]}>")
        elif token[1]:
            if not open_tags or open_tags.pop() != name:
                problems.append(f"</{name}> closes nothing open")
        else:
            if not _STRICT_ATTRIBUTES.fullmatch(token[3]):
                problems.append(f"<{name}> with loosely written attributes")
            for attribute, value in _attributes(token[3]):
                if not attribute_allowed(name, attribute, value):
                    problems.append(f"<{name} {attribute}={value[:40]!r}>")
                elif attribute == "id" and value in reserved_ids:
                    problems.append(f"id {value!r} of the grading page")
            if name not in VOID_TAGS:
                open_tags.append(name)
                if len(open_tags) > MAX_DEPTH:
                    return [*problems, "elements nested too deeply"]
    return problems + [f"<{name}> left open" for name in open_tags]


# ---------------------------------------------------------------- markdown


def highlightable(code: str) -> bool:
    """Whether Pygments' Python lexer highlights ``code`` in linear time (see :data:`MAX_CODE_HIGHLIGHT`)."""
    if len(code) > MAX_CODE_HIGHLIGHT:
        return False
    longest_line = max(map(len, code.split("\n")))
    longest_blank = max(map(len, re.findall(r"\s+", code)), default=0)
    return max(longest_line, longest_blank) <= MAX_CODE_LINE


class _Unrenderable(Exception):
    """Markdown whose rendering would take the grader or the templates super-linear time or space."""


class _AuditingRenderer(IPythonRenderer):
    """nbconvert's markdown renderer, noting raw HTML and stopping where rendering would cost too much."""

    def __init__(self, attachments: Mapping[str, Any], link_room: int) -> None:
        super().__init__(escape=False, attachments=dict(attachments))
        self.raw_html: list[str] = []
        self.highlighted = 0
        self.link_room = link_room

    def inline_html(self, html: str) -> str:
        self.raw_html.append(html)
        return super().inline_html(html)

    def block_html(self, html: str) -> str:
        self.raw_html.append(html)
        return super().block_html(html)

    def _spend(self, size: int) -> None:
        self.link_room -= size
        if self.link_room < 0:  # a link reference used again and again: its URL copied each time
            raise _Unrenderable("links and images larger than the text and its attachments")

    def link(self, text: str, url: str, title: str | None = None) -> str:
        self._spend(len(url) + len(title or ""))
        return super().link(text, url, title)

    def image(self, text: str, url: str, title: str | None = None) -> str:
        rendered = super().image(text, url, title)
        self._spend(len(rendered))
        return rendered

    def heading(self, text: str, level: int, **attrs: Any) -> str:
        if text.count("<") > _MAX_HEADING_TAGS:
            raise _Unrenderable("a heading with more markup than the grader renders")
        return super().heading(text, level, **attrs)

    def block_code(self, code: str, info: str | None = None) -> str:
        words = (info or "").strip().split(maxsplit=1)
        if words and not (info or "").startswith("mermaid"):  # mermaid: refused for its class
            self.highlighted += 1
            if self.highlighted > _MAX_HIGHLIGHTED_BLOCKS:
                raise _Unrenderable("more code blocks in a named language than the grader renders")
            try:
                lexer = get_lexer_by_name(words[0])
            except ClassNotFound:
                lexer = None  # shown as plain text
            linear = type(lexer) is TextLexer or (type(lexer) is PythonLexer and highlightable(code))
            if lexer is not None and not linear:
                raise _Unrenderable(f"code in {words[0][:40]!r} that the grader does not highlight")
        return super().block_code(code, info)


#: The start of what :func:`as_code_block` writes: a note in plain words, then a fence.
_LITERAL_HEAD = re.compile(r"\*The grader shows [^\n`$\\]{0,300}\*\n\n(`{3,})\n")


def _literal(source: str) -> bool:
    """Whether ``source`` is a note and one code block as :func:`as_code_block` writes them: math cannot start."""
    head = _LITERAL_HEAD.match(source)
    if head is None or not source.endswith("\n" + head[1]):
        return False
    body = source[head.end() : len(source) - len(head[1]) - 1]
    return all(len(run) < len(head[1]) for run in re.findall(r"`+", body))


@dataclass(frozen=True)
class _Audit:
    """What rendering some markdown showed: why it is not inert (empty: it is), and its highlighted blocks."""

    problems: tuple[str, ...] = ()
    highlighted: int = 0


#: Plain markdown (no attachments) up to this length is audited once per process: every notebook of a
#: class repeats the lesson's text, audited before grading and again for the feedback page
_REMEMBERED_MARKDOWN = 16 * 1024


def _audit_markdown(source: str, attachments: Mapping[str, Any], reserved_ids: frozenset[str]) -> _Audit:
    """Render ``source`` as the templates do, within bounds, and check the HTML (see :func:`markdown_problems`)."""
    if attachments or len(source) > _REMEMBERED_MARKDOWN:
        return _audit_rendering(source, attachments, reserved_ids)
    try:
        return _Audit((), _inert_markdown_highlights(source, reserved_ids))
    except _NotInert as refused:
        return refused.audit


class _NotInert(Exception):
    """Raised with the audit of markdown that is not inert: lru_cache keeps results, never exceptions."""

    def __init__(self, audit: _Audit) -> None:
        super().__init__()
        self.audit = audit


@lru_cache(maxsize=512)
def _inert_markdown_highlights(source: str, reserved_ids: frozenset[str]) -> int:
    """The highlighted blocks of inert plain markdown, remembered (keys of at most 16 KiB: 8 MiB in all).

    Markdown that is not inert raises :class:`_NotInert` and is audited again each time: its list of
    problems can be as long as the text, and a hostile class must not fill the grader's memory with them.
    """
    audit = _audit_rendering(source, {}, reserved_ids)
    if audit.problems:
        raise _NotInert(audit)
    return audit.highlighted


def _audit_rendering(source: str, attachments: Mapping[str, Any], reserved_ids: frozenset[str]) -> _Audit:
    if len(source) > MAX_MARKDOWN:
        return _Audit((f"longer than {MAX_MARKDOWN:,} characters",))
    if not _literal(source) and sum(1 for _ in _MATH_DELIMITER.finditer(source)) > _MAX_MATH:
        return _Audit((f"more than {_MAX_MATH} math delimiters",))
    attached = sum(len(str(data)) for bundle in attachments.values() for data in dict(bundle).values())
    renderer = _AuditingRenderer(attachments, link_room=2 * (len(source) + attached) + 16 * 1024)
    try:
        rendered = MarkdownWithMath(renderer=renderer).render(source)
    except _Unrenderable as error:
        return _Audit((str(error),), renderer.highlighted)
    except Exception as error:  # e.g. a missing attachment: nbconvert would fail the whole page
        return _Audit((f"markdown could not be rendered ({type(error).__name__})",), renderer.highlighted)
    raw = [f"raw HTML {html[:40]!r}" for html in renderer.raw_html]
    return _Audit((*raw, *_html_problems(rendered, reserved_ids)), renderer.highlighted)


def markdown_problems(
    source: str, attachments: Mapping[str, Any] | None = None, reserved_ids: frozenset[str] = PAGE_IDS
) -> list[str]:
    """Why ``source`` would not render as inert HTML through nbconvert's markdown (empty: it would).

    Rendered exactly as the formgrader and feedback templates render it, the
    markdown may produce only allowed tags and attributes, no raw HTML, and no
    ``id`` the grading page uses; and rendering it must take time linear in it.
    """
    return list(_audit_markdown(source, attachments or {}, reserved_ids).problems)


def as_code_block(text: str, note: str = QUARANTINE_NOTE) -> str:
    """``text`` as a markdown code block that shows it literally, fenced longer than any backtick run in it.

    Text too long to fit :data:`MAX_MARKDOWN` with its note and fences is cut, and the note says so.
    """
    room = MAX_MARKDOWN - 1024
    if len(text) > room:
        note, text = TRUNCATED_NOTE.format(shown=room, total=len(text)), text[:room]
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{note}\n\n{fence}\n{text}\n{fence}"


def _sanitize_markdown(source: str, attachments: Mapping[str, Any], reserved: frozenset[str], budget: _Budget) -> str:
    if len(source) > MAX_MARKDOWN:
        shown = as_code_block(source)
    elif not budget.take(_MARKDOWN_WEIGHT * len(source) + _ITEM_COST):
        shown = as_code_block(source, OVER_BUDGET_NOTE)
    else:
        audit = _audit_markdown(source, attachments, reserved)
        budget.left -= _HIGHLIGHT_COST * audit.highlighted
        if not audit.problems:
            return source
        shown = as_code_block(source)
    if not _audit_markdown(shown, {}, reserved).problems:
        return shown
    return QUARANTINE_NOTE  # not reached with nbconvert's renderer; never show what could not be made inert


def sanitize_markdown(
    source: str, attachments: Mapping[str, Any] | None = None, reserved_ids: frozenset[str] = PAGE_IDS
) -> str:
    """``source`` if it renders inertly, else the same text as a literal code block (checked again)."""
    return _sanitize_markdown(source, attachments or {}, reserved_ids, _Budget())


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


def _literal_html(text: str) -> str:
    """HTML the grader does not render, as escaped text under a note; its start only, if it is long."""
    shown = MAX_HTML // 8  # escaped, at most six times longer: still under MAX_HTML when sanitised again
    note = TRUNCATED_NOTE.format(shown=shown, total=len(text)) if len(text) > shown else OVER_BUDGET_NOTE
    return clean_html(f"<p><em>{html.escape(note.strip('*'))}</em></p><pre>{html.escape(text[:shown])}</pre>")


def _cleaned_within_bounds(text: str, budget: _Budget) -> str | None:
    """``text`` cleaned, if it and what cleaning makes of it (escaped tags grow) fit :data:`MAX_HTML` and the budget."""
    if len(text) > MAX_HTML or not budget.take(len(text) + _ITEM_COST):
        return None
    cleaned = clean_html(text)
    return cleaned if len(cleaned) <= MAX_HTML else None


def _sanitize_output_data(data: Mapping[str, Any], reserved: frozenset[str], budget: _Budget) -> dict[str, str]:
    kept: dict[str, str] = {}
    dropped: list[str] = []
    too_large: list[str] = []
    for mimetype, value in data.items():
        text = _text(value)
        if text is None:
            dropped.append(str(mimetype)[:60])
        elif mimetype in _TEXT_MIMETYPES:
            kept[mimetype] = _bounded_ansi(text) if mimetype == "text/plain" else text
        elif mimetype in _IMAGE_MIMETYPES and _base64(text):
            kept[mimetype] = text
        elif mimetype == "text/html":
            cleaned = _cleaned_within_bounds(text, budget)
            if cleaned is not None:
                kept[mimetype] = cleaned
            else:
                too_large.append(f"{len(text):,} characters of HTML")
        elif mimetype == "text/markdown":
            kept[mimetype] = _sanitize_markdown(text, {}, reserved, budget)
        else:
            dropped.append(str(mimetype)[:60])
    if not kept:
        notes = [REMOVED_NOTE.format(", ".join(sorted(dropped)))] if dropped else []
        notes += [TOO_LARGE_NOTE.format(size) for size in too_large]
        kept["text/plain"] = "\n".join(notes) or REMOVED_NOTE.format("no data")
    return kept


def sanitize_output_data(data: Mapping[str, Any], reserved_ids: frozenset[str] = PAGE_IDS) -> dict[str, str]:
    """The mimetypes of one output that are safe to render, made safe; a note where nothing was left."""
    return _sanitize_output_data(data, reserved_ids, _Budget())


def _bounded_ansi(text: str) -> str:
    """``text``, without its ANSI colours where nbconvert's ``ansi2html`` would take too long on them."""
    if text.count("\x1b") * len(text) <= _ANSI_WORK:
        return text
    return strip_ansi(text).replace("\x1b", "")


def _sanitize_outputs(outputs: list[NotebookNode], reserved: frozenset[str], budget: _Budget) -> None:
    for output in outputs:
        kind = output.get("output_type")
        if kind == "stream":  # plain text: every template escapes it (ansi2html)
            text = _text(output.get("text"))
            output["text"] = _bounded_ansi(text) if text is not None else ""
        elif kind == "error":
            traceback = output.get("traceback")
            if isinstance(traceback, list):
                output["traceback"] = [_bounded_ansi(line) if isinstance(line, str) else "" for line in traceback]
        elif "data" in output:
            output["data"] = _sanitize_output_data(output.get("data") or {}, reserved, budget)
            output["metadata"] = _image_metadata(output.get("metadata"), output["data"])


def _sanitize_attachments(attachments: Any) -> dict[str, dict[str, str]]:
    """Attachments that are raster images in base64, under plain names; SVG, huge images and the rest dropped."""
    if not isinstance(attachments, Mapping):
        return {}
    kept = {}
    for name, bundle in attachments.items():
        if not (isinstance(name, str) and SAFE_NAME.fullmatch(name) and isinstance(bundle, Mapping)):
            continue
        images = {m: _text(v) for m, v in bundle.items() if m in _ATTACHMENT_MIMETYPES}
        images = {m: v for m, v in images.items() if v is not None and len(v) <= MAX_ATTACHMENT and _base64(v)}
        if images:
            kept[name] = images
    return kept


def _sanitize_cell_metadata(cell: NotebookNode) -> None:
    """Cell metadata cut down to nbgrader's (with a safe grade id), the grader's verdict summary, tags and
    Jupyter's display flags."""
    metadata = cell.get("metadata") or {}
    kept: dict[str, Any] = {}
    nbgrader = metadata.get("nbgrader")
    if isinstance(nbgrader, Mapping) and SAFE_NAME.fullmatch(str(nbgrader.get("grade_id", ""))):
        kept["nbgrader"] = nbgrader
    if summary_is_plain(metadata.get(SUMMARY_KEY)):  # the grader's verdict summary, for class reports
        kept[SUMMARY_KEY] = metadata[SUMMARY_KEY]
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


def notebook_metadata(metadata: Any) -> NotebookNode:
    """Only the kernel's and language's names and versions: widget state, titles and the rest are dropped.

    Code is highlighted by IPython's lexer, which defers to each cell's ``magics_language`` (see
    :func:`sanitize_notebook`); nbconvert reads the notebook's lexer before any preprocessor runs.
    """
    metadata = metadata if isinstance(metadata, Mapping) else {}
    kept: dict[str, Any] = {}
    for key, required in (("kernelspec", {"name", "display_name"}), ("language_info", {"name"})):
        section = metadata.get(key)
        if isinstance(section, Mapping):
            safe = {k: v for k, v in section.items() if isinstance(v, str) and _SAFE_LABEL.fullmatch(v)}
            if required <= safe.keys():  # nbformat requires them: a section without them goes
                kept[key] = safe
    if "language_info" in kept:
        kept["language_info"]["pygments_lexer"] = "ipython3"
    return NotebookNode(kept)


def reserved_ids(nb: NotebookNode) -> frozenset[str]:
    """Element ids that the grading page gives its own elements: from the notebook's grade ids, and fixed ones."""
    grade_ids = {str(c.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")) for c in nb.get("cells", [])}
    derived = {f"{g}{suffix}" for g in grade_ids - {""} for suffix in ("", "-comment", "_extra_credit")}
    return PAGE_IDS | derived


def _sanitize_html_source(source: str, budget: _Budget) -> str:
    """A raw cell's HTML, cleaned; escaped text where it is longer than the grader renders."""
    cleaned = _cleaned_within_bounds(source, budget)
    return cleaned if cleaned is not None else _literal_html(source)


def sanitize_notebook(nb: NotebookNode) -> NotebookNode:
    """Rewrite ``nb`` in place so that no template renders any of it as live HTML or script; returns it.

    Within :data:`NOTEBOOK_BUDGET`, in cell order; code cells are highlighted as Python (``magics_language``,
    which nbconvert's IPython lexer defers to) where that is linear, and as plain text elsewhere.
    """
    for cell in nb.get("cells", []):
        _sanitize_cell_metadata(cell)
    nb["metadata"] = notebook_metadata(nb.get("metadata"))
    reserved = reserved_ids(nb)
    budget = _Budget()
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
            cell["source"] = _sanitize_markdown(source, attachments, reserved, budget)
        elif kind == "code":
            python = highlightable(source) and budget.take(_CODE_WEIGHT * len(source) + _ITEM_COST)
            cell["metadata"]["magics_language"] = "python" if python else "text"
            if type(cell.get("execution_count")) is not int:
                cell["execution_count"] = None
            _sanitize_outputs(cell.get("outputs", []), reserved, budget)
        else:
            cell["source"] = _sanitize_html_source(source, budget)
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


#: A folder of nbconvert template configuration (a ``conf.json``, no template) for
#: ``c.HTMLExporter.extra_template_paths``: it runs :class:`LearnerContentStyle` after the template's preprocessors.
TEMPLATE_CONF = str(Path(__file__).parent / "templates" / "learner_content")


class LearnerContentStyle(Preprocessor):
    """Adds :data:`LEARNER_CONTENT_STYLE` to the CSS that the formgrader's page inlines in its head.

    There MathJax (which nbgrader's formgrade template loads) would otherwise draw a written answer's
    ``\\raise``, ``\\moveright`` or ``\\smash``, or a ``text/latex`` output's, over the grader's score
    boxes and headings. It runs after nbconvert's CSSHTMLHeaderPreprocessor, which the classic template's
    ``conf.json`` adds and which replaces ``resources["inlining"]``: hence :data:`TEMPLATE_CONF`, read after it.
    """

    style = Unicode(
        LEARNER_CONTENT_STYLE, help="CSS of the page's own that keeps learner content inside its cells (empty: none)."
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        inlining = resources.setdefault("inlining", {})
        css = list(inlining.get("css", []))
        if self.style and self.style not in css:
            inlining["css"] = [*css, self.style]
        return nb, resources


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
        if getattr(self.parent, "cleans_markdown", False):  # the feedback exporter cleaned it, then added MathML
            return html
        return clean_html(html)
