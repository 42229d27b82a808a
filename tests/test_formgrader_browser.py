"""Stored script injection against the real formgrader, in Debian's Chromium.

A small course is graded by ``course grade``: Ada and Dana (honest) and
``xss_everywhere``, whose every channel (written answer, extra markdown and
raw cells, attachments, cell and notebook metadata, widget state, and every
output type its kernel made) carries a payload that, if it ran with the
instructor's session, would set Dana's ``normal_mle`` grade to 1 and its own
written answer to 2/2, write a file through ``/api/contents`` and leave a
marker (tests/attacks/html/channels.py). A Jupyter server with nbgrader's
formgrader runs on loopback with a token; the instructor opens the XSS
submission's grading page and its feedback page (through the server, with
the session, and as a file). Nothing may happen: no grade changes, no file
appears, no marker, no dialog, no request that writes, and the grading form
is intact, and learner content moved over the score boxes stays clipped to its cell (the page loads MathJax,
which draws a formula's ``\\raise`` wherever the learner chose). Screenshots go to ``artifacts/formgrader/``.

``HTML_ATTACKS_UNSANITIZED=1`` switches the course's sanitising off: then
this test must fail (it did, see the commit that added it).
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.nbgrader_commands import nbgrader_env
from tests.attack_class import add_learners, build_course, cells_with, grade, submit_notebook, submitted_notebook
from tests.attacks.html import channels
from tests.conftest import ROOT
from tests.test_attacks_html import MATHML

CHROMIUM = Path(os.environ.get("MLE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-sync",
]
ARTIFACTS = ROOT / "artifacts" / "formgrader"
ATTACKER = "xss_everywhere"
UNSANITIZED = """
c.SanitizeNotebook.enabled = False
c.HTMLExporter.sanitize_html = False
c.HTMLExporter.preprocessors = []
c.HTMLExporter.filters = {}
c.FeedbackExporter.sanitize_html = False
c.FeedbackExporter.content_security_policy = ""
"""


def _chromium_or_skip() -> Path:
    """Debian's Chromium; skipped where it is missing, but never in CI."""
    if CHROMIUM.exists() and importlib.util.find_spec("playwright"):
        return CHROMIUM
    reason = f"no Chromium at {CHROMIUM} or no playwright: `make browser` installs Debian's chromium (needs root)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _grades(course: Path) -> list[tuple]:
    """Every grade and comment in the gradebook, as stored."""
    with sqlite3.connect(f"file:{course / 'gradebook.db'}?mode=ro", uri=True) as db:
        grades = db.execute(
            "SELECT id, auto_score, manual_score, extra_credit, needs_manual_grade FROM grade"
        ).fetchall()
        comments = db.execute("SELECT id, auto_comment, manual_comment FROM comment").fetchall()
    return sorted(grades) + sorted(comments)


def _files(course: Path) -> set[str]:
    return {
        str(p.relative_to(course)) for p in course.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts
    }


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """Ada, Dana and the attacker, graded by course grade."""
    _chromium_or_skip()
    course = build_course(tmp_path_factory.mktemp("formgrader"), honest=("ada_correct", "dana_bessel"))
    unsanitized = bool(os.environ.get("HTML_ATTACKS_UNSANITIZED"))
    if unsanitized:
        with (course / "nbgrader_config.py").open("a") as config:
            config.write(UNSANITIZED)
    add_learners(course, ROOT / "tests" / "attacks" / "html" / "01_normal_mle", only=[ATTACKER])
    notebook = channels.inject(submitted_notebook(course, ATTACKER), attachments=not unsanitized)
    (answer,) = cells_with(notebook, {"bias_answer"})
    answer.source = channels.markdown("answer-")
    submit_notebook(course, ATTACKER, notebook)
    graded = grade(course)
    assert all(outcome.success for outcome in graded.outcomes.values()), graded.printed
    return course


@pytest.fixture(scope="module")
def server(course, tmp_path_factory):
    """Jupyter server with nbgrader's formgrader, in the course folder, on loopback with a token."""
    home = tmp_path_factory.mktemp("jupyter")
    port, token = _free_port(), secrets.token_hex(16)
    env = nbgrader_env() | {"JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "run")}
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--ServerApp.token={token}", f"--ServerApp.root_dir={course}", "--ServerApp.allow_root=True"],
        cwd=course, env=env, stdout=(home / "server.log").open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/formgrader/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail(f"the Jupyter server did not start within 90 s: {(home / 'server.log').read_text()[-2000:]}")
    yield url, token
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def _visit(page, url: str, seconds: float = 5, referer: str | None = None) -> None:
    """Open ``url`` and give any payload time to run and its requests (three in a row to change a grade) to land."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(url, wait_until="domcontentloaded", referer=referer)
    page.wait_for_timeout(seconds * 1000)
    try:
        page.wait_for_load_state("networkidle", timeout=30_000)
    except PlaywrightTimeout:
        pass  # a page still busy after that has had its chance


#: What the page's notebook part holds that could act: scripts, handlers, frames, forms, styles, script URLs.
LIVE_IN_PAGE = """() => {
  const root = document.querySelector('#notebook-container') || document.body;
  const mathml = new Set(MATHML_TAGS);
  const found = [];
  for (const el of root.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['script','iframe','frame','object','embed','base','meta','form','style','link','svg'].includes(tag))
      found.push('<' + tag + '>');
    if (el.closest('math') && !mathml.has(tag)) found.push('<' + tag + '> in <math>');  // presentation MathML only
    for (const attr of el.attributes) {
      const value = attr.value.replace(/\\s/g, '').toLowerCase();
      if (attr.name.startsWith('on') && !value.startsWith('toggle_name(')) found.push(tag + ' ' + attr.name);
      if (value.startsWith('javascript:') || value.startsWith('data:text')) found.push(tag + ' ' + attr.name + ' url');
    }
  }
  return found;
}""".replace("MATHML_TAGS", json.dumps(sorted(MATHML)))


#: formgrade.js finds each score box with jQuery's "#<grade id>" (document.getElementById): still the score box?
FORM_BOUND = """() => typeof document.getElementById === 'function'
  && document.getElementById('normal_mle') === document.querySelector('input.score#normal_mle')
  && document.querySelector('input.score#normal_mle') !== null"""


#: Learner content moved over each score box the way a formula typeset by the page's MathJax can move it
#: (``\raise`` and ``\moveright``: a relative offset; ``\smash`` with a negative kern: a margin), and fixed.
#: Returns, per score box, whether the box is still what the instructor's pointer finds at its centre.
_COVER_THE_SCORE_BOXES = """(forged) => {
    const boxes = [...document.querySelectorAll('input.score')];
    const holders = [...document.querySelectorAll('#notebook-container :is(.rendered_html, .output_subarea)')];
    const moves = [
        (e, r, t) => Object.assign(e.style, {position: 'relative', top: `${t.top - r.top}px`,
                                             left: `${t.left - r.left}px`}),
        (e, r, t) => Object.assign(e.style, {position: 'fixed', top: `${t.top}px`, left: `${t.left}px`, zIndex: 9999}),
        (e, r, t) => Object.assign(e.style, {display: 'block', marginTop: `${t.top - r.top}px`}),
    ];
    holders.forEach((holder, i) => {
        const target = boxes[i % boxes.length];
        target.scrollIntoView({block: 'center'});
        const span = document.createElement('span');
        Object.assign(span.style, {background: 'red', fontSize: '40px', whiteSpace: 'nowrap'});
        span.textContent = forged;
        holder.appendChild(span);
        moves[i % moves.length](span, span.getBoundingClientRect(), target.getBoundingClientRect());
    });
    const first = boxes[0].getBoundingClientRect();  // a formula's tooltip, which MathJax adds to <body> on hover
    const tip = Object.assign(document.createElement('div'), {id: 'MathJax_CHTML_Tooltip', textContent: forged});
    Object.assign(tip.style, {position: 'absolute', left: `${first.left + scrollX - 50}px`, zIndex: 401,
                              top: `${first.top + scrollY - 50}px`, width: '1400px', height: '1400px'});
    tip.style.background = 'orange';
    document.body.appendChild(tip);
    return {holders: holders.length, uncovered: boxes.map(box => {
        box.scrollIntoView({block: 'center'});
        const r = box.getBoundingClientRect();
        return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === box;
    })};
}"""


@pytest.mark.slow
def test_opening_the_attackers_submission_changes_nothing(course, server):
    url, token = server
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission_notebook("normal_mle", "01_normal_mle", ATTACKER).id
    grades_before, files_before = _grades(course), _files(course)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    console, dialogs, writes = [], [], []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(_chromium_or_skip()), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("console", lambda message: console.append(message.text))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda r: writes.append(f"{r.method} {r.url}") if r.method not in ("GET", "HEAD") else None)

        _visit(page, f"{url}/formgrader?token={token}", seconds=1)  # the instructor's session: cookie and XSRF token
        _visit(page, f"{url}/formgrader/submissions/{submission}/")
        page.screenshot(path=str(ARTIFACTS / "1-submission.png"))  # not full_page: escaped payloads are wide
        answer = page.locator(".nbgrader_cell").filter(has_text="The estimator divides by n")
        if answer.count():
            answer.first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "2-written-answer.png"))
        grading_page = {
            "title": page.title(),
            "name": page.evaluate("window.name"),
            "live": page.evaluate(LIVE_IN_PAGE),
            "score boxes": page.locator("input.score").count(),
            "visible score boxes": page.locator("input.score:visible").count(),
            "form bound": page.evaluate(FORM_BOUND),
            "url": page.url,
            "written answer": page.locator(".nbgrader_cell").filter(has_text="The estimator divides by n").count(),
        }
        # The page loads MathJax, which would typeset a written answer's \raise{..}{\moveright{..}{..}} as a move of
        # its text (offline here: the learner's elements are moved as any channel might); the page's style
        # (autograder.sanitize.LearnerContentStyle) clips every element holding learner content to its box.
        covering = page.evaluate(_COVER_THE_SCORE_BOXES, "regraded by the instructor: 14.0 / 14.0")
        page.screenshot(path=str(ARTIFACTS / "2b-score-boxes-covered.png"))

        feedback_url = f"{url}/files/feedback/{ATTACKER}/01_normal_mle/normal_mle.html"
        _visit(page, feedback_url, referer=f"{url}/lab/tree/feedback")  # the instructor, from JupyterLab
        page.screenshot(path=str(ARTIFACTS / "3-feedback-served.png"))
        feedback_served = {"name": page.evaluate("window.name"), "live": page.evaluate(LIVE_IN_PAGE)}
        feedback_file = course / "feedback" / ATTACKER / "01_normal_mle" / "normal_mle.html"
        _visit(page, feedback_file.as_uri())  # as the learner, or anyone they share it with
        page.screenshot(path=str(ARTIFACTS / "4-feedback-file.png"))
        feedback_opened = {"name": page.evaluate("window.name"), "live": page.evaluate(LIVE_IN_PAGE)}
        browser.close()

    ran = [line for line in console if "XSS-RAN" in line]
    assert (ran, dialogs, writes) == ([], [], [])
    assert grading_page["url"] == f"{url}/formgrader/submissions/{submission}/"  # not sent elsewhere
    assert grading_page["title"] == "normal_mle" and "xss" not in grading_page["name"]
    assert grading_page["live"] == []
    assert grading_page["score boxes"] == grading_page["visible score boxes"] == 9  # 8 test cells, 1 answer
    assert grading_page["form bound"]  # "#normal_mle" is still normal_mle's score box, not a learner heading
    assert grading_page["written answer"] == 1  # the instructor can read the answer
    assert covering["holders"] >= 9  # learner content moved over each score box at least once
    assert covering["uncovered"] == [True] * 9  # each box is still what the instructor's pointer finds
    for feedback_page in (feedback_served, feedback_opened):
        assert "xss" not in feedback_page["name"] and feedback_page["live"] == []
    assert _grades(course) == grades_before
    assert _files(course) == files_before
