"""How fast the MLE widget follows the hand, measured in Debian's Chromium against JupyterLab.

Opens the released ``normal_mle`` notebook (Normal family, the 40 tempos), runs
it down to the widget and measures, inside the page, from the browser's input
event to the picture redrawn (its ``data-redraws`` changes) and to the next
frame after it (the redrawn picture is on screen by then):

* key press: 20 ArrowRight steps on the mu slider, median and max;
* drag: the mu thumb dragged across 40% of its track in 60 mouse moves (about 1 s, longer when the
  machine is loaded: Playwright's moves slow down too), redraws during the drag, the longest pause between
  two of them, how far the picture lags the slider's last move, and release -> settled (the last redraw,
  picture = slider);
* family dropdown: change -> settled, over five switches (one kernel round trip each).

Prints the figures with the machine's load average. Not a test: timings vary with load.

    python benchmarks/widget_latency.py
"""

import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_browser import CHROMIUM, CHROMIUM_FLAGS, open_widget, picture, serving_jupyterlab  # noqa: E402

_PROBE = """() => {
    const picture = document.querySelector('.mle-picture');
    window.__input = null;
    window.__draws = [];
    for (const type of ['keydown', 'pointerup', 'change']) {
        window.addEventListener(type, (event) => { window.__input = { type, at: event.timeStamp }; }, true);
    }
    window.addEventListener('input', (event) => { window.__moved = event.timeStamp; }, true);
    new MutationObserver(() => {
        const drawn = performance.now();
        const input = window.__input;
        const moved = window.__moved;
        requestAnimationFrame(() => window.__draws.push({ drawn, shown: performance.now(), input, moved }));
    }).observe(picture, { attributes: true, attributeFilter: ['data-redraws'] });
}"""


def _redraws(page) -> int:
    return picture(page)["redraws"]


def _wait_for_redraws(page, count: int) -> None:
    page.wait_for_function(f"window.__draws.length >= {count}", timeout=30_000)


def _summary(values: list[float]) -> str:
    return f"median {statistics.median(values):6.1f} ms, max {max(values):6.1f} ms"


def measure_keys(page, steps: int = 20) -> list[tuple[float, float]]:
    """Key press -> picture drawn and -> next frame, in ms, for ``steps`` ArrowRight presses."""
    page.evaluate("window.__draws = []")
    page.locator(".mlelab-slider").first.focus()
    for step in range(1, steps + 1):
        page.keyboard.press("ArrowRight")
        _wait_for_redraws(page, step)
        page.wait_for_timeout(100)  # one key at a time, as a learner's taps
    draws = page.evaluate("window.__draws")
    return [(d["drawn"] - d["input"]["at"], d["shown"] - d["input"]["at"]) for d in draws]


def measure_drag(page) -> dict[str, float]:
    """Drag the mu thumb across 40% of its track in about 1 s."""
    slider = page.locator(".mlelab-slider").first
    box = slider.bounding_box()
    value = float(slider.input_value())
    low, high = float(slider.get_attribute("min")), float(slider.get_attribute("max"))
    start_x = box["x"] + 8 + (box["width"] - 16) * (value - low) / (high - low)
    y = box["y"] + box["height"] / 2
    page.evaluate("window.__draws = []")
    page.mouse.move(start_x, y)
    page.mouse.down()
    began = page.evaluate("performance.now()")
    steps = 60
    for i in range(1, steps + 1):
        page.mouse.move(start_x - 0.4 * box["width"] * i / steps, y)
        page.wait_for_timeout(1000 / steps)
    page.mouse.up()
    released = page.evaluate("window.__input.at")
    page.wait_for_timeout(1000)
    draws = page.evaluate("window.__draws")
    during = [d["shown"] for d in draws if d["drawn"] <= released]
    pauses = [b - a for a, b in zip([began, *during], during, strict=False)]
    behind = [d["shown"] - d["moved"] for d in draws if d["drawn"] <= released]
    shown = picture(page)
    assert abs(shown["sliders"][0] - shown["params"][0]) < 1e-9, "after the drag, picture and slider differ"
    return {
        "redraws during the drag": len(during),
        "longest pause between redraws (ms)": max(pauses) if pauses else float("nan"),
        "slider moved -> next frame shown, median (ms)": statistics.median(behind) if behind else float("nan"),
        "slider moved -> next frame shown, max (ms)": max(behind) if behind else float("nan"),
        "release -> settled (ms)": max(0.0, draws[-1]["shown"] - released) if draws else float("nan"),
        "drag duration (ms)": released - began,
    }


def measure_dropdown(page, families=("Laplace", "gamma", "exponential", "Normal", "Laplace")) -> list[float]:
    """Family change -> the new picture on screen, in ms (one kernel round trip and one redraw each)."""
    latencies = []
    for family in families:
        page.evaluate("window.__draws = []")
        page.locator(".mlelab-family").select_option(family)
        _wait_for_redraws(page, 1)
        page.wait_for_timeout(1000)
        draws = page.evaluate("window.__draws")
        assert len(draws) == 1, f"switching to {family} drew {len(draws)} times"
        latencies.append(draws[0]["shown"] - draws[0]["input"]["at"])
    return latencies


def main() -> None:
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()
    folder = Path(tempfile.mkdtemp(prefix="widget-latency-"))
    try:
        shutil.copytree(ROOT / "release" / "01_normal_mle", folder, dirs_exist_ok=True)
        with serving_jupyterlab(folder) as (url, token), sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1700, "height": 1300})
            open_widget(page, url, token)
            page.evaluate(_PROBE)
            keys = measure_keys(page)
            drag = measure_drag(page)
            dropdown = measure_dropdown(page)
            browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    load_after = os.getloadavg()
    print(f"MLE widget latency in {CHROMIUM} (JupyterLab, normal_mle, Normal family, n = 40)")
    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}, {os.cpu_count()} cores")  # fmt: skip
    print(f"key press -> picture drawn    ({len(keys)} ArrowRight): {_summary([k[0] for k in keys])}")
    print(f"key press -> next frame shown ({len(keys)} ArrowRight): {_summary([k[1] for k in keys])}")
    for name, value in drag.items():
        print(f"drag: {name}: {value:.0f}")
    print(f"family dropdown -> settled ({len(dropdown)} switches): {_summary(dropdown)}")


if __name__ == "__main__":
    main()
