"""The MLE widget: choose a family, move its parameters, watch the fit and the log-likelihood follow the hand.

The browser draws (``widget.js``, shipped in this package: no network, no
CDN); the kernel computes, with :mod:`mlelab.likelihood`, what each data set
and family need (:mod:`mlelab.scene`) and, only when the learner presses
"show the MLE", the answer. A slider move is drawn in the browser in the same
frame as the slider and the readout, so the three always agree.

Whatever the browser sends is handled here, and nothing fails silently: an
error in a button's or a trait's handler is caught and shown in the widget's
message line, and the widget stays usable. The truth belongs to the family it
was given for; under any other family "show the truth" is off and the message
line says why, and "resample" draws from that family's fit to the learner's data.
"""

import html
import logging
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
_LOG = logging.getLogger(__name__)
_HIDDEN_AGAIN = "the answer is hidden again: press show the MLE to see this sample's MLE"


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
    has_truth = traitlets.Bool(False).tag(sync=True)  # whether "show the truth" works for the current family
    truth_reason = traitlets.Unicode("").tag(sync=True)  # why it does not, for the button's tooltip
    scene = traitlets.Dict().tag(sync=True)  # mlelab.scene.scene(...), or {} when the data cannot be fitted
    message = traitlets.Unicode("").tag(sync=True)  # the message line, in plain text
    message_kind = traitlets.Unicode("note").tag(sync=True)  # "note" (what just happened) or "error"
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
        self.truth_family = family  # the truth belongs to the family it was given for, and to no other
        self.rng = np.random.default_rng(seed)
        super().__init__(
            feature_name=feature_name,
            height=int(height),
            width=int(width),
            family=family,
            sample_size=int(np.clip(round(data.size / 5) * 5, 5, 2000)),
        )
        self._build()
        self.observe(self._on_family, names="family")
        self.on_msg(self._on_message)

    @traitlets.validate("family")
    def _known_family(self, proposal: dict[str, Any]) -> str:
        if proposal["value"] not in FAMILIES:
            raise traitlets.TraitError(f"Unknown family {proposal['value']!r}: choose one of {', '.join(FAMILIES)}")
        return proposal["value"]

    @property
    def family_spec(self) -> Family:
        """The current family's definition in :data:`mlelab.FAMILIES`."""
        return FAMILIES[self.family]

    @property
    def revealed(self) -> bool:
        """Whether the learner has pressed "show the MLE" for the current data and family."""
        return bool(self.answer)

    @property
    def truth(self) -> Params | None:
        """The parameters the data were simulated from, when known and the current family is theirs."""
        return self.true_params if self.family == self.truth_family else None

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
            if not self.message:  # "Cannot fit: ..." already says why
                self.say("Nothing to show: the widget draws nothing here.", "error")
            return
        with self.hold_sync():
            self.answer = answer(self.family_spec, self.data)
            self.set_params(self.answer["mle"])
            if self.message_kind == "note":
                self.say("")

    def show_the_truth(self) -> None:
        """Move the sliders to the parameters the data were simulated from; where unknown, say why not."""
        if self.truth is None:
            self.say(self.truth_reason or "No truth to show.", "note")
        elif self.scene:
            self.set_params(self.truth)

    def resample(self, n: int | None = None) -> None:
        """Draw ``n`` new observations from the truth, or from the current family's fit to the learner's data.

        The answer is hidden again (a new sample is a new exercise) and the message
        line says so, and says what the sample was drawn from; where the current
        family cannot fit the learner's data, it says why nothing was drawn.
        """
        size = int(np.clip(self.sample_size if n is None else n, 5, 2000))
        family = self.family_spec
        if self.truth is not None:
            source, origin = self.truth, "the truth"
        else:
            try:
                source, origin = family.mle(clean_data(self.original, family)), "its fit to your data"
            except ValueError as error:
                self.say(f"Cannot resample from the {family.name}: {error}.", "error")
                return
        self.sample_size = size
        self._use(family.sample(self.rng, size, source))
        if self.scene:
            drawn = ", ".join(f"{p.symbol} = {v:.4g}" for p, v in zip(family.parameters, source, strict=True))
            self.say(f"{size} new observations from the {family.name} with {drawn} ({origin}); {_HIDDEN_AGAIN}.")

    def use_my_data(self) -> None:
        """Go back to the data the widget was opened with."""
        self._use(self.original)

    def say(self, text: str, kind: str = "note") -> None:
        """Put ``text`` on the widget's message line: a "note" on what just happened, or an "error"."""
        with self.hold_sync():
            self.message, self.message_kind = text, kind

    def _use(self, data: np.ndarray) -> None:
        self.data = data
        self._build()

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Traits the browser set (family, sliders, n): an error is shown in the widget, never swallowed."""
        try:
            super().set_state(sync_data)
        except Exception as error:  # ipywidgets would only print it where the learner never looks
            self._report(error)

    def _report(self, error: Exception) -> None:
        """Show an error raised while handling the browser's message, and resend the state the kernel holds."""
        _LOG.warning("MLE widget: %s", error, exc_info=error)
        self.say(f"Something went wrong ({type(error).__name__}: {error}); the widget still works.", "error")
        self.send_state()  # the browser may hold a value the kernel refused: show the kernel's again

    def _on_family(self, _: object) -> None:
        try:
            self._build()
        except Exception as error:  # a family switch must never leave the widget stuck
            self.scene, self.params = {}, []
            self._report(error)

    def _on_message(self, _: object, content: Any, buffers: object) -> None:
        """Buttons pressed in the browser; anything else is ignored. An error is shown, never swallowed."""
        event = content.get("event") if isinstance(content, dict) else None
        try:
            if event == "show_mle":
                self.show_the_mle()
            elif event == "show_truth":
                self.show_the_truth()
            elif event == "resample":
                n = content.get("n")
                self.resample(n if isinstance(n, int) and not isinstance(n, bool) else None)
            elif event == "restore":
                self.use_my_data()
        except Exception as error:  # ipywidgets' dispatcher would only print it where the learner never looks
            self._report(error)

    def _truth_reason(self) -> str:
        if self.true_params is None:
            return "No truth to show: these are your data, not a simulation."
        if self.truth is None:
            given = ", ".join(
                f"{p.symbol} = {v:g}"
                for p, v in zip(FAMILIES[self.truth_family].parameters, self.true_params, strict=True)
            )
            return (
                f"The truth ({given}) was given for the {self.truth_family}, not the {self.family}: "
                f"show the truth is off, and resample draws from the {self.family}'s fit to your data."
            )
        return ""

    def _build(self) -> None:
        """A new exercise: check the data against the family, send its scene and start, hide the answer."""
        with self.hold_sync():
            self.n = int(self.data.size)
            self.answer = {}
            self.has_truth, self.truth_reason = self.truth is not None, self._truth_reason()
            try:
                clean_data(self.data, self.family_spec)
            except ValueError as error:
                self.say(f"Cannot fit: {error}.", "error")
                self.scene, self.params = {}, []
                return
            self.say(self.truth_reason if self.true_params is not None else "")
            if os.environ.get(DRAW_VARIABLE) == "0":  # the course's grader: nothing is graded on the widget
                self.scene, self.params = {}, []
                return
            self.scene = scene(self.family_spec, self.data, self.truth)
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
        The parameters the data were simulated from, one per parameter of ``family``, for "show the truth"
        and resampling. They belong to ``family``: after a switch to another family, "show the truth" is
        off and "resample" draws from that family's fit to ``data``.
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
    try:
        truth = None if true_params is None else checked_truth(FAMILIES[family], true_params)
    except ValueError as error:
        return _message(f"{error}.")
    return MLEWidget(x, feature_name, height, width, family, truth, seed)


def checked_truth(family: Family, true_params: object) -> Params:
    """``true_params`` as a tuple of floats, one per parameter of ``family`` and inside its space."""
    symbols = ", ".join(parameter.symbol for parameter in family.parameters)
    count = len(family.parameters)
    try:
        values = tuple(float(value) for value in true_params)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        raise ValueError(
            f"true_params must be numbers, one for each parameter of the {family.name} ({symbols}), got {true_params!r}"
        ) from None
    if len(values) != count:
        raise ValueError(
            f"true_params must hold {count} number{'s' * (count > 1)} for the {family.name} ({symbols}), "
            f"got {true_params!r}"
        )
    try:
        family.check_params(values)
    except ValueError as error:
        raise ValueError(f"true_params: {error}") from None
    return values
