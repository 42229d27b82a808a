"""Stored script injection: learner HTML and script never run in the formgrader or in feedback.

Fast tests render a notebook that carries the payload in every channel
(``tests/attacks/html/channels.py``) through the formgrader's template and
the feedback exporter, with and without the course's sanitising, and check
an honest notebook still reads the same. The template cache is tested against
a poisoned folder of another user. The slow tests grade a class of such
attackers beside honest learners with ``course grade`` and check every
autograded notebook and feedback page. ``tests/test_formgrader_browser.py``
opens the real formgrader in Chromium.
"""

from __future__ import annotations

import copy
import gc
import os
import pickle
import tempfile
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import hypothesis
import jinja2
import nbformat
import pytest
from bleach._vendor import html5lib
from hypothesis import strategies as st
from jinja2.bccache import Bucket, FileSystemBytecodeCache, bc_magic
from nbconvert.exporters import HTMLExporter
from nbconvert.filters.ansi import ansi2html
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.filters.strings import strip_files_prefix
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell
from nbgrader.server_extensions.formgrader import handlers
from traitlets.config import Config

from autograder import feedback, sanitize
from autograder.feedback import FeedbackExporter
from autograder.samples import fill_release
from autograder.sanitize import (
    ID_PREFIX,
    MAX_CODE_HIGHLIGHT,
    MAX_HTML,
    MAX_MARKDOWN,
    NOTEBOOK_BUDGET,
    OVER_BUDGET_NOTE,
    TAGS,
    _inert_markdown_highlights,
    attribute_allowed,
    clean_html,
    markdown_problems,
    sanitize_notebook,
)
from tests.attack_class import (
    ASSIGNMENT,
    HONEST,
    add_learners,
    build_course,
    cells_with,
    grade,
    submit_notebook,
    submitted_notebook,
)
from tests.attacks.html import channels, slow_markup
from tests.conftest import ROOT, read_notebook

ATTACKS = ROOT / "tests" / "attacks" / "html" / ASSIGNMENT
RELEASE = ROOT / "release" / ASSIGNMENT / "normal_mle.ipynb"
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
HONEST_ANSWER = """## Why the MLE of $\\sigma^2$ is biased

The MLE uses $\\bar x$, fitted to the same data, so $E[\\hat\\sigma^2] = \\frac{n-1}{n}\\sigma^2 < \\sigma^2$.

| n | bias |
|--:|:----:|
| 10 | $-\\sigma^2/10$ |

> It vanishes as $n \\to \\infty$; see [Wikipedia](https://en.wikipedia.org/wiki/Bias_of_an_estimator).

```python
np.var(x, ddof=0)
```

![my sketch](attachment:sketch.png)
"""
#: Tags no learner may put in a page (form controls without a form or handlers are inert: the grading form has
#: its own), and the template's own handlers (formgrade's name toggle).
DANGEROUS_TAGS = frozenset(
    "script iframe frame frameset object embed applet base meta form style link svg template noscript "
    "portal maction semantics annotation annotation-xml mglyph malignmark".split()
)
#: Presentation MathML, the only markup a <math> element may hold (feedback writes formulas as MathML).
MATHML = frozenset(
    "math mrow mi mn mo ms mtext mspace msub msup msubsup mfrac msqrt mroot munder mover munderover mtable mtr "
    "mtd mstyle mpadded mphantom menclose merror mmultiscripts mprescripts none".split()
)
TEMPLATE_HANDLERS = frozenset({"toggle_name(true);", "toggle_name(false);"})


class _LiveMarkup(HTMLParser):
    """Every element or attribute of a page's notebook part that could run script, load a page or restyle it."""

    def __init__(self) -> None:
        super().__init__()
        self.in_notebook = False
        self.found: list[str] = []
        self.math_depth = 0

    def handle_endtag(self, tag: str) -> None:
        self.math_depth -= tag == "math" and self.math_depth > 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.in_notebook:
            self.in_notebook = ("id", "notebook-container") in attrs or ("id", "notebook") in attrs
            return
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        self.math_depth += tag == "math"
        if self.math_depth and tag not in MATHML:
            self.found.append(f"<{tag}> in <math>")
        for name, value in attrs:
            value = (value or "").replace("\t", "").replace("\n", "").strip().lower()
            if name.startswith("on") and value not in TEMPLATE_HANDLERS:
                self.found.append(f"<{tag} {name}>")
            if name in {"href", "src", "action", "formaction", "data", "srcdoc", "xlink:href", "style"} and (
                value.startswith(("javascript:", "vbscript:", "data:text", "data:image/svg")) or name == "srcdoc"
            ):
                self.found.append(f"<{tag} {name}={value[:30]}>")
            if name == "style" and any(word in value for word in ("position", "url(", "expression", "display")):
                self.found.append(f"<{tag} style={value[:30]}>")

    handle_startendtag = handle_starttag


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [value or "" for name, value in attrs if name == "id"]


def element_ids(html: str) -> list[str]:
    """The ids of every element of a page, in order."""
    parser = _Ids()
    parser.feed(html)
    return parser.ids


def live_markup(html: str) -> list[str]:
    """What in the notebook part of ``html`` could act in a browser (empty: nothing)."""
    parser = _LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.found


def attacked_notebook() -> NotebookNode:
    """The release filled in by Ada, with the payload in every channel of the file and in every output type."""
    notebook = channels.inject(fill_release(read_notebook(RELEASE), ROOT / "samples" / ASSIGNMENT / "ada_correct.py"))
    (answer,) = cells_with(notebook, {"bias_answer"})
    answer.source = channels.markdown("answer-")
    (solution,) = cells_with(notebook, {"solution_normal_mle"})
    solution.outputs = channels.outputs("kernel-")
    return notebook


def honest_notebook() -> NotebookNode:
    """Ada's notebook with a written answer in rich markdown and outputs of the kinds honest code makes."""
    notebook = fill_release(read_notebook(RELEASE), ROOT / "samples" / ASSIGNMENT / "ada_correct.py")
    (answer,) = cells_with(notebook, {"bias_answer"})
    answer.source = HONEST_ANSWER
    answer.attachments = {"sketch.png": {"image/png": PNG}}
    (solution,) = cells_with(notebook, {"solution_normal_mle"})
    solution.execution_count = 3
    solution.outputs = [
        new_output("stream", name="stdout", text="mean and sd: 1.5 0.5\n"),
        new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}, metadata={"image/png": {}}),
        new_output("execute_result", data={"text/plain": "(1.5, 0.5)"}, execution_count=3),
        new_output("display_data", data={"text/latex": "$\\hat\\mu = 1.5$", "text/plain": "mu"}),
        new_output("display_data", data={"text/html": "<table><tr><th>n</th></tr><tr><td>10</td></tr></table>"}),
        new_output(
            "error", ename="ValueError", evalue="x is empty", traceback=["\x1b[0;31mValueError\x1b[0m: x is empty"]
        ),
    ]
    return notebook


def formgrade_page(notebook: NotebookNode, config: Config | None = None) -> str:
    """The formgrader's page of a submission, as its SubmissionHandler renders it (nbgrader's formgrade template)."""
    config = copy.deepcopy(config) if config is not None else Config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    resources = {
        "base_url": "",
        "assignment_id": ASSIGNMENT,
        "notebook_id": "normal_mle",
        "submission_id": "abc",
        "index": 0,
        "total": 3,
        "student": "xss",
        "last_name": None,
        "first_name": None,
        "notebook_path": "autograded/xss/01_normal_mle/normal_mle.ipynb",
    }
    html, _ = HTMLExporter(config=config).from_notebook_node(copy.deepcopy(notebook), resources=resources)
    return html


def course_config() -> Config:
    """The HTMLExporter settings of the course's nbgrader_config.py (which the formgrader loads)."""
    loader = __import__("traitlets.config.loader", fromlist=["PyFileConfigLoader"]).PyFileConfigLoader
    return Config({"HTMLExporter": loader("nbgrader_config.py", path=str(ROOT)).load_config().HTMLExporter})


def feedback_page(notebook: NotebookNode, **settings: object) -> str:
    """The learner's feedback page from ``notebook``, as nbgrader's generate_feedback renders it."""
    config = Config()
    config.FeedbackExporter.template_name = "feedback"
    config.FeedbackExporter.extra_template_basedirs = [handlers.template_path]
    config.FeedbackExporter.extra_template_paths = [
        os.path.join(handlers.static_path, "node_modules/bootstrap/dist/css")
    ]
    if settings.get("sanitize_html", True):  # the course's own filters too, as its nbgrader_config.py sets them
        config.HTMLExporter.filters = course_config().HTMLExporter.filters
    for key, value in settings.items():
        config.FeedbackExporter[key] = value
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if "nbgrader" in cell.metadata:
            cell.metadata.nbgrader.update(score=0, points=cell.metadata.nbgrader.get("points", 0))
    resources = {"nbgrader": {"notebook": "normal_mle", "score": 0, "max_score": 14, "late_penalty": 0}}
    html, _ = FeedbackExporter(config=config).from_notebook_node(notebook, resources=resources)
    return html


# ---------------------------------------------------------------- every channel, rendered as the course renders it


def test_without_sanitising_every_channel_is_live():
    # The oracle and the payloads are real: nbgrader's stock formgrader renders all of this live.
    found = " ".join(live_markup(formgrade_page(attacked_notebook())))
    for trick in ("<script>", "<img onerror>", "<svg onload>", "<iframe>", "<details ontoggle>", "<base>", "<style>"):
        assert trick in found
    assert "<a href=javascript:" in found
    assert "<div onmouseover>" in found or "onmouseover" not in found  # a tag's quote is escaped by nbconvert
    feedback_found = live_markup(feedback_page(attacked_notebook(), sanitize_html=False))
    assert "<img onerror>" in feedback_found


def test_the_autograded_notebook_renders_inertly_in_stock_nbgrader():
    # What autograde stores is safe even for a formgrader that never loads the course's configuration.
    sanitized = sanitize_notebook(attacked_notebook())
    nbformat.validate(sanitized)
    assert live_markup(formgrade_page(sanitized)) == []


def test_the_formgrader_renders_an_unsanitized_notebook_inertly_with_the_course_config():
    # A notebook autograded elsewhere: the formgrader's exporter, configured by the course, cleans it.
    assert live_markup(formgrade_page(attacked_notebook(), course_config())) == []


def test_feedback_is_inert_whatever_notebook_it_is_given():
    page = feedback_page(attacked_notebook())
    assert live_markup(page) == []
    assert '<meta http-equiv="Content-Security-Policy"' in page.split("<body", 1)[0]
    assert "script-src 'none';" in page  # formulas are MathML: no script at all


def test_the_sanitized_notebook_keeps_nothing_a_browser_could_run():
    sanitized = sanitize_notebook(attacked_notebook())
    assert set(sanitized.metadata) <= {"kernelspec", "language_info"}
    for cell in sanitized.cells:
        allowed = {"nbgrader", "tags", "editable", "deletable", "jupyter", "raw_mimetype", "magics_language"}
        assert set(cell.metadata) <= allowed
        assert cell.metadata.get("magics_language", "text") in {"python", "text"}  # the grader's choice of lexer
        assert not cell.get("attachments")
        for output in cell.get("outputs", []):
            assert set(output.get("data", {})) <= {"text/plain", "text/html", "text/markdown", "text/latex"}
            assert output.get("metadata", {}) == {}
        if cell.cell_type == "markdown":
            assert markdown_problems(cell.source) == []
    assert sanitize_notebook(copy.deepcopy(sanitized)) == sanitized  # a fixed point: nothing left to clean


def test_learner_ids_cannot_take_the_grading_forms_elements():
    # "# normal_mle" would give a heading the id of normal_mle's score box, which formgrade.js finds by id.
    for page in (
        formgrade_page(attacked_notebook(), course_config()),
        formgrade_page(sanitize_notebook(attacked_notebook())),
    ):
        assert element_ids(page).count("normal_mle") == 1  # the score box's own


def test_a_tag_left_open_in_one_cell_cannot_take_the_next():
    notebook = honest_notebook()
    notebook.cells[1:1] = [
        nbformat.v4.new_markdown_cell(channels.raw_html("")[name]) for name in ("unclosed", "closer")
    ]
    for page in (formgrade_page(sanitize_notebook(copy.deepcopy(notebook))), feedback_page(notebook)):
        assert live_markup(page) == []


@pytest.mark.parametrize("trick", sorted(channels.raw_html("").items()), ids=lambda item: item[0])
def test_each_raw_html_trick_is_shown_as_text(trick):
    name, html = trick
    notebook = honest_notebook()
    (answer,) = cells_with(notebook, {"bias_answer"})
    answer.source = f"My answer.\n\n{html}"
    sanitized = sanitize_notebook(notebook)
    source = cells_with(sanitized, {"bias_answer"})[0].source
    assert source.endswith(f"{html}\n```") or (name in {"unclosed", "closer"} and source == answer.source)
    assert live_markup(formgrade_page(sanitized)) == []
    assert "My answer." in formgrade_page(sanitized)


@pytest.mark.parametrize(
    "markdown",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](java&#115;cript:alert(1))",
        "[x](&#x6A;avascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html,<script>alert(1)</script>)",
        "![x](data:image/svg+xml;base64,PHN2Zy8+)",
        "![x](https://tracker.invalid/pixel.png)",
        "[x](evil.html)",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "```mermaid\ngraph TD; A-->B\n```",
        "# statusmessage",
        "x <b>bold</b>",
        "![x](attachment:missing.png)",
    ],
)
def test_markdown_that_would_link_to_script_or_take_an_id_is_refused(markdown):
    assert markdown_problems(markdown) != []


@pytest.mark.parametrize(
    "markdown",
    [
        HONEST_ANSWER.replace("![my sketch](attachment:sketch.png)", ""),
        "- [ ] to do\n- [x] done",
        "term\n: definition",
        "1. one\n2. two\n\n---\n\nhard  \nbreak ~~struck~~ AT&T &alpha; a < b > c",
        "$$\\sum_{i=1}^n (x_i - \\bar x)^2 < \\infty$$ and <https://example.org>",
        "```unknownlanguage\ncode <b>\n```",
        "![inline](data:image/png;base64," + PNG + ")",
    ],
)
def test_honest_markdown_is_accepted(markdown):
    assert markdown_problems(markdown) == []


def test_honest_content_reads_the_same():
    notebook = honest_notebook()
    sanitized = sanitize_notebook(copy.deepcopy(notebook))
    (answer,) = cells_with(sanitized, {"bias_answer"})
    assert answer.source == HONEST_ANSWER
    assert answer.attachments == {"sketch.png": {"image/png": PNG}}
    (solution,) = cells_with(sanitized, {"solution_normal_mle"})
    (original,) = cells_with(notebook, {"solution_normal_mle"})
    for kept, given in zip(solution.outputs, original.outputs, strict=True):
        assert kept.get("data") == given.get("data") or kept.data["text/html"] == given.data["text/html"].replace(
            "<table>", "<table><tbody>"
        ).replace("</table>", "</tbody></table>")
    assert [o.get("text") for o in solution.outputs] == [o.get("text") for o in original.outputs]

    for page in (feedback_page(notebook), formgrade_page(sanitized, course_config())):
        assert live_markup(page) == []
        assert page.count(f"data:image/png;base64,{PNG}") == 2  # the attached sketch and the plot
        if "script-src 'none'" in page:  # feedback: the math as MathML, drawn with no script
            assert "<mfrac><mrow><mi>n</mi><mo>−</mo><mn>1</mn></mrow><mrow><mi>n</mi></mrow></mfrac>" in page
            assert "<mo>&lt;</mo><msup><mi>σ</mi><mn>2</mn></msup>" in page
        else:  # the formgrader: the math, for MathJax
            assert "E[\\hat\\sigma^2] = \\frac{n-1}{n}\\sigma^2 &lt; \\sigma^2" in page
        assert '<a href="https://en.wikipedia.org/wiki/Bias_of_an_estimator">Wikipedia</a>' in page
        assert "<h2" in page and "Why the MLE of" in page and "<table>" in page and "<blockquote>" in page
        assert "mean and sd: 1.5 0.5" in page and "(1.5, 0.5)" in page and "x is empty" in page
        assert "<td>10</td>" in page
        assert "The grader shows this text as it was written" not in page


SOUP = [
    *channels.raw_html("").values(),
    *"""<script> </script> <style> </style> <textarea> </textarea> <title> </title> <xmp> </xmp> <noscript>
    </noscript> <iframe> <svg> <math> <mtext> <mglyph> <plaintext> <!-- --> --!> <!DOCTYPE html> <![CDATA[ ]]>
    <?x ?> </> </ <b> </b> <div> </div> <table> <tr> <td> </td> <li> <p> </p> <a> </a> <pre> < > " ' = / &lt;
    &#x3C; &amp; text \n \x00""".split(),
    "<img/src=x/onerror=alert(1)>",
    "<a\thref=javascript:alert(1)>",
    "<A HREF=JAVASCRIPT:alert(1)>",
    '<a href="#notebook" id=statusmessage>',
    '<td style="text-align:left;background:url(x)">',
    "<input type=image src=x onfocus=alert(1) autofocus>",
    '<p title="',
    '">',
]


@hypothesis.settings(max_examples=400)
@hypothesis.given(st.lists(st.sampled_from(SOUP), max_size=30))
def test_whatever_html_a_learner_writes_a_browser_reads_as_allowed_markup_only(parts):
    cleaned = clean_html("".join(parts))
    assert clean_html(cleaned) == cleaned  # a fixed point
    fragment = html5lib.parseFragment(cleaned, namespaceHTMLElements=False)  # as a browser's parser reads it
    for element in fragment.iter():
        if element is fragment:
            continue
        assert element.tag in TAGS, cleaned  # no comment, no other element
        for name, value in element.attrib.items():
            assert attribute_allowed(element.tag, name, value), (name, value)
            assert name != "id" or value.startswith(ID_PREFIX)


# ---------------------------------------------------------------- bounded work: the grader's own time (breach 6)
# Sanitising and rendering run in the grader's process, with no time limit. Each family of slow markup
# (tests/attacks/html/slow_markup.py) is timed at two sizes: 4 times the text may cost at most 6 times the
# time (quadratic work costs 16 times); and at the grader's size cap it may cost at most 20 times an honest
# notebook's whole feedback page, timed in the same process. Times are CPU times, the least of two runs (the
# second run only where the first is over the bound: the verdict is the same).

SIZE = {"markdown": 8 * 1024, "html": 16 * 1024, "code": 4 * 1024, "ansi": 32 * 1024}
CAP = {"markdown": MAX_MARKDOWN, "html": MAX_HTML, "code": MAX_CODE_HIGHLIGHT, "ansi": 4 * 2**20}


def _cpu(work: Callable[[], object], runs: int = 2, within: float | None = None) -> float:
    """The least CPU time (s) ``work`` took in ``runs`` runs: what it costs, not what a busy machine adds.

    With ``within`` (a bound the caller asserts), runs stop at the first one within it: the least of all
    ``runs`` would be within it too, so the verdict is the same, without repeating work that already passed.
    The cyclic garbage collector is paused meanwhile: its passes grow with everything alive in the process,
    not with the work measured (and for that reason it is not run here either: a full pass over the test
    process's 300,000 objects costs 0.2 s, as much as many a measured run).
    """
    times: list[float] = []
    gc.disable()
    try:
        for _ in range(runs):
            start = time.process_time()
            work()
            times.append(time.process_time() - start)
            if within is not None and times[-1] <= within:
                break
    finally:
        gc.enable()
    return min(times)


def _one_cell(cell: NotebookNode) -> NotebookNode:
    """A notebook of that one cell, with the kernel metadata of a graded notebook."""
    notebook = new_notebook(cells=[cell])
    notebook.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3"},
        "language_info": {"name": "python", "pygments_lexer": "ipython3"},
    }
    return notebook


def _render_markdown(source: str, attachments: dict | None = None) -> str:
    """A markdown cell as the feedback and formgrade templates render it (the course's markdown2html filter)."""
    renderer = IPythonRenderer(escape=False, attachments=attachments or {})
    return strip_files_prefix(clean_html(MarkdownWithMath(renderer=renderer).render(source)))


def _markdown_work(text: str) -> None:
    """What grading does with a written answer: sanitise the notebook, then render the cell."""
    _inert_markdown_highlights.cache_clear()  # an answer is new to the grader: its cost, not the lesson text's memo
    (cell,) = sanitize_notebook(_one_cell(new_markdown_cell(text))).cells
    _render_markdown(cell.source)


def _html_work(text: str) -> None:
    """Sanitise an HTML output and a raw cell, then clean both again as the templates do."""
    output = new_output("display_data", data={"text/html": text, "text/plain": "html"})
    code = new_code_cell("display(x)", outputs=[output])
    for cell in sanitize_notebook(new_notebook(cells=[code, new_raw_cell(text)])).cells:
        clean_html(cell.outputs[0].data.get("text/html", "") if cell.cell_type == "code" else cell.source)


def _code_work(text: str) -> None:
    """Sanitise a code cell, then highlight it as the templates do (the notebook's lexer, the cell's metadata)."""
    notebook = sanitize_notebook(_one_cell(new_code_cell(text)))
    highlight = Highlight2HTML(pygments_lexer=notebook.metadata.language_info.get("pygments_lexer"))
    highlight(notebook.cells[0].source, metadata=notebook.cells[0].metadata)


def _ansi_work(text: str) -> None:
    """Sanitise stdout, a traceback and a plain-text result, then turn each into HTML as the templates do."""
    outputs = [
        new_output("stream", name="stdout", text=text),
        new_output("error", ename="E", evalue="e", traceback=[text]),
        new_output("execute_result", data={"text/plain": text}, execution_count=1),
    ]
    (cell,) = sanitize_notebook(_one_cell(new_code_cell("x", outputs=outputs))).cells
    for shown in (cell.outputs[0].text, cell.outputs[1].traceback[0], cell.outputs[2].data["text/plain"]):
        ansi2html(shown)


WORK = {"markdown": _markdown_work, "html": _html_work, "code": _code_work, "ansi": _ansi_work}
FAMILIES = [
    (kind, name, make)
    for kind, families in (
        ("markdown", slow_markup.MARKDOWN),
        ("html", slow_markup.HTML),
        ("code", slow_markup.CODE),
        ("ansi", slow_markup.ANSI),
    )
    for name, make in families.items()
]


@pytest.fixture(scope="module")
def honest_page_time() -> float:
    """CPU time of an honest notebook's feedback page: sanitising and rendering, MathJax and all."""
    notebook = honest_notebook()
    return _cpu(lambda: feedback_page(notebook), runs=3)


@pytest.mark.parametrize(("kind", "name", "make"), FAMILIES, ids=[f"{k}: {n}" for k, n, _ in FAMILIES])
def test_slow_markup_costs_time_linear_in_its_size(kind, name, make, honest_page_time):
    work, size = WORK[kind], SIZE[kind]
    small, large = (make(size), make(4 * size))
    small_time = _cpu(lambda: work(small))
    large_time = _cpu(lambda: work(large), within=6 * small_time + 0.02)
    assert large_time <= 6 * small_time + 0.02, f"{name}: {small_time:.3f}s at {size}, {large_time:.3f}s at 4x"
    at_cap = make(CAP[kind])
    cap_time = _cpu(lambda: work(at_cap), runs=1)
    assert cap_time <= 20 * honest_page_time, f"{name}: {cap_time:.2f}s at the cap, honest {honest_page_time:.2f}s"


def test_only_inert_markdown_is_remembered_between_notebooks():
    """A worker grades notebook after notebook: markdown that is not inert (its list of problems can be as long as
    the text) is audited again each time, not kept, so a hostile class cannot fill the grader's memory."""
    _inert_markdown_highlights.cache_clear()
    hostile, honest = "<x>" * 5000, "Some *emphasis* and `code`."
    assert len(markdown_problems(hostile)) > 1000 and markdown_problems(honest) == []
    assert markdown_problems(hostile) and markdown_problems(honest) == []  # the same verdicts the second time
    assert _inert_markdown_highlights.cache_info().currsize == 1  # the honest text only
    assert _inert_markdown_highlights.cache_info().hits == 1


def test_the_formgrader_draws_no_raw_cell():
    """A raw cell is written into the formgrader's page outside any cell's box, where the page's MathJax would
    typeset its TeX over the score boxes (R7, with MathJax 2.7.9): the course's exporter draws no raw cell."""
    notebook = honest_notebook()
    for mimetype in (None, "text/html", "TEXT/HTML", "text/latex", "text/markdown"):
        cell = new_raw_cell(f"RAW-CELL-{mimetype} $\\smash{{\\raise{{-6000px}}{{\\rule{{1300px}}{{7000px}}}}}}$")
        if mimetype:
            cell.metadata["raw_mimetype"] = mimetype
        notebook.cells.insert(3, cell)
    page = formgrade_page(notebook, course_config())
    assert "RAW-CELL" not in page and "Student's answer" in page
    assert "RAW-CELL-None" in formgrade_page(notebook)  # nbconvert's default draws it: the course's setting matters


def test_text_beyond_the_caps_is_shown_literally_and_cut():
    answer = "<!--" * 80_000  # the red team's written answer: 141 s of a worker before
    html_output = "<div>" * (MAX_HTML // 5 + 1)
    growing = "<div>" * (MAX_HTML // 6)  # under the cap, but its escaped tags make more when cleaned
    outputs = [
        new_output("display_data", data={"text/html": html, "text/plain": "t"}) for html in (html_output, growing)
    ]
    notebook = _one_cell(new_markdown_cell(answer))
    notebook.cells += [
        new_code_cell("x", outputs=outputs),
        new_raw_cell(html_output),
        new_code_cell("1." * (MAX_CODE_HIGHLIGHT // 2 + 1)),
    ]
    sanitized = sanitize_notebook(notebook)
    assert sanitize_notebook(copy.deepcopy(sanitized)) == sanitized  # what is stored stays as it is
    markdown, code, raw, long_code = sanitized.cells
    assert len(markdown.source) <= MAX_MARKDOWN
    assert "The grader shows the first 64,512 of its 320,000 characters" in markdown.source
    assert markdown.source.endswith("<!--<!--\n```") and markdown_problems(markdown.source) == []
    assert [o.data for o in code.outputs] == [{"text/plain": "t"}] * 2  # HTML too long: its plain text stands in
    assert raw.source.startswith("<p><em>The grader shows the first") and "&lt;div&gt;" in raw.source
    assert len(raw.source) <= MAX_HTML and "<div>" not in raw.source
    assert long_code.metadata.magics_language == "text" and code.metadata.magics_language == "python"


def test_one_notebook_renders_at_most_its_budget():
    text = ("An honest paragraph of a long essay. " * 2000)[: MAX_MARKDOWN // 2]
    cells = [new_markdown_cell(text) for _ in range(40)] + [new_code_cell("x = 1\n" * 8000) for _ in range(5)]
    notebook = _one_cell(cells[0])
    notebook.cells = cells
    sanitized = sanitize_notebook(notebook)
    rendered = [cell.source == text for cell in sanitized.cells[:40]]
    assert rendered == sorted(rendered, reverse=True)  # in cell order, then nothing more
    assert 0 < sum(rendered) <= NOTEBOOK_BUDGET // (4 * len(text))
    assert all(cell.source.startswith(OVER_BUDGET_NOTE) for cell in sanitized.cells[sum(rendered) : 40])
    assert [cell.metadata.magics_language for cell in sanitized.cells[40:]].count("text") >= 4  # what was left


def test_feedback_highlights_code_with_the_lexer_that_reads_each_cells_choice(honest_page_time):
    # The release says only "python": nbconvert takes the notebook's lexer before any preprocessor runs, and
    # Python's ignores magics_language, so 128 KiB of blank lines would be rescanned from every line.
    notebook = honest_notebook()
    assert "pygments_lexer" not in notebook.metadata.language_info
    notebook.cells.append(new_code_cell("    \n" * 26_000))
    assert _cpu(lambda: feedback_page(notebook), runs=1) <= 20 * honest_page_time


def test_an_honest_code_cell_is_still_highlighted():
    notebook = honest_notebook()
    page = feedback_page(notebook)
    (solution,) = cells_with(sanitize_notebook(copy.deepcopy(notebook)), {"solution_normal_mle"})
    assert solution.metadata.magics_language == "python"
    assert '<span class="k">def</span><span class="w"> </span><span class="nf">normal_mle</span>' in page


def test_many_brackets_on_a_line_read_the_same_but_cannot_slow_strip_files_prefix():
    line = "[a](/files/" * 2000
    page_part = clean_html(f"<pre><code>{line}</code></pre>\n<p>E[X] = [1, 2]</p>")
    assert "&#91;a&#93;(/files/&#91;a" in page_part and "<p>E[X] = [1, 2]</p>" in page_part
    assert sanitize._spread_brackets(page_part) == page_part  # a fixed point: cleaning again changes nothing


# ---------------------------------------------------------------- the template cache (breach 5)


def _poison(folder: Path, keys: list[str], marker: Path) -> None:
    """Jinja cache files that run code when loaded: their checksum field is a pickle that opens ``marker``."""

    class Opens:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    folder.mkdir(mode=0o755)
    for key in keys:
        (folder / f"__jinja2_{key}.cache").write_bytes(bc_magic + pickle.dumps(Opens(), 2))
    for path in [folder, *folder.iterdir()]:
        os.chown(path, 65534, 65534)  # another user's: nobody's


class _KeySpy(jinja2.BytecodeCache):
    """Records the cache key of every template loaded."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    def load_bytecode(self, bucket: Bucket) -> None:
        self.keys.append(bucket.key)

    def dump_bytecode(self, bucket: Bucket) -> None:
        pass


@pytest.mark.skipif(os.geteuid() != 0, reason="making a folder another user's needs root")
def test_a_cache_planted_by_another_user_is_never_loaded(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the old code's folder, under this test's /tmp
    planted = tmp_path / f"mle-course-templates-{os.getuid()}"
    marker = tmp_path / "ran-as-grader"
    spy = _KeySpy()
    with monkeypatch.context() as patch:
        patch.setattr(feedback, "TEMPLATE_CACHE", spy)
        feedback_page(honest_notebook())
    assert spy.keys
    _poison(planted, spy.keys, marker)

    # The threat is real: with Jinja's own file cache in that folder (the old exporter), the planted code runs.
    with monkeypatch.context() as patch:
        patch.setattr(feedback, "TEMPLATE_CACHE", FileSystemBytecodeCache(str(planted)))
        feedback_page(honest_notebook())
    assert marker.exists()
    marker.unlink()

    before = sorted((p.name, p.stat().st_mtime_ns) for p in planted.iterdir())
    feedback.TEMPLATE_CACHE.clear()
    page = feedback_page(honest_notebook())
    assert "Why the MLE of" in page
    assert not marker.exists()
    assert sorted((p.name, p.stat().st_mtime_ns) for p in planted.iterdir()) == before
    assert set(tmp_path.iterdir()) == {planted}  # nothing else made in the shared folder either


def test_compiled_templates_are_reused_between_learners(monkeypatch):
    compiled: list[str] = []
    compile_template = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return compile_template(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    feedback.TEMPLATE_CACHE.clear()
    feedback_page(honest_notebook())
    assert compiled  # the first learner compiles the templates...
    compiled.clear()
    feedback_page(honest_notebook())  # ...a new exporter, as nbgrader makes per learner, reuses them
    assert compiled == []


# ---------------------------------------------------------------- a class with attackers, graded by course grade

EXPECTED = {
    **HONEST,
    "honest_rich": (3, 3, 3, 3),
    # right answers; normal_mle's cell outputs the payload in every mimetype; the payload in every markdown channel
    "xss_everywhere": (3, 3, 3, 3),
    # right answers; widget views of HTML widgets carrying the payload
    "xss_widgets": (3, 3, 3, 3),
    # Ada's notebook with the payload in every part of the file: cells, raw cells, attachments, metadata, outputs
    "xss_notebook": (3, 3, 3, 3),
    # right answers; markup that takes a naive grader super-linear time, written and displayed
    "markup_bomb": (3, 3, 3, 3),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = build_course(tmp_path_factory.mktemp("html-attacks"))
    add_learners(course, ATTACKS)
    add_learners(course, ROOT / "samples" / ASSIGNMENT, only=["ada_correct"])  # base of the notebook attack
    everywhere = submitted_notebook(course, "xss_everywhere")
    (answer,) = cells_with(everywhere, {"bias_answer"})
    answer.source = channels.markdown("answer-")
    submit_notebook(course, "xss_everywhere", everywhere)
    submit_notebook(course, "xss_notebook", attacked_notebook())
    bomb = submitted_notebook(course, "markup_bomb")
    (answer,) = cells_with(bomb, {"bias_answer"})
    answer.source = "<!--" * 80_000
    bomb.cells.append(new_code_cell("x = (1)" + ".real" * 12_000))
    submit_notebook(course, "markup_bomb", bomb)
    rich = submitted_notebook(course, "ada_correct")
    (answer,) = cells_with(rich, {"bias_answer"})
    answer.source, answer.attachments = HONEST_ANSWER, {"sketch.png": {"image/png": PNG}}
    submit_notebook(course, "honest_rich", rich)
    return grade(course)


@pytest.mark.slow
def test_every_submission_is_graded(graded):
    assert set(graded.outcomes) == set(EXPECTED)
    assert all(outcome.success for outcome in graded.outcomes.values()), graded.printed


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_each_submission_gets_the_marks_it_deserves(graded, student):
    assert graded.scores(student) == EXPECTED[student]
    assert graded.marks[student]["bias_answer"].pending  # every written answer is left for a human


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_no_page_of_the_class_holds_live_markup(graded, student):
    notebook = graded.autograded(student)
    assert sanitize_notebook(copy.deepcopy(notebook)) == notebook  # stored already inert
    assert live_markup(formgrade_page(notebook)) == []  # stock formgrader, no course configuration
    assert live_markup(graded.feedback(student)) == []


@pytest.mark.slow
def test_the_attackers_outputs_were_made_and_made_inert(graded):
    (cell,) = cells_with(graded.autograded("xss_everywhere"), {"solution_normal_mle"})
    kinds = {mimetype for output in cell.outputs for mimetype in output.get("data", {})}
    assert {"text/html", "text/markdown", "text/latex", "text/plain"} == kinds  # JS, SVG, PNG, custom: dropped
    assert any("kernel-error" in "".join(o.get("traceback", [])) for o in cell.outputs)  # the error is there, as text
    text = str(cell.outputs)
    assert "&lt;script&gt;" in text and "onerror" in text  # the HTML the learner tried, shown as text
    (widgets,) = cells_with(graded.autograded("xss_widgets"), {"solution_normal_mle"})
    assert widgets.outputs and all(set(o.get("data", {})) <= {"text/plain", "text/html"} for o in widgets.outputs)


@pytest.mark.slow
def test_an_honest_learners_feedback_still_shows_their_work(graded):
    page = graded.feedback("honest_rich")
    assert f"data:image/png;base64,{PNG}" in page
    assert "Why the MLE of" in page and "<table>" in page
    assert "<mfrac><mrow><mi>n</mi><mo>−</mo><mn>1</mn></mrow><mrow><mi>n</mi></mrow></mfrac>" in page  # \frac{n-1}{n}
    assert "hidden checks passed" in page


@pytest.mark.slow
def test_markup_slow_to_make_safe_is_shown_cut_and_costs_a_bounded_multiple(graded):
    notebook = graded.autograded("markup_bomb")
    (answer,) = cells_with(notebook, {"bias_answer"})
    assert answer.source.startswith("*The grader shows the first 64,512 of its 320,000 characters")
    (solution,) = cells_with(notebook, {"solution_normal_mle"})
    shown = {mimetype: text for output in solution.outputs for mimetype, text in output.get("data", {}).items()}
    assert shown["text/markdown"].startswith("*The grader shows the first")
    assert shown["text/html"].startswith("<div>" * 64 + "&lt;div&gt;")  # nested as deep as the grader renders
    honest = _cpu(lambda: feedback_page(graded.autograded("honest_rich")))
    assert _cpu(lambda: feedback_page(notebook), within=20 * honest) <= 20 * honest
    assert _cpu(lambda: formgrade_page(notebook, course_config()), within=20 * honest) <= 20 * honest
