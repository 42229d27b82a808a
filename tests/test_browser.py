"""The MLE widget in a real browser: JupyterLab on loopback, Debian's Chromium driven by Playwright.

The test opens the released ``normal_mle`` notebook, runs it down to the
widget, moves the mu and sigma sliders and checks that the log-likelihood
readout changes and equals the reference library's value at the parameters
the widget reports; then it presses "show the MLE" and checks the readout is
l(mu_hat, sigma_hat). A second notebook opens the widget as notebook 2 does (Poisson tickets, truth 3.2):
the profile sharpens on screen as n grows, and after a family switch "show the truth" is off and says why.
Screenshots go to ``artifacts/browser/``.
"""

import contextlib
import importlib.util
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import solutions
from autograder.nbgrader_commands import nbgrader_env
from tests.conftest import ROOT

CHROMIUM = Path(os.environ.get("MLE_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _browser_or_skip() -> Path:
    """Debian's Chromium; skipped with the reason where none can be installed, but never in CI."""
    if CHROMIUM.exists() and importlib.util.find_spec("playwright"):
        return CHROMIUM
    reason = f"no Chromium at {CHROMIUM} or no playwright: `make browser` installs Debian's chromium (needs root)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser test")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving_jupyterlab(folder: Path, app: str = "jupyterlab") -> Iterator[tuple[str, str]]:
    """JupyterLab (or Notebook 7: app="notebook") serving ``folder`` on loopback with a token: yields (url, token)."""
    port, token = _free_port(), secrets.token_hex(16)
    env = nbgrader_env() | {"JUPYTER_CONFIG_DIR": str(folder / ".jupyter"), "JUPYTER_RUNTIME_DIR": str(folder / ".run")}
    server = subprocess.Popen(
        [sys.executable, "-m", app, "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--ServerApp.token={token}", f"--ServerApp.root_dir={folder}", "--ServerApp.allow_root=True",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("JupyterLab did not start within 90 s")
        yield url, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


TICKETS_NOTEBOOK = "tickets.ipynb"
TICKETS_CELL = textwrap.dedent(
    """\
    import numpy as np
    from mlelab import run_mle_widget

    rng = np.random.default_rng(2025)
    rng.binomial(1, 0.07, size=250)
    tickets = rng.poisson(3.2, size=48)
    run_mle_widget(tickets, feature_name="tickets per hour", family="Poisson", true_params=(3.2,), seed=1)
    """
)  # notebook 2's widget cell, on its tickets as simulated when a learner found the family-switch defects


def _write_tickets_notebook(folder: Path) -> None:
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": TICKETS_CELL}
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = {"cells": [cell], "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 5}
    (folder / TICKETS_NOTEBOOK).write_text(json.dumps(notebook), encoding="utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a copy of the released notebook, and notebook 2's widget on its own."""
    _browser_or_skip()
    folder = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "release" / "01_normal_mle", folder, dirs_exist_ok=True)
    _write_tickets_notebook(folder)
    with serving_jupyterlab(folder) as served:
        yield served


def _tempos() -> np.ndarray:
    np.random.seed(42)  # noqa: NPY002 - the lesson's own data
    return np.random.normal(loc=120, scale=15, size=40)  # noqa: NPY002


def _wait_for_idle_kernel(url: str, token: str, timeout: float = 120) -> None:
    """Block until the notebook's kernel has started and is idle, asking the server's REST API."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{url}/api/sessions?token={token}", timeout=5) as answer:
            sessions = json.load(answer)
        if any(session["kernel"]["execution_state"] == "idle" for session in sessions):
            return
        time.sleep(0.5)
    pytest.fail(f"the notebook's kernel was not idle within {timeout:.0f} s")


def _run_down_to_widget(page) -> bool:
    """Run the cells one by one from the top, as a learner does, until the widget has drawn."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.locator(".jp-Notebook .jp-Cell").first.click()
    for _ in range(15):
        page.keyboard.press("Shift+Enter")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
        if page.locator(".mle-picture[data-redraws]").count():
            return True
    try:
        page.locator(".mle-picture[data-redraws]").first.wait_for(timeout=20_000)
    except PlaywrightTimeout:
        return False
    return True


def open_widget(page, url: str, token: str, path: str = "lab/tree", notebook: str = "normal_mle.ipynb") -> None:
    """Open a notebook, by default the released normal_mle (JupyterLab: lab/tree, Notebook 7: notebooks), and
    run it down to the widget's first picture."""
    page.goto(f"{url}/{path}/{notebook}?token={token}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    for _attempt in range(3):  # a busy machine can swallow a key press while the kernel starts
        _wait_for_idle_kernel(url, token)
        if _run_down_to_widget(page):
            break
    page.locator(".mle-picture[data-redraws]").first.wait_for(timeout=30_000)
    page.locator(".mle-picture").first.scroll_into_view_if_needed()


def picture(page) -> dict:
    """What the last drawn picture shows (its data attributes), and the sliders and readout beside it."""
    return page.evaluate(
        """() => {
        const picture = document.querySelector('.mle-picture');
        const readout = document.querySelector('.mle-readout');
        return {
            params: picture.dataset.params.split(', ').map(Number),
            loglik: Number(picture.dataset.loglik),
            revealed: picture.dataset.revealed === 'true',
            redraws: Number(picture.dataset.redraws),
            window: (picture.dataset.window || '').split(', ').map(Number),
            readoutParams: readout.dataset.params.split(', ').map(Number),
            readoutLoglik: Number(readout.querySelector('.mle-loglik').dataset.value),
            readoutText: readout.textContent,
            gap: readout.querySelector('.mle-gap')?.textContent ?? null,
            sliders: [...document.querySelectorAll('.mlelab-slider')].map((s) => Number(s.value)),
            fields: [...document.querySelectorAll('.mlelab-value')].map((f) => Number(f.value)),
            title: document.querySelector('.mlelab-title').textContent,
        };
    }"""
    )


def _settled(page, redraws: int) -> dict:
    """The picture once redraw number ``redraws`` has happened and nothing else came for a while."""
    page.wait_for_function(f"Number(document.querySelector('.mle-picture').dataset.redraws) >= {redraws}")
    page.wait_for_timeout(600)
    return picture(page)


def _set_field(page, index: int, value: str) -> None:
    """Type a value into a slider's text field, as a learner can."""
    field = page.locator(".mlelab-value").nth(index)
    field.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")


def _assert_consistent(shown: dict, tempos: np.ndarray) -> None:
    """Slider, text field, readout and picture describe the same parameters, and ℓ is the reference's."""
    mu, sigma = shown["params"]
    assert shown["readoutParams"] == shown["params"]
    # A typed value is kept exactly; the slider shows its nearest step (0.1 for mu, 0.001 in log10 sigma).
    assert shown["sliders"][0] == pytest.approx(mu, abs=0.05 + 1e-9)
    assert shown["sliders"][1] == pytest.approx(np.log10(sigma), abs=0.0005 + 1e-9)
    np.testing.assert_allclose(shown["fields"], shown["params"], rtol=1e-3)  # four significant digits
    assert shown["loglik"] == shown["readoutLoglik"]
    assert shown["loglik"] == pytest.approx(solutions.normal_log_likelihood(tempos, mu, sigma), rel=1e-12)


@pytest.mark.slow
def test_the_widget_works_in_jupyterlab(lab):
    url, token = lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tempos = _tempos()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(_browser_or_skip()), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1700, "height": 1300})
        try:
            open_widget(page, url, token)
        finally:
            page.screenshot(path=str(ARTIFACTS / "0-after-running.png"), full_page=True)
        shown = _settled(page, 1)
        page.screenshot(path=str(ARTIFACTS / "1-widget.png"), full_page=True)
        assert shown["redraws"] == 1 and not shown["revealed"]  # the exercise is real: no answer on screen
        assert shown["gap"] is None and "maximum ℓ(MLE) =" not in shown["readoutText"]
        _assert_consistent(shown, tempos)
        assert "Normal" in shown["title"] and "40 observations" in shown["title"]

        page.locator(".mlelab-slider").first.focus()  # mu, by keyboard: one redraw per key press
        for step in range(1, 4):
            page.keyboard.press("ArrowRight")
            shown = _settled(page, 1 + step)
            assert shown["redraws"] == 1 + step
        for _ in range(17):
            page.keyboard.press("ArrowRight")
        page.wait_for_function("document.querySelector('.mle-picture').dataset.params.startsWith('104.6, ')")
        shown = _settled(page, 5)
        assert shown["params"][0] == pytest.approx(102.6 + 20 * 0.1)  # the lesson's start, 20 steps of 0.1
        _assert_consistent(shown, tempos)

        _set_field(page, 0, "149")  # far right: the landscape must still hold "you" (it had a white strip)
        _set_field(page, 1, "12")
        page.wait_for_function("document.querySelector('.mle-picture').dataset.params == '149, 12'")
        shown = _settled(page, 1)
        _assert_consistent(shown, tempos)
        mu_low, mu_high, sigma_low, sigma_high = shown["window"]
        assert mu_low < 149 < mu_high and sigma_low < 12 < sigma_high
        page.screenshot(path=str(ARTIFACTS / "2-moved.png"), full_page=True)
        assert not shown["revealed"] and shown["gap"] is None

        before = shown["redraws"]
        page.get_by_role("button", name="show the MLE").click()
        page.wait_for_function("document.querySelector('.mle-picture').dataset.revealed == 'true'")
        shown = _settled(page, before + 1)
        assert shown["redraws"] == before + 1  # the MLE and its answer arrive in one message, drawn once
        np.testing.assert_allclose(shown["params"], solutions.normal_mle(tempos), rtol=1e-12)
        _assert_consistent(shown, tempos)
        best = solutions.normal_log_likelihood(tempos, *solutions.normal_mle(tempos))
        assert f"maximum ℓ(MLE) = {best:.4f}" in shown["readoutText"] and shown["gap"] == "0.0000"
        page.screenshot(path=str(ARTIFACTS / "3-mle.png"), full_page=True)

        before = shown["redraws"]
        page.locator(".mlelab-family").select_option("Laplace")  # a new exercise: one redraw, answer hidden
        page.wait_for_function("document.querySelector('.mlelab-title').textContent.includes('Laplace')")
        shown = _settled(page, before + 1)
        assert shown["redraws"] == before + 1 and not shown["revealed"] and shown["gap"] is None
        median = float(np.median(tempos))
        assert shown["loglik"] == pytest.approx(np.sum(stats.laplace.logpdf(tempos, *shown["params"])), rel=1e-12)
        assert shown["params"][0] == pytest.approx(median - np.std(tempos), abs=0.1)  # starts away from the MLE
        page.screenshot(path=str(ARTIFACTS / "4-laplace.png"), full_page=True)
        browser.close()


@pytest.mark.slow
def test_the_widget_works_in_notebook_7(tmp_path):
    """Notebook 7 takes keys on their way down the page (JupyterLab as they bubble up): they must reach the sliders."""
    _browser_or_skip()
    shutil.copytree(ROOT / "release" / "01_normal_mle", tmp_path, dirs_exist_ok=True)
    tempos = _tempos()
    from playwright.sync_api import sync_playwright

    with serving_jupyterlab(tmp_path, app="notebook") as (url, token), sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(_browser_or_skip()), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1700, "height": 1300})
        open_widget(page, url, token, path="notebooks")
        _settled(page, 1)
        page.locator(".mlelab-slider").first.focus()
        for step in range(1, 6):  # a learner's taps, one frame apart at least (a frame draws once)
            page.keyboard.press("ArrowRight")
            page.wait_for_function(f"document.querySelector('.mle-picture').dataset.redraws >= {1 + step}")
        assert picture(page)["params"][0] == pytest.approx(103.1)
        shown = _settled(page, 6)
        assert shown["redraws"] == 6
        _assert_consistent(shown, tempos)
        page.get_by_role("button", name="show the MLE").click()
        page.wait_for_function("document.querySelector('.mle-picture').dataset.revealed == 'true'")
        shown = _settled(page, 7)
        np.testing.assert_allclose(shown["params"], solutions.normal_mle(tempos), rtol=1e-12)
        _assert_consistent(shown, tempos)
        page.screenshot(path=str(ARTIFACTS / "5-notebook-7.png"), full_page=True)
        browser.close()


def profile_width(page, from_top: float = 0.25) -> float:
    """How wide the drawn log-likelihood curve is, as a share of its plot's width, at a fixed height.

    Read from the canvas's pixels, as a person sees it: the leftmost and rightmost pixels of the curve's
    colour on the row ``from_top`` of the way down the profile plot (a fixed drop below the maximum when
    the vertical range is fixed; the same share of whatever range an autoscaled axis shows).
    """
    return page.evaluate(
        """(fromTop) => {
        const picture = document.querySelector('.mle-picture');
        const canvas = picture.querySelector('canvas');
        const [left, top, width, height] = JSON.parse(picture.dataset.profile).box;
        const scale = canvas.width / canvas.clientWidth;
        const row = Math.round((top + fromTop * height) * scale);
        const context = canvas.getContext('2d');
        const pixels = context.getImageData(Math.round(left * scale), row, Math.round(width * scale), 1).data;
        const blue = [];
        for (let i = 0; i < pixels.length / 4; i++) {
            const [r, g, b] = pixels.slice(4 * i, 4 * i + 3);
            if (Math.abs(r - 31) + Math.abs(g - 119) + Math.abs(b - 180) < 60) blue.push(i);
        }
        return blue.length ? (blue[blue.length - 1] - blue[0]) / (width * scale) : NaN;
    }""",
        from_top,
    )


def _status(page) -> dict:
    return page.evaluate(
        """() => {
        const truth = document.querySelector('.mlelab-show-truth');
        const message = document.querySelector('.mlelab-message');
        return { truthDisabled: truth.disabled, truthTitle: truth.title, message: message.textContent,
                 error: !message.classList.contains('mlelab-note') && message.textContent !== '' };
    }"""
    )


@pytest.mark.slow
def test_the_profile_sharpens_with_n_and_the_truth_stays_with_its_family(lab):
    """Notebook 2's widget: resampling n = 1000 from the truth narrows the drawn curve by about sqrt(48/1000);
    after a switch to the Normal, "show the truth" is off and says why, and resample draws from the Normal's fit."""
    url, token = lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(_browser_or_skip()), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1700, "height": 1300})
        # a workspace of its own: JupyterLab's default one reopens normal_mle, whose widget would come first
        open_widget(page, url, token, path="lab/workspaces/tickets/tree", notebook=TICKETS_NOTEBOOK)
        shown = _settled(page, 1)
        assert "Poisson" in shown["title"] and "48 observations" in shown["title"]
        assert not _status(page)["truthDisabled"]
        wide = profile_width(page)

        page.locator(".mlelab-n").fill("1000")
        page.get_by_role("button", name="resample").click()
        page.wait_for_function("document.querySelector('.mlelab-title').textContent.includes('1000 observations')")
        shown = _settled(page, 1)
        page.screenshot(path=str(ARTIFACTS / "6-tickets-n-1000.png"), full_page=True)
        status = _status(page)
        assert "hidden again" in status["message"] and "show the MLE" in status["message"] and not status["error"]
        narrow = profile_width(page)
        # l - max l is about -(n / 2) (log(lambda / lambda_hat))^2 lambda_hat: its width at a fixed drop
        # shrinks like 1 / sqrt(n) (here 0.22; pixels and lambda_hat's sampling give or take a third)
        assert 0.5 * np.sqrt(48 / 1000) < narrow / wide < 1.5 * np.sqrt(48 / 1000), (wide, narrow)

        page.locator(".mlelab-family").select_option("Normal")
        page.wait_for_function("document.querySelector('.mlelab-title').textContent.includes('Normal')")
        _settled(page, 1)
        status = _status(page)
        assert status["truthDisabled"] and "Poisson" in status["truthTitle"] and "Poisson" in status["message"]
        page.get_by_role("button", name="resample").click()
        page.wait_for_function("document.querySelector('.mlelab-message').textContent.includes('fit to your data')")
        status = _status(page)
        assert not status["error"] and "from the Normal" in status["message"]
        page.screenshot(path=str(ARTIFACTS / "7-tickets-normal.png"), full_page=True)
        browser.close()
