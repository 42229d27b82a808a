"""Feedback that reads offline (autograder/formulas.py): formulas are MathML written with the page, no script.

The browser test opens a learner's feedback page in Debian's Chromium with the
network off and every request refused, and measures the formulas it draws; its
screenshot goes to ``artifacts/feedback/``.
"""

import html
import re

import nbformat
import pytest

from autograder.feedback import CONTENT_SECURITY_POLICY
from autograder.formulas import (
    MAX_FORMULA_CHARS,
    PAGE_FORMULA_CHARS,
    FormulaBudget,
    formula_mathml,
    render_formulas,
    safe_mathml,
)
from autograder.samples import fill_release
from tests.attack_class import cells_with
from tests.conftest import ROOT, read_notebook
from tests.test_attacks_html import _cpu, feedback_page, honest_notebook
from tests.test_formgrader_browser import CHROMIUM_FLAGS, _chromium_or_skip

ARTIFACTS = ROOT / "artifacts" / "feedback"
RELEASE = ROOT / "release" / "01_normal_mle" / "normal_mle.ipynb"


def test_inline_and_display_formulas_become_mathml_outside_code():
    html = render_formulas(r"<p>$\hat\mu = \bar x$ and $$\frac{n-1}{n}$$</p><pre>$x$</pre><p><code>$y$</code></p>")
    assert html.count("<math") == 2 and '<math display="block">' in html
    assert "<mfrac>" in html and "<mi>μ</mi>" in html
    assert "<pre>$x$</pre>" in html and "<code>$y$</code>" in html


def test_escaped_tex_is_read_as_tex_and_written_escaped():
    html = render_formulas("<p>$a &lt; b$</p>")
    assert "<mo>&lt;</mo>" in html and "<mo><</mo>" not in html


@pytest.mark.parametrize(
    ("tex", "gone"),
    [
        (r"\href{javascript:alert(1)}{x}", "href"),
        (r"\style{background:url(http://x)}{x}", "style"),
        (r"\class{evil}{x}", "class"),
        (r"\color{red}{x}", "mathcolor"),
    ],
)
def test_tex_that_would_carry_a_link_or_style_loses_it(tex, gone):
    mathml = formula_mathml(tex, display=False)
    assert mathml is not None and "<mi>x</mi>" in mathml
    assert gone not in mathml and "javascript" not in mathml


def test_only_presentation_mathml_and_layout_attributes_survive():
    hostile = (
        '<math xmlns="http://www.w3.org/1998/Math/MathML"><maction actiontype="statusline"><mi>a</mi></maction>'
        '<semantics><mi>b</mi><annotation-xml encoding="text/html"><script>alert(1)</script></annotation-xml>'
        '</semantics><mi href="javascript:alert(2)" onclick="alert(3)" mathvariant="bold" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="javascript:alert(4)">c</mi>'
        '<mo lspace="url(x)">+</mo></math>'
    )
    cleaned = safe_mathml(hostile)
    assert cleaned == '<math><mi mathvariant="bold">c</mi><mo>+</mo></math>'


def test_formulas_past_the_page_budget_stay_tex():
    budget = FormulaBudget(chars=10)
    html = render_formulas("<p>$abcdefgh$ $ijklmnop$</p>", budget)
    assert html.count("<math") == 1 and "$ijklmnop$" in html
    long = "x" * (MAX_FORMULA_CHARS + 1)
    assert render_formulas(f"<p>${long}$</p>") == f"<p>${long}$</p>"


def test_the_feedback_page_lets_no_script_run():
    assert "script-src 'none'" in CONTENT_SECURITY_POLICY and "http" not in CONTENT_SECURITY_POLICY


def _markdown_outputs_page(template: str) -> str:
    """A page whose markdown cell and markdown output show the same formula, beside an HTML output holding MathML."""
    v4 = nbformat.v4
    notebook = v4.new_notebook(
        cells=[
            v4.new_markdown_cell("Ce-ll-9: $\\hat\\mu = 1.5$"),
            v4.new_code_cell(
                "display(Markdown(...))",
                outputs=[
                    v4.new_output(
                        "display_data", {"text/markdown": "Out-put-9: $\\hat\\mu = 1.5$ and $$\\frac{1}{n}$$"}
                    ),
                    v4.new_output("display_data", {"text/html": "<p>Ht-ml-9: <math><mi>z</mi></math></p>"}),
                ],
            ),
        ]
    )
    return feedback_page(notebook, template_name=template) if template else feedback_page(notebook)


@pytest.mark.parametrize("template", ["", "lab"])
def test_formulas_in_markdown_outputs_are_mathml_not_escaped_source(template):
    """A ``text/markdown`` output's formulas are MathML as a markdown cell's are; HTML outputs are still cleaned.

    The templates clean markdown again after ``markdown2html`` (R6): that second cleaning escaped every ``<math>``.
    """
    page = _markdown_outputs_page(template)
    cell = page[page.index("Ce-ll-9: ") : page.index("Out-put-9: ")]
    assert "&lt;m" not in cell and cell.count("<math") == 1  # nbconvert's lab template cleans markdown cells too
    output = page[page.index("Out-put-9: ") : page.index("Ht-ml-9: ")]
    assert "&lt;m" not in output and "$" not in output
    assert output.count("<math") == 2 and "<mi>μ</mi>" in output and "<mfrac>" in output
    html_output = page[page.index("Ht-ml-9: ") :][:200]
    assert "&lt;math&gt;" in html_output and "<math" not in html_output  # learner HTML: MathML stays text


def test_a_page_that_spends_the_formula_budget_costs_a_few_honest_pages():
    """The slowest TeX found (power towers at the per-formula cap), twice what the page budget converts, in four
    markdown cells: at most 12 times the CPU of Ada's honest page (about 7; benchmarks/formula_budget.py)."""
    tower = "x^{" * 249 + "x" + "}" * 249
    notebook = honest_notebook()
    (answer,) = cells_with(notebook, {"bias_answer"})
    towers = "\n\n".join(f"$${tower}$$" for _ in range(PAGE_FORMULA_CHARS // len(tower) // 2 + 1))
    answer.source = towers
    notebook.cells += [nbformat.v4.new_markdown_cell(towers) for _ in range(3)]
    honest = honest_notebook()
    feedback_page(honest)  # templates compiled
    honest_cpu = _cpu(lambda: feedback_page(honest))
    page: list[str] = []
    assert _cpu(lambda: page.append(feedback_page(notebook)), within=12 * honest_cpu) <= 12 * honest_cpu
    converted = page[-1].count("<msup>") // 249
    # the lesson's formulas share the budget (about 4000 characters); the towers past it stayed TeX
    assert PAGE_FORMULA_CHARS // len(tower) - 8 <= converted <= PAGE_FORMULA_CHARS // len(tower)
    assert "$$x^{x^{" in page[-1]


@pytest.fixture(scope="module")
def feedback_html(tmp_path_factory):
    """Ada's feedback page for 01_normal_mle, as generate_feedback renders it with the course's exporter."""
    notebook = fill_release(read_notebook(RELEASE), ROOT / "samples" / "01_normal_mle" / "ada_correct.py")
    path = tmp_path_factory.mktemp("feedback") / "normal_mle.html"
    path.write_text(feedback_page(notebook), encoding="utf-8")
    return path


def test_every_lesson_formula_is_mathml_in_the_page(feedback_html):
    """Each formula of the lesson's markdown is in the page as MathML, never as its TeX."""
    page = re.sub(r"<pre[ >].*?</pre>", "", feedback_html.read_text().split("<body", 1)[1], flags=re.DOTALL)  # code
    markdown = "\n".join(cell.source for cell in read_notebook(RELEASE).cells if cell.cell_type == "markdown")
    formulas = set(re.findall(r"(?<!\$)\$([^$\n]+)\$(?!\$)", markdown))
    assert len(formulas) >= 10
    assert [tex for tex in formulas if f"${html.escape(tex, quote=False)}$" in page] == []
    assert page.count("<math") >= len(formulas)


def _refuse_the_network(route, requests: list[str]) -> None:
    """Let the page's own file load; refuse and note every other request."""
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        requests.append(route.request.url)
        route.abort()


def test_formulas_render_in_chromium_with_the_network_off(feedback_html):
    chromium = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS)
        context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
        context.route("**/*", lambda route: _refuse_the_network(route, requests))
        page = context.new_page()
        page.goto(feedback_html.as_uri())
        page.wait_for_load_state("load")
        box = page.locator("math").first.bounding_box()  # the lesson's first formula, \hat\mu
        widths = page.eval_on_selector_all("math", "all => all.map(m => m.getBoundingClientRect().width)")
        text = "\n".join(page.locator(".text_cell_render").all_inner_texts())  # the lesson's and learner's markdown
        page.screenshot(path=str(ARTIFACTS / "offline-formulas.png"))
        browser.close()
    assert box is not None and box["width"] > 5 and box["height"] > 5
    assert len(widths) >= 20 and min(widths) > 0  # every formula drawn with a measurable box
    assert "$\\hat\\mu" not in text and "\\frac" not in text and "\\sigma" not in text
    assert requests == []
