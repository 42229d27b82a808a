"""Formulas rendered when feedback is written: TeX in cleaned HTML becomes MathML, with no script or network.

nbconvert leaves ``$...$``, ``$$...$$``, ``\\(...\\)`` and ``\\[...\\]`` in the
page for MathJax, which the feedback page used to load from a CDN: offline,
learners saw TeX source. :func:`render_formulas` turns each formula in the text
of already cleaned HTML (:func:`~autograder.sanitize.clean_html`), outside
``<code>`` and ``<pre>``, into MathML with latex2mathml; browsers draw MathML
natively (Chromium since 109, Firefox, Safari).

A formula is learner text, so latex2mathml's output is rebuilt from an
allowlist: presentation-MathML elements only (no ``maction``, ``semantics``,
``annotation-xml`` or anything else that can hold HTML or links) and layout
attributes only, their values plain words (no ``href``, ``xlink:href``,
``style``, ``class``, ``id`` or event handler). No attribute that places or
sizes a box is kept (``voffset``, ``lspace``, ``width``, ``height``, ``depth``,
``minsize``, ...): latex2mathml writes the learner's own lengths into them
(``\\raise``, ``\\moveright``, ``\\smash``, ``\\rule``, ``\\hspace``, ...), and with
them a formula drew its text anywhere on the page, over the grader's score. TeX's
fixed spaces (``\\,``, ``\\;``, ``\\quad``, ...) become Unicode spaces, text in the
flow of the formula; negative ones are dropped. A formula latex2mathml cannot
convert, one longer than :data:`MAX_FORMULA_CHARS`, and every formula once a
page has used its :class:`FormulaBudget` stay as their (escaped) TeX text.
"""

import html
import re
from xml.etree.ElementTree import Element, SubElement, fromstring, tostring

from latex2mathml.converter import convert

#: Longer formulas stay TeX: latex2mathml's cost grows with a formula, and no lesson needs more.
MAX_FORMULA_CHARS = 1000
#: TeX converted per page, in characters (the lessons hold about 10 000); past it formulas stay TeX.
#: Within the cap latex2mathml's CPU time grows about linearly (4 times the TeX, 3-4.5 times the time); the worst
#: TeX found (R6: power towers) takes ~21 ms of CPU per 1000 characters, so a page spending the whole budget costs
#: ~1.2 s of CPU more than an honest page: 1.4 s against 0.2 s (benchmarks/formula_budget.py, idle machine). Its
#: wall time grows with the machine's load: R6 measured 5.9 s at load 10 on 2 cores.
PAGE_FORMULA_CHARS = 60_000

MATHML_ELEMENTS = frozenset(
    {
        "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "msub", "msup", "msubsup", "mfrac", "msqrt",
        "mroot", "munder", "mover", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom",
        "menclose", "merror", "mmultiscripts", "mprescripts", "none",
    }
)  # fmt: skip
#: Attributes kept: none places or sizes a box (lspace, width, height, depth, voffset, minsize, maxsize,
#: linethickness, rowspacing, columnspacing, mathsize: each can move or grow what a learner wrote).
MATHML_ATTRIBUTES = frozenset(
    {
        "display", "mathvariant", "stretchy", "fence", "separator", "accent", "accentunder", "columnalign",
        "columnlines", "rowalign", "rowlines", "frame", "movablelimits", "form", "largeop", "symmetric",
        "notation", "align",
    }
)  # fmt: skip
#: Attributes kept with these values only: no fraction bar (\binom, \atop), and TeX's text sizes (normal, script,
#: scriptscript), never larger than the page's text; latex2mathml writes nothing else into them from TeX's constants.
MATHML_FIXED_VALUES = {
    "linethickness": frozenset({"0"}),
    "displaystyle": frozenset({"true", "false"}),
    "scriptlevel": frozenset({"0", "1", "2"}),
}
#: latex2mathml's ``<mspace width>`` for TeX's fixed spaces, written as Unicode spaces of about that width.
SPACES = {
    "0.167em": "\u2009",  # \, thin space
    "thinmathspace": "\u2009",
    "0.222em": "\u205f",  # \: medium mathematical space
    "mediummathspace": "\u205f",
    "0.278em": "\u2005",  # \; four-per-em space
    "thickmathspace": "\u2005",
    "0.333em": "\u2004",  # three-per-em space (\pmod)
    "0.5em": "\u2002",  # \enspace: en space
    "1em": "\u2003",  # \quad: em space
    "2em": "\u2003\u2003",  # \qquad
}
#: An attribute value kept: words, numbers, units, signs; nothing that could be a URL or a script.
_PLAIN_VALUE = re.compile(r"[\w .%+-]{0,64}")
#: A tag of cleaned HTML; text between tags is where formulas are.
_TAG = re.compile(r"<[^<>]*>")
#: Formulas in escaped text: display ones first so that ``$$`` is never read as two ``$``.
_N = MAX_FORMULA_CHARS
_FORMULA = re.compile(
    rf"\$\$(?P<d1>[^$]{{1,{_N}}}?)\$\$|\\\[(?P<d2>.{{1,{_N}}}?)\\\]"
    rf"|\\\((?P<i2>.{{1,{_N}}}?)\\\)|\$(?P<i1>[^$\n]{{1,{_N}}}?)\$",
    re.DOTALL,
)
_RAW_ELEMENTS = ("code", "pre")


def safe_mathml(markup: str) -> str:
    """latex2mathml's ``markup`` rebuilt from the allowlist: unknown elements dropped with their content."""
    return tostring(_rebuild(fromstring(markup)), encoding="unicode", short_empty_elements=False)


def _rebuild(source: Element, parent: Element | None = None) -> Element:
    tag = source.tag.rsplit("}", 1)[-1]  # without a namespace
    element = (
        Element(tag, _kept_attributes(source)) if parent is None else SubElement(parent, tag, _kept_attributes(source))
    )
    element.text = source.text
    for child in source:
        child_tag = child.tag.rsplit("}", 1)[-1]
        if child_tag == "mspace" and child.get("width") in SPACES:  # TeX's fixed space: as text; others dropped
            SubElement(element, "mtext").text = SPACES[child.get("width", "")]
            element[-1].tail = child.tail
        elif child_tag in MATHML_ELEMENTS and child_tag != "math":
            _rebuild(child, element).tail = child.tail
        elif child.tail:  # a dropped element's content goes, the text after it stays
            if len(element):
                element[-1].tail = (element[-1].tail or "") + child.tail
            else:
                element.text = (element.text or "") + child.tail
    return element


def _kept_attributes(source: Element) -> dict[str, str]:
    """The attributes of ``source`` that the allowlist keeps: none that places or sizes it."""
    return {
        name: value
        for name, value in source.attrib.items()
        if (name in MATHML_ATTRIBUTES and _PLAIN_VALUE.fullmatch(value)) or value in MATHML_FIXED_VALUES.get(name, ())
    }


def formula_mathml(tex: str, display: bool) -> str | None:
    """The MathML of one TeX formula (unescaped), or None if it cannot be converted."""
    try:
        markup = convert(tex, display="block" if display else "inline")
        return safe_mathml(markup)
    except Exception:  # latex2mathml on learner text may fail in any way (RecursionError too): the TeX stays
        return None


class FormulaBudget:
    """Characters of TeX a page may still convert (one budget per page, shared by its markdown cells)."""

    def __init__(self, chars: int = PAGE_FORMULA_CHARS) -> None:
        self.chars = chars


def render_formulas(cleaned_html: str, budget: FormulaBudget | None = None) -> str:
    """``cleaned_html`` with each formula in its text (outside code and pre) as MathML, within ``budget``."""
    budget = budget or FormulaBudget()

    def replace(match: re.Match) -> str:
        display = match.group("d1") is not None or match.group("d2") is not None
        tex = next(group for group in match.group("d1", "d2", "i2", "i1") if group is not None)
        if len(tex) > budget.chars:
            return match.group(0)
        budget.chars -= len(tex)
        mathml = formula_mathml(html.unescape(tex), display)
        return match.group(0) if mathml is None else mathml

    parts, raw_depth, last = [], 0, 0
    for tag in _TAG.finditer(cleaned_html):
        text = cleaned_html[last : tag.start()]
        parts.append(text if raw_depth else _FORMULA.sub(replace, text))
        name = re.match(r"</?\s*(\w+)", tag.group(0))
        if name and name.group(1).lower() in _RAW_ELEMENTS:
            raw_depth += -1 if tag.group(0).startswith("</") else 1
            raw_depth = max(raw_depth, 0)
        parts.append(tag.group(0))
        last = tag.end()
    tail = cleaned_html[last:]
    parts.append(tail if raw_depth else _FORMULA.sub(replace, tail))
    return "".join(parts)
