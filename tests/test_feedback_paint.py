"""Learner content on the feedback page is drawn only inside its own cell, never over the grader's text.

R6 put a written answer's text on the page's score heading with a formula
(``\\raise`` -> ``voffset``, ``\\moveright`` -> ``lspace``, ``\\smash``). Two layers
close it: the MathML allowlist keeps no attribute that places or sizes a box
(:mod:`autograder.formulas`), and the page's own style clips every element that
holds learner content to its box (:data:`autograder.feedback.LEARNER_CONTENT_STYLE`),
so that a channel found later cannot paint over the grader's text either. The
browser tests look as a person does: Debian's Chromium, the network refused,
the heading's pixels compared with and without the attack.
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree.ElementTree import fromstring

import pytest
from latex2mathml import commands

from autograder.formulas import formula_mathml
from tests.attack_class import cells_with
from tests.test_attacks_html import feedback_page, honest_notebook
from tests.test_feedback_offline import _refuse_the_network
from tests.test_formgrader_browser import CHROMIUM_FLAGS, _chromium_or_skip

#: Presentation MathML's attributes that place a box or set its size (MathML 3 and MathML Core), written from the
#: specifications: mpadded, mspace, mo, mfrac, mtable, mstyle and the token elements.
GEOMETRY = frozenset(
    {
        "width", "height", "depth", "lspace", "rspace", "voffset", "minsize", "maxsize", "mathsize", "fontsize",
        "linethickness", "rowspacing", "columnspacing", "columnwidth", "framespacing", "minlabelspacing",
        "scriptminsize", "scriptsizemultiplier", "scriptlevel", "displaystyle", "equalrows", "equalcolumns",
    }
)  # fmt: skip
#: Of these, the values that cannot move or enlarge anything: no fraction bar; text of TeX's own sizes, at most normal.
HARMLESS = {
    "linethickness": {"0"},
    "scriptlevel": {"0", "1", "2"},
    "displaystyle": {"true", "false"},
}
FORGED = "regraded by the instructor: Score 14.0 / 14.0, every hidden test passed"


def _every_command() -> list[str]:
    """Every TeX command latex2mathml knows, from its own tables."""
    names: set[str] = set()
    for value in vars(commands).values():
        members = [value] if isinstance(value, str) else value if isinstance(value, (dict, tuple, list, set)) else ()
        names.update(name for name in members if isinstance(name, str) and name.startswith("\\"))
    return sorted(names)


def test_no_formula_keeps_an_attribute_that_places_or_sizes_it():
    """Each command, given lengths, numbers and text as arguments, writes no geometry a learner chose."""
    arguments = ["{77em}{99em}{x}{y}", "{-500em}{x}", "[t]{x}", "{12}{x}{y}{z}", "{}{}{5000px}{}{a}{b}", "77em{x}"]
    kept: set[tuple[str, str, str]] = set()
    converted = 0
    for command in _every_command():
        for argument in arguments:
            mathml = formula_mathml(command + argument, display=False)
            if mathml is None:
                continue
            converted += 1
            for element in fromstring(mathml).iter():
                kept.update(
                    (command, name, value)
                    for name, value in element.attrib.items()
                    if name in GEOMETRY and value not in HARMLESS.get(name, ())
                )
    assert converted > 1000  # the commands did convert: the test saw their output
    assert kept == set()


@pytest.mark.parametrize("tex", [r"\raise{852.6em}{x}", r"\moveright{10em}{x}", r"\smash{x}", r"\rule{9em}{900em}x"])
def test_r6s_commands_keep_their_content_in_place(tex):
    """R6's commands: their content is kept, with no geometry at all."""
    math = fromstring(formula_mathml(tex, display=False) or "<none/>")
    assert "".join(math.itertext()) == "x"
    assert [element.attrib for element in math.iter() if set(element.attrib) & GEOMETRY] == []


def test_tex_spaces_stay_spaces_as_text():
    """``\\,``, ``\\;`` and ``\\quad`` keep a space between the symbols; the negative ``\\!`` is dropped."""
    text = "".join(fromstring(formula_mathml(r"a\,b\;c\quad d\!e", display=False)).itertext())
    assert text == "a\u2009b\u2005c\u2003de"


# ---------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def open_page(tmp_path_factory) -> Iterator[Callable[[str], object]]:
    """Opens a page's HTML in one Chromium (network off, every request refused); the pages it opened refused none."""
    chromium = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("paint")
    requests: list[str] = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS)
        context = browser.new_context(offline=True, viewport={"width": 1200, "height": 800})
        context.route("**/*", lambda route: _refuse_the_network(route, requests))
        page = context.new_page()

        def open_html(html: str) -> object:
            path = Path(folder) / "page.html"
            path.write_text(html, encoding="utf-8")
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            page.evaluate("window.scrollTo(0, 0)")
            return page

        yield open_html
        browser.close()
    assert requests == []


def _with_answer(markdown: str) -> str:
    notebook = honest_notebook()
    (answer,) = cells_with(notebook, {"bias_answer"})
    answer.source = markdown
    return feedback_page(notebook)


def _heading_pixels(page) -> bytes:
    """A screenshot of the page's top panel heading: the notebook's name, its score and the table of contents."""
    box = page.evaluate(
        "(() => { const r = document.querySelector('h4').closest('.panel-heading')"
        ".getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height}; })()"
    )
    return page.screenshot(clip=box)


_FORGED_TEXT = """() => {
    const text = [...document.querySelectorAll('mtext')].find(e => e.textContent.includes('hidden'));
    const box = r => ({top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right});
    return {text: box(text.getBoundingClientRect()), cell: box(text.closest('.nbgrader_cell').getBoundingClientRect()),
            heading: box(document.querySelector('h4').getBoundingClientRect()),
            em: parseFloat(getComputedStyle(text).fontSize)};
}"""


def _formula(raise_em: float, right_em: float) -> str:
    return f"My answer. $\\smash{{\\raise{{{raise_em}em}}{{\\moveright{{{right_em}em}}{{\\textsf{{{FORGED}}}}}}}}}$"


def test_a_formula_cannot_put_text_on_the_score_heading(open_page):
    """R6's written answer, raised to land on the heading: the text stays in its cell, the heading as it was."""
    page = open_page(_with_answer(_formula(0, 0)))
    unraised = page.evaluate(_FORGED_TEXT)
    clean_heading = _heading_pixels(page)
    raise_em = round((unraised["text"]["top"] - unraised["heading"]["top"] - 3) / unraised["em"], 1)
    right_em = round((300 - unraised["text"]["left"]) / unraised["em"], 1)
    page = open_page(_with_answer(_formula(raise_em, right_em)))
    raised = page.evaluate(_FORGED_TEXT)
    text, cell, heading = raised["text"], raised["cell"], raised["heading"]
    assert cell["top"] <= text["top"] and text["bottom"] <= cell["bottom"]
    assert text["bottom"] <= heading["top"] or text["top"] >= heading["bottom"]
    assert _heading_pixels(page) == clean_heading


#: Learner elements moved over the heading as a channel not yet known could: relative offset, fixed, negative margin
_MOVE_OVER_HEADING = """() => {
    const heading = document.querySelector('h4').getBoundingClientRect();
    const moves = [
        (e, r) => Object.assign(e.style, {position: 'relative', top: `${heading.top - r.top}px`,
                                          left: `${heading.left + 300 - r.left}px`}),
        (e, r) => Object.assign(e.style, {position: 'fixed', top: `${heading.top}px`, left: '300px', zIndex: 9999}),
        (e, r) => Object.assign(e.style, {display: 'block', marginTop: `${heading.top - r.top}px`}),
    ];
    const forged = [...document.querySelectorAll('.forged')];
    forged.forEach((e, i) => moves[i % moves.length](e, e.getBoundingClientRect()));
    return forged.map(e => e.closest('.rendered_html, .output_subarea') !== null);
}"""


def test_no_learner_content_is_drawn_outside_its_cell(open_page):
    """Whatever moves learner markup (a written answer's, an output's) over the heading, it is clipped to its cell."""
    notebook = honest_notebook()
    (answer,) = cells_with(notebook, {"bias_answer"})
    answer.source = "My answer: PAINT-0 PAINT-1 PAINT-2"
    (solution,) = cells_with(notebook, {"solution_normal_mle"})
    solution.outputs[0].text = "PAINT-3 PAINT-4 PAINT-5\n"
    html = feedback_page(notebook)
    for index in range(6):  # the markup a future channel might let through, where the learner's text is
        html = html.replace(f"PAINT-{index}", f'<span class="forged" style="font-size: 30px">{FORGED}</span>', 1)
    page = open_page(html)
    clean_heading = _heading_pixels(page)
    in_learner_content = page.evaluate(_MOVE_OVER_HEADING)
    assert in_learner_content == [True] * 6
    assert _heading_pixels(page) == clean_heading
