"""Learner text that a naive grader takes super-linear time to make safe or to render: one family per trick.

Each family makes text of a given size (characters) out of one repeated construct. Before the grader
bounded its own work, each of these took time quadratic or worse in the size somewhere in the grader's
process: ``html.parser`` (CPython's CVE-2025-6069 family), bleach's html5lib, nbconvert's math regexes,
mistune's block parser, nbconvert's heading anchors and ``strip_files_prefix`` and ``ansi2html``, and
the IPython lexer of Pygments. ``tests/test_attacks_html.py`` checks that each costs time linear in its
size, and at most a bounded multiple of an honest notebook at the grader's size caps.
"""

from collections.abc import Callable

Family = Callable[[int], str]


def repeated(unit: str, before: str = "", after: str = "") -> Family:
    """Text of ``size`` characters: ``unit`` again and again, between ``before`` and ``after``."""

    def make(size: int) -> str:
        room = max(size - len(before) - len(after), 0)
        return before + (unit * (room // len(unit) + 1))[:room] + after

    return make


def _table(size: int) -> str:
    columns = size // 4
    return "|" + "a|" * columns + "\n|" + "-|" * columns + "\n"


def _reference_definitions(size: int) -> str:
    return "".join(f"[r{i}]: /u{i}\n" for i in range(size // 12))[:size]


def _nested_list_lines(size: int) -> str:
    return "".join(f"{'  ' * (i % 40)}- a\n" for i in range(size // 44))


#: Written answers (markdown).
MARKDOWN: dict[str, Family] = {
    # html.parser, given the rendered HTML: markup left open at the end is rescanned from each start
    "unclosed comments": repeated("<!--"),
    "unclosed processing instructions": repeated("<?"),
    "unclosed CDATA sections": repeated("<![CDATA["),
    "unclosed declarations": repeated("<!x"),
    "raw tags": repeated("<div>"),
    # nbconvert's math regexes scan to the end of the text from each unclosed delimiter; mistune's block
    # parser copies the rest of the line at each display-math block within it
    "unclosed LaTeX environments": repeated("\\begin{a}"),
    "unclosed display math": repeated("\\\\["),
    "unclosed inline math": repeated("\\\\("),
    "display math on one line": repeated("$$"),
    "dollars": repeated("$"),
    # mistune's inline and block parsers
    "open brackets": repeated("["),
    "unclosed links": repeated("[a]("),
    "unclosed images": repeated("!["),
    "emphasis delimiters": repeated("*_"),
    "emphasis runs": repeated("*a "),
    "underscore runs": repeated("_a "),
    "strikethrough runs": repeated("~~a "),
    "backtick runs": repeated("`a``b"),
    "nested blockquotes": repeated(">"),
    "nested lists": repeated("- "),
    "nested ordered lists": repeated("1. "),
    "indented lists": _nested_list_lines,
    "tables with many columns": _table,
    "link reference definitions": _reference_definitions,
    "one link reference used again and again": repeated(
        "[x][r] ", before="[r]: https://example.org/" + "x" * 1000 + "\n\n"
    ),
    "definition lists": repeated(": b\n", before="a\n"),
    "fences": repeated("```\n"),
    "setext headings": repeated("a\n="),
    "autolinks left open": repeated("<http://a"),
    "ampersands": repeated("&"),
    "character references": repeated("&#"),
    # nbconvert's heading anchors concatenate the heading's text once per tag in it
    "headings with markup": repeated("*a* ", before="# "),
    # Pygments: each fenced block in a named language looks its lexer up; some lexers rescan lines
    "fenced Python blocks": repeated("```python\nx = 1\n```\n"),
    "fenced blocks in other languages": repeated("```ruby\n1.\n```\n"),
    "a long line of fenced Python": repeated("1.", before="```python\n", after="\n```"),
    # nbconvert's strip_files_prefix, which nbgrader's templates run on rendered markdown: cubic in the
    # brackets of a line
    "file links in a code block": repeated("[a](/files/", before="```\n", after="\n```"),
    "file images in text": repeated("![a](files/"),
}

#: ``text/html`` outputs and raw cells.
HTML: dict[str, Family] = {
    "nested elements": repeated("<div>"),
    "nested lists": repeated("<ul><li>"),
    "nested blockquotes": repeated("<blockquote>"),
    "nested preformatted text": repeated("<pre>\n"),
    "unclosed formatting": repeated("<b>"),
    "unclosed formatting of two kinds": repeated("<i><b>"),
    "formatting with attributes": lambda size: "".join(f'<b title="{i}">' for i in range(size // 16)),
    "misnested formatting": repeated("<b><i></b></i>"),
    "misnested links": repeated("<a><b></a>"),
    "nested code": repeated("<em><strong>"),
    "text in tables": repeated("x<b></b>", before="<table>"),
    "unclosed comments": repeated("<!--"),
    "unclosed attribute values": repeated("<a b='"),
    "entities in one text": repeated("&amp;"),
    "angle brackets": repeated("<"),
    "cells": repeated("<td>"),
    # the policy's own regexes: a style of one declaration then blanks was rescanned from each blank
    "a style ending in blanks": repeated(" ", before='<table><tr><td style="text-align:left', after='x">1</td></tr>'),
}

#: Code cells, highlighted by the templates.
CODE: dict[str, Family] = {
    "dotted numbers on one line": repeated("1."),
    "an attribute chain on one line": repeated(".real", before="(1)"),
    "blank lines": repeated("    \n"),
    "cell magics": repeated("<div>", before="%%html\n"),
    "short lines of dotted numbers": repeated("1." * 100 + "\n"),
    "honest code": repeated("def f(x):\n    return x + 1  # one more\n"),
}

#: Text outputs (stdout, tracebacks, plain text), turned into HTML by ``ansi2html``.
ANSI: dict[str, Family] = {
    "colour escapes": repeated("\x1b[31m"),
    "resets": repeated("\x1b[m"),
    "escapes without an end": repeated("\x1b[0"),
}
