"""The feedback page keeps what nbconvert's BeautifulSoup pass gave it, without that pass; the workers' warm-up.

The scan that replaces the pass reads only pages as the templates and the cleaner write them: anything else is
left as rendered.
"""

import logging

import nbformat
import pytest
from bs4 import BeautifulSoup
from traitlets.config import Config

from autograder import feedback, sandbox, warm_up
from autograder.feedback import NO_DESCRIPTION, UNREAD_PAGE, FeedbackExporter, with_accessible_markup
from tests.test_attacks_html import _cpu, attacked_notebook, feedback_page

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


#: Markup the templates and the cleaner never write, where a scan that read on could split tags otherwise than a
#: browser (R6: an alt added inside what the browser reads as an attribute value closes it, and the rest is live)
UNREAD = {
    "backtick in an unquoted value": '<p title=`a x="<img src=q.png><a href=https://evil.example/>x</a>">',
    "'=' in an unquoted value": '<p title=a=b x="<img src=q.png><a href=https://evil.example/>x</a>">',
    "quote in an unquoted value": '<p title=a\'b x="<img src=q.png><a href=https://evil.example/>x</a>">',
    "vertical tab, not HTML's white space": "<img\vsrc=a.png><img src=b.png>",
    "slash between attributes": "<img/src=a.png>",
    "abrupt comment": "<!--><img src=a.png>-->",
    "abrupt comment, one dash": "<!---><img src=a.png>",
    "comment closed by --!>": "<!-- a --!><img src=a.png>-->",
    "unclosed comment": "<p>x<!-- <img src=a.png>",
    "bogus comment": "<?x <img src=a.png>?><img src=b.png>",
    "CDATA": "<![CDATA[<img src=a.png>]]>",
    "xmp": "<xmp><img src=a.png></xmp><img src=b.png>",
    "noscript": "<noscript><img src=a.png></noscript>",
    "iframe": '<iframe srcdoc="x"><img src=a.png></iframe>',
    "plaintext": "<plaintext><img src=a.png>",
    "style in MathML": "<math><style><img src=a.png></style></math>",
    "style in SVG": "<svg><style><img src=a.png></style></svg>",
    "script's escaped text": "<script><!--<script></script><img src=a.png></script><img src=b.png>",
    "end tag with attributes": '<style>x</style foo="<img src=a.png>"><img src=b.png>',
    "class twice": '<div class="jp-Notebook"><div class="x" class="jp-OutputArea-output">o</div></div>',
    "href twice": '<a href="#ok" href="javascript:alert(1)">x</a><img src=a.png>',
    "'<' in text": "<p>a <b c<img src=a.png></p>",
    "a run of '<a'": "<p>" + "<a" * 50 + "<img src=a.png></p>",
}


@pytest.mark.parametrize("html", UNREAD.values(), ids=UNREAD.keys())
def test_the_scan_rewrites_no_page_it_does_not_read(html):
    assert with_accessible_markup(html) is None


def test_a_page_the_scan_does_not_read_is_left_as_rendered(caplog, monkeypatch):
    """The exporter writes its body byte for byte as rendered, with a warning: nothing in it comes to life.

    (nbconvert's BeautifulSoup pass would not do: it keeps the last of two ``href``, the browser the first.)
    """
    unread = "".join(UNREAD.values())
    rendered = f"<!DOCTYPE html><html><head><title>t</title></head><body><img src=x.png>{unread}</body></html>"
    monkeypatch.setattr(FeedbackExporter, "_render", lambda self, nb, resources=None, **kw: (rendered, {}))
    with caplog.at_level(logging.WARNING):
        page, _ = FeedbackExporter().from_notebook_node(nbformat.v4.new_notebook())
    assert page.split("<body>", 1)[1] == rendered.split("<body>", 1)[1]
    assert [record.message for record in caplog.records] == [UNREAD_PAGE]


def _page(body: str) -> str:
    return f"<!DOCTYPE html><html><head><style>p {{}}</style></head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("read", "unread"),
    [
        ('<p class="x"><img src=a.png> text &amp; more</p>', "<a"),
        ('<div class="x"><!-- c --><img src="a.png" alt="a"></div>', "<a b=c "),
    ],
)
def test_the_scan_takes_linear_time(read, unread):
    """A page 16 times as long (read, then not read) costs at most 40 times as much CPU: quadratic work costs 256.

    The margin is wide on purpose (CI measured 6.3x for a page 4 times as long, where linear work is 4x: a busy
    machine's caches and the clock's grain); anything as slow as n^1.35 or worse still fails.
    """
    size = 160_000  # the small page takes ~20 ms of CPU: a few ms would be mostly noise

    def page(scale: int) -> str:
        return _page(read * (scale * size // len(read)) + unread * (scale * size // len(unread)))

    small, large = page(1), page(16)
    assert with_accessible_markup(_page(read * 100)) is not None and with_accessible_markup(small) is None
    once = _cpu(lambda: with_accessible_markup(small))
    assert _cpu(lambda: with_accessible_markup(large), runs=3, within=40 * once) <= 40 * once
