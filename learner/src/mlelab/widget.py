"""The MLE widget: choose a family, move its parameters, watch the fit and the log-likelihood follow the hand.

The browser draws (``widget.js``, shipped in this package: no network, no
CDN); the kernel computes, with :mod:`mlelab.likelihood`, what each data set
and family need (:mod:`mlelab.scene`) and, only when the learner presses
"show the MLE", the answer. A slider move is drawn in the browser in the same
frame as the slider and the readout, so the three always agree.
"""

import html
import os
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import numpy as np
import traitlets
from numpy.typing import ArrayLike

from mlelab.families import FAMILIES, Family, Params, clean_data
from mlelab.grading import DRAW_VARIABLE
from mlelab.likelihood import Fit, fit_summary
from mlelab.scene import answer, clip, scene

_HERE = Path(__file__).parent


def _module() -> str:
    """The widget's ES module: the log-densities, then the drawing that uses them."""
    numbers = (_HERE / "likelihood.js").read_text(encoding="utf-8")
    drawing = (_HERE / "widget.js").read_text(encoding="utf-8")
    return numbers + "\n" + drawing


class MLEWidget(anywidget.AnyWidget):
    """The widget returned by :func:`run_mle_widget`; its state is plain traits, for tests and notebooks."""

    _esm = traitlets.Unicode(_module()).tag(sync=True)
    _css = traitlets.Unicode((_HERE / "widget.css").read_text(encoding="utf-8")).tag(sync=True)

    families = traitlets.List(traitlets.Unicode(), default_value=list(FAMILIES)).tag(sync=True)
    family = traitlets.Unicode("Normal").tag(sync=True)
    feature_name = traitlets.Unicode("x").tag(sync=True)
    width = traitlets.Int(1500).tag(sync=True)
    height = traitlets.Int(600).tag(sync=True)
    n = traitlets.Int(0).tag(sync=True)
    sample_size = traitlets.Int(40).tag(sync=True)
    has_truth = traitlets.Bool(False).tag(sync=True)
    scene = traitlets.Dict().tag(sync=True)  # mlelab.scene.scene(...), or {} when the data cannot be fitted
    message = traitlets.Unicode("").tag(sync=True)  # why the data cannot be fitted, in plain text
    params = traitlets.List(traitlets.Float()).tag(sync=True)  # the sliders' values; the browser sets them
    answer = traitlets.Dict().tag(sync=True)  # empty until "show the MLE": mle, best_log_likelihood, wald

    def __init__(
        self,
        data: np.ndarray,
        feature_name: str,
        height: int,
        width: int,
        family: str,
        true_params: Params | None,
        seed: int | None,
    ) -> None:
        self.original = data
        self.data = data
        self.true_params = true_params
        self.rng = np.random.default_rng(seed)
        super().__init__(
            feature_name=feature_name,
            height=int(height),
            width=int(width),
            family=family,
            sample_size=int(np.clip(round(data.size / 5) * 5, 5, 2000)),
            has_truth=true_params is not None,
        )
        self._build()
        self.observe(lambda _: self._build(), names="family")
        self.on_msg(self._on_message)

    @property
    def family_spec(self) -> Family:
        """The current family's definition in :data:`mlelab.FAMILIES`."""
        return FAMILIES[self.family]

    @property
    def revealed(self) -> bool:
        """Whether the learner has pressed "show the MLE" for the current data and family."""
        return bool(self.answer)

    @property
    def fit(self) -> Fit:
        """ℓ at the sliders' parameters, per observation and at the MLE, from :mod:`mlelab.likelihood`."""
        return fit_summary(self.family_spec, self.data, tuple(self.params))

    def set_params(self, params: Params) -> None:
        """Move the sliders to ``params``, clipped to their ranges; the browser redraws once."""
        specs = self.scene.get("sliders", [])
        self.params = [clip(spec, float(value)) for spec, value in zip(specs, params, strict=True)]

    def show_the_mle(self) -> None:
        """Reveal the MLE, ℓ(MLE), the gap and the Wald interval, and move the sliders there: one message."""
        if not self.scene:
            return
        with self.hold_sync():
            self.answer = answer(self.family_spec, self.data)
            self.set_params(self.answer["mle"])

    def show_the_truth(self) -> None:
        """Move the sliders to the parameters the data were simulated from, when they are known."""
        if self.scene and self.true_params is not None:
            self.set_params(self.true_params)

    def resample(self, n: int | None = None) -> None:
        """Draw ``n`` new observations from the truth (or, without one, from the MLE of the learner's data)."""
        if not self.scene:
            return
        size = int(np.clip(self.sample_size if n is None else n, 5, 2000))
        source = self.true_params if self.true_params is not None else self.family_spec.mle(self.original)
        self.sample_size = size
        self._use(self.family_spec.sample(self.rng, size, source))

    def use_my_data(self) -> None:
        """Go back to the data the widget was opened with."""
        self._use(self.original)

    def _use(self, data: np.ndarray) -> None:
        self.data = data
        self._build()

    def _on_message(self, _: object, content: Any, buffers: object) -> None:
        """Buttons pressed in the browser; anything else is ignored."""
        event = content.get("event") if isinstance(content, dict) else None
        if event == "show_mle":
            self.show_the_mle()
        elif event == "show_truth":
            self.show_the_truth()
        elif event == "resample":
            n = content.get("n")
            self.resample(n if isinstance(n, int) and not isinstance(n, bool) else None)
        elif event == "restore":
            self.use_my_data()

    def _build(self) -> None:
        """A new exercise: check the data against the family, send its scene and start, hide the answer."""
        with self.hold_sync():
            self.n = int(self.data.size)
            self.answer = {}
            try:
                clean_data(self.data, self.family_spec)
            except ValueError as error:
                self.message = f"Cannot fit: {error}."
                self.scene, self.params = {}, []
                return
            self.message = ""
            if os.environ.get(DRAW_VARIABLE) == "0":  # the course's grader: nothing is graded on the widget
                self.scene, self.params = {}, []
                return
            self.scene = scene(self.family_spec, self.data, self.true_params)
            self.params = list(self.scene["start"])


def _message(text: str) -> widgets.HTML:
    return widgets.HTML(f'<div style="color:#b00020">{html.escape(text)}</div>')


def run_mle_widget(
    data: ArrayLike,
    feature_name: str = "x",
    height: int = 600,
    width: int = 1500,
    *,
    family: str = "Normal",
    true_params: Params | None = None,
    seed: int | None = None,
) -> widgets.DOMWidget:
    """An interactive fit of a distribution to ``data`` by eye; its best fit is the MLE.

    Sliders set the parameters (positive ones on a log scale, so they stay in
    their space); the left plot shows the data, the model and each
    observation's log-density, the right one the log-likelihood over the
    parameters; the readout shows ℓ and ℓ per observation. "show the MLE"
    reveals the MLE, ℓ there, the gap and a 95% Wald interval.

    Parameters
    ----------
    data : array-like of shape (n,)
        Observations, finite, at least one.
    feature_name : str, default="x"
        What the data measure, for the title and the axis.
    height, width : int, default=600, 1500
        Size of the widget in pixels.
    family : str, default="Normal"
        One of ``mlelab.FAMILIES``: Normal, exponential, Poisson, Bernoulli, uniform U(0, θ), Laplace, gamma.
    true_params : tuple of float, optional
        The parameters the data were simulated from, for "show the truth" and resampling.
    seed : int, optional
        Seed of the resampling generator.

    Returns
    -------
    MLEWidget or ipywidgets.HTML
        The widget; Jupyter displays it when it is the cell's last value. For
        data it cannot use, a message saying what to fix.
    """
    try:
        x = clean_data(data)
    except ValueError as error:
        return _message(f"Cannot fit this data: {error}.")
    if family not in FAMILIES:
        return _message(f"Unknown family {family!r}: choose one of {', '.join(FAMILIES)}.")
    if not (isinstance(height, int) and isinstance(width, int) and 100 <= height <= 5000 and 200 <= width <= 10000):
        return _message(f"height and width must be whole numbers of pixels, got height={height!r}, width={width!r}.")
    return MLEWidget(x, feature_name, height, width, family, None if true_params is None else tuple(true_params), seed)
