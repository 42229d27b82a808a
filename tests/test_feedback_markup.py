"""The feedback page keeps what nbconvert's BeautifulSoup pass gave it, without that pass; the workers' warm-up."""

import logging

import nbformat
from bs4 import BeautifulSoup
from traitlets.config import Config

from autograder import feedback, sandbox, warm_up
from autograder.feedback import NO_DESCRIPTION, FeedbackExporter, with_accessible_markup
from tests.test_attacks_html import attacked_notebook, feedback_page

#: A 1x1 PNG
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def _images() -> nbformat.NotebookNode:
    """Three images without alt (two outputs, one in learner HTML) and one with it (markdown)."""
    v4 = nbformat.v4
    image = f"data:image/png;base64,{PNG}"
    return v4.new_notebook(
        cells=[
            v4.new_markdown_cell(f"![a cat]({image})"),
            v4.new_code_cell(
                "show()",
                outputs=[
                    v4.new_output("display_data", {"image/png": PNG, "text/plain": "figure"}),
                    v4.new_output("display_data", {"image/png": PNG}, metadata={"image/png": {"width": 10}}),
                    v4.new_output("display_data", {"text/html": f'<p>hi <img src="{image}" title="t"></p>'}),
                ],
            ),
        ]
    )


def test_every_image_of_a_feedback_page_has_alternative_text():
    soup = BeautifulSoup(feedback_page(_images()), "html.parser")
    assert soup.select("img:not([alt])") == []
    assert len(soup.select(f'img[alt="{NO_DESCRIPTION}"]')) == 3
    assert len(soup.select('img[alt="a cat"]')) == 1


def test_the_attack_notebook_page_is_the_page_nbconvert_would_write():
    # The oracle is nbconvert's own pass: its page and ours, each parsed by html.parser, are the same document.
    ours = feedback_page(attacked_notebook())
    with_soup = BeautifulSoup(ours, "html.parser")
    assert with_soup.select("img:not([alt])") == []
    nbconvert_pass = feedback.FeedbackExporter._render
    try:  # nbconvert's HTMLExporter.from_notebook_node, its BeautifulSoup pass included
        feedback.FeedbackExporter._render = lambda self, nb, resources=None, **kw: super(
            FeedbackExporter, self
        ).from_notebook_node(nb, resources, **kw)
        theirs = feedback_page(attacked_notebook())
    finally:
        feedback.FeedbackExporter._render = nbconvert_pass
    assert str(with_soup) == str(BeautifulSoup(theirs, "html.parser"))


def test_lab_template_inputs_and_outputs_are_focusable():
    config = Config()
    config.FeedbackExporter.template_name = "lab"
    page, _ = FeedbackExporter(config=config).from_notebook_node(_images())
    soup = BeautifulSoup(page, "html.parser")
    focusable = soup.select(".jp-Notebook div.jp-Cell-inputWrapper, .jp-Notebook div.jp-OutputArea-output")
    assert len(focusable) == 5  # two cells' inputs, three outputs
    assert all(element["tabindex"] == "0" for element in focusable)


def test_comments_and_script_are_not_markup():
    page = '<script>var s = "<img src=x>";</script><!-- <img src=y> --><style>img{}</style><textarea><img></textarea>'
    assert with_accessible_markup(page) == (page, 0)
    assert with_accessible_markup("<p>x<img src=a.png />") == (f'<p>x<img src=a.png alt="{NO_DESCRIPTION}" />', 1)


def test_the_warm_up_fills_the_template_cache_and_the_font_cache(caplog):
    feedback.TEMPLATE_CACHE.clear()
    sandbox.matplotlib_cache.cache_clear()
    with caplog.at_level(logging.WARNING, logger=warm_up.__name__):
        warm_up.warm_up()
    assert caplog.records == []
    assert feedback.TEMPLATE_CACHE._codes  # the feedback templates, compiled
    assert sandbox.matplotlib_cache.cache_info().currsize == 1
