"""The MLE widget in a real browser: JupyterLab on loopback, Debian's Chromium driven by Playwright.

The test opens the released ``normal_mle`` notebook, runs it down to the
widget, moves the mu and sigma sliders and checks that the log-likelihood
readout changes and equals the reference library's value at the parameters
the widget reports; then it presses "show the MLE" and checks the readout is
l(mu_hat, sigma_hat). Screenshots go to ``artifacts/browser/``.
"""

import importlib.util
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

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


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a copy of the released notebook, on loopback with a token."""
    _browser_or_skip()
    folder = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "release" / "01_normal_mle", folder, dirs_exist_ok=True)
    port, token = _free_port(), secrets.token_hex(16)
    env = nbgrader_env() | {"JUPYTER_CONFIG_DIR": str(folder / ".jupyter"), "JUPYTER_RUNTIME_DIR": str(folder / ".run")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--ServerApp.token={token}", f"--ServerApp.root_dir={folder}", "--ServerApp.allow_root=True",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start within 90 s")
    yield url, token
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


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
    """Run the cells one by one from the top, as a learner does, until the widget shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.locator(".jp-Notebook .jp-Cell").first.click()
    for _ in range(15):
        page.keyboard.press("Shift+Enter")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
        if page.locator(".mle-readout").count():
            return True
    try:
        page.locator(".mle-readout").first.wait_for(timeout=20_000)
    except PlaywrightTimeout:
        return False
    return True


def _readout(page) -> tuple[float, tuple[float, ...]]:
    readout = page.locator(".mle-readout").first
    value = float(readout.locator(".mle-loglik").get_attribute("data-value"))
    params = tuple(float(p) for p in readout.get_attribute("data-params").split(", "))
    return value, params


def _set_readout(page, index: int, value: str) -> None:
    """Type a value into a slider's editable readout, as a learner can."""
    field = page.locator(".widget-slider .widget-readout").nth(index)
    field.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")


@pytest.mark.slow
def test_the_widget_works_in_jupyterlab(lab):
    url, token = lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tempos = _tempos()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(_browser_or_skip()), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1700, "height": 1300})
        page.goto(f"{url}/lab/tree/normal_mle.ipynb?token={token}")
        page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        try:
            for _attempt in range(3):  # a busy machine can swallow a key press while the kernel starts
                _wait_for_idle_kernel(url, token)
                if _run_down_to_widget(page):
                    break
            page.locator(".mle-readout").first.wait_for(timeout=30_000)
        finally:
            page.screenshot(path=str(ARTIFACTS / "0-after-running.png"), full_page=True)
        page.locator(".mle-readout").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "1-widget.png"), full_page=True)
        start, _ = _readout(page)

        handle = page.locator(".widget-slider .noUi-handle").first  # drag mu with the keyboard
        handle.focus()
        for _ in range(20):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(f"document.querySelector('.mle-loglik').dataset.value != '{start!r}'")
        moved, params = _readout(page)
        assert moved != start
        assert moved == pytest.approx(solutions.normal_log_likelihood(tempos, *params), rel=1e-9)

        _set_readout(page, 0, "125")
        page.wait_for_function("document.querySelector('.mle-readout').dataset.params.startsWith('125')")
        _set_readout(page, 1, "12")  # sigma's slider is logarithmic: 12 lands on its grid, within 0.1%
        page.wait_for_function(
            "Math.abs(document.querySelector('.mle-readout').dataset.params.split(', ')[1] - 12) < 0.02"
        )
        value, params = _readout(page)
        assert params[0] == 125.0 and params[1] == pytest.approx(12.0, rel=1e-3)
        assert value == pytest.approx(solutions.normal_log_likelihood(tempos, *params), rel=1e-9)
        page.screenshot(path=str(ARTIFACTS / "2-moved.png"), full_page=True)

        page.get_by_role("button", name="show the MLE").click()
        best = solutions.normal_log_likelihood(tempos, *solutions.normal_mle(tempos))
        page.wait_for_function(f"Math.abs(document.querySelector('.mle-loglik').dataset.value - ({best!r})) < 1e-6")
        value, params = _readout(page)
        assert value == pytest.approx(best, rel=1e-9)
        np.testing.assert_allclose(params, solutions.normal_mle(tempos), rtol=1e-9)
        page.screenshot(path=str(ARTIFACTS / "3-mle.png"), full_page=True)
        browser.close()
