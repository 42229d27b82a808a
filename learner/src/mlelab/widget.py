"""The MLE widget: choose a family, move its parameters, watch the fit and the log-likelihood respond.

All numbers come from :mod:`mlelab.likelihood`; this module only draws.
"""

import functools
import io
import os
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib import cm
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from mlelab.families import FAMILIES, Family, Params, clean_data
from mlelab.grading import DRAW_VARIABLE
from mlelab.likelihood import fit_summary, profile, surface, wald_interval

_DPI = 100


def _spread(x: np.ndarray) -> float:
    return float(np.std(x)) if np.std(x) > 0 else max(1.0, abs(float(np.mean(x))) * 0.1)


def _slider(parameter, value: float, x: np.ndarray, estimate: float) -> widgets.Widget:
    """A slider that cannot leave the parameter space: log-scaled for positive parameters."""
    layout = widgets.Layout(width="98%")
    style = {"description_width": "30px"}
    if parameter.closed:  # p in [0, 1]
        return widgets.FloatSlider(
            value=value,
            min=0.0,
            max=1.0,
            step=0.001,
            description=parameter.symbol,
            readout_format=".3f",
            layout=layout,
            style=style,
        )
    if parameter.log_scale:
        centre = np.log10(estimate)
        return widgets.FloatLogSlider(
            value=value,
            base=10,
            min=centre - 1.3,
            max=centre + 1.3,
            step=0.001,
            description=parameter.symbol,
            readout_format=".4g",
            layout=layout,
            style=style,
        )
    step = 10 ** np.floor(np.log10(_spread(x) / 50))  # a round step, and bounds on its grid
    return widgets.FloatSlider(
        value=value,
        min=float(np.floor((x.min() - 2 * _spread(x)) / step) * step),
        max=float(np.ceil((x.max() + 2 * _spread(x)) / step) * step),
        step=float(step),
        description=parameter.symbol,
        readout_format=".4g",
        layout=layout,
        style=style,
    )


class MLEWidget(widgets.VBox):
    """The widget returned by :func:`run_mle_widget`; its parts are attributes, for tests and notebooks."""

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
        self.feature_name = feature_name
        self.height, self.width = height, width
        self.true_params = true_params
        self.rng = np.random.default_rng(seed)
        self.title = widgets.HTML()
        self.family_picker = widgets.Dropdown(options=list(FAMILIES), value=family, description="family")
        self.show_mle = widgets.Button(description="show the MLE", button_style="success", icon="bullseye")
        self.show_truth = widgets.Button(description="show the truth", icon="eye", disabled=true_params is None)
        self.sample_size = widgets.IntSlider(
            value=data.size, min=5, max=2000, step=5, description="n", continuous_update=False
        )
        self.resample = widgets.Button(
            description="resample",
            icon="refresh",
            tooltip="draw a new sample of size n from the truth (or from the fitted model)",
        )
        self.restore = widgets.Button(description="my data", icon="undo")
        self.message = widgets.HTML()
        self.readout = widgets.HTML()
        self.sliders: list[widgets.Widget] = []
        self.slider_box = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.plot = widgets.Image(format="png", layout=widgets.Layout(width="100%"))
        self.family_picker.observe(lambda _: self._build(), names="value")
        self.show_mle.on_click(lambda _: self.set_params(self.family.mle(self.data)))
        self.show_truth.on_click(lambda _: self.set_params(self.true_params) if self.true_params else None)
        self.resample.on_click(lambda _: self._resample())
        self.restore.on_click(lambda _: self._use(self.original))
        buttons = widgets.HBox([self.family_picker, self.show_mle, self.show_truth])
        sampling = widgets.HBox([self.sample_size, self.resample, self.restore])
        super().__init__(
            [self.title, buttons, self.slider_box, sampling, self.message, self.readout, self.plot],
            layout=widgets.Layout(width=f"{width}px", max_width="100%"),
        )
        self._build()

    @property
    def family(self) -> Family:
        return FAMILIES[self.family_picker.value]

    @property
    def params(self) -> Params:
        return tuple(float(slider.value) for slider in self.sliders)

    def set_params(self, params: Params) -> None:
        """Move the sliders to ``params`` (clipped to their ranges) and redraw once."""
        for slider, value in zip(self.sliders, params, strict=True):
            low, high = _bounds(slider)
            slider.unobserve(self._on_slide, names="value")
            slider.value = float(np.clip(value, low, high))
            slider.observe(self._on_slide, names="value")
        self.redraw()

    def _on_slide(self, _: object) -> None:
        self.redraw()

    def _use(self, data: np.ndarray) -> None:
        self.data = data
        self._build()

    def _resample(self) -> None:
        source = self.true_params if self.true_params is not None else self.family.mle(self.original)
        self._use(self.family.sample(self.rng, self.sample_size.value, source))

    def _build(self) -> None:
        """Check the data against the family and make its sliders, starting away from the MLE."""
        self.title.value = (
            '<div style="background:#1e1e1e;color:white;padding:10px 14px;border-radius:8px;font-size:18px">'
            f"Fit a <b>{self.family.name}</b> distribution to <b>{self.feature_name}</b> "
            f"({self.data.size} observations)</div>"
        )
        try:
            clean_data(self.data, self.family)
        except ValueError as error:
            self.message.value = f'<div style="color:#b00020;font-size:15px"><b>Cannot fit:</b> {error}.</div>'
            self.sliders = []
            self.slider_box.children = []
            self.readout.value = ""
            self.plot.value = b""
            return
        self.message.value = ""
        mle = self.family.mle(self.data)
        start = [0.8 * value if value != 0 else 0.5 for value in mle]
        if self.family.name == "Bernoulli":
            start = [min(max(mle[0] + 0.2 if mle[0] < 0.5 else mle[0] - 0.2, 0.0), 1.0)]
        if self.family.parameters[0].symbol in ("μ", "m"):
            start[0] = mle[0] - _spread(self.data)
        self.sliders = [
            _slider(parameter, value, self.data, estimate if estimate > 0 else 1.0)
            for parameter, value, estimate in zip(self.family.parameters, start, mle, strict=True)
        ]
        for slider in self.sliders:
            slider.observe(self._on_slide, names="value")
        self.slider_box.children = self.sliders
        self.redraw()

    def redraw(self) -> None:
        """Readout and plots for the current parameters."""
        if os.environ.get(DRAW_VARIABLE) == "0":  # the course's grader: nothing is graded on the widget
            return
        fit = fit_summary(self.family, self.data, self.params)
        self.readout.value = _readout_html(fit)
        buffer = io.BytesIO()
        _figure(self, fit).savefig(buffer, format="png")  # a PNG in an Image widget: no backend, no flicker
        self.plot.value = buffer.getvalue()


def _bounds(slider: widgets.Widget) -> tuple[float, float]:
    """A slider's range in parameter units (a log slider stores exponents)."""
    if isinstance(slider, widgets.FloatLogSlider):
        return slider.base**slider.min, slider.base**slider.max
    return slider.min, slider.max


def _format(value: float) -> str:
    return f"{value:.4f}" if np.isfinite(value) else ("-∞" if value < 0 else "∞")


def _readout_html(fit) -> str:
    hue = int(220 - 220 * fit.closeness)  # blue (far) to red (at the maximum)
    params = ", ".join(f"{value!r}" for value in fit.params)
    return (
        f'<div class="mle-readout" data-params="{params}" style="font-family:monospace;font-size:15px;'
        f'padding:8px;border-left:10px solid hsl({hue},85%,50%)">'
        f'log-likelihood ℓ = <b class="mle-loglik" data-value="{fit.log_likelihood!r}">'
        f"{_format(fit.log_likelihood)}</b>"
        f"<br>per observation = {_format(fit.mean_log_likelihood)}"
        f"<br>maximum ℓ(MLE) = {_format(fit.best_log_likelihood)}, "
        f'gap = <span class="mle-gap">{_format(fit.gap_to_best)}</span></div>'
    )


def _figure(view: MLEWidget, fit) -> Figure:
    """Left: data, model and each observation's log-density; right: ℓ over the parameters."""
    family, x = view.family, view.data
    figure = Figure(figsize=(view.width / _DPI, 0.85 * view.height / _DPI), dpi=_DPI, layout="constrained")
    left, right = figure.subplots(1, 2, width_ratios=(3, 2))
    with np.errstate(divide="ignore"):
        contributions = family.logpdf(x, *fit.params)
    if family.discrete:
        values, counts = np.unique(x, return_counts=True)
        left.bar(values, counts / x.size, color="#9ecae1", width=0.8, label="data (proportions)")
        support = np.arange(0, max(values.max() * 1.5, 2) + 1)
        left.plot(support, np.exp(family.logpdf(support, *fit.params)), "o", color="#d62728", label="model mass")
    else:
        left.hist(x, bins="auto", density=True, color="#9ecae1", edgecolor="white", label="data")
        spread = _spread(x)
        grid = np.linspace(x.min() - spread, x.max() + spread, 400)
        with np.errstate(divide="ignore"):
            left.plot(grid, np.exp(family.logpdf(grid, *fit.params)), color="#d62728", lw=2.5, label="model density")
    finite = np.isfinite(contributions)
    norm = Normalize(
        vmin=np.min(contributions[finite]) if finite.any() else -1,
        vmax=np.max(contributions[finite]) if finite.any() else 0,
    )
    colours = [cm.viridis(norm(c)) if np.isfinite(c) else (0.8, 0, 0, 1) for c in contributions]
    left.scatter(x, np.zeros_like(x), marker="|", s=400, c=colours, label="each xᵢ, coloured by log f(xᵢ)")
    left.set(xlabel=view.feature_name, ylabel="density" if not family.discrete else "probability")
    left.legend(loc="upper right", fontsize=9)
    _draw_likelihood(right, family, x, fit, view.true_params)
    return figure


def _draw_likelihood(ax: Any, family: Family, x: np.ndarray, fit, true_params: Params | None) -> None:
    mle = fit.mle
    if len(family.parameters) == 1:
        parameter = family.parameters[0]
        low, high = (0.001, 0.999) if parameter.closed else (mle[0] / 3, mle[0] * 3)
        grid = np.linspace(low, high, 400) if parameter.closed else np.geomspace(low, high, 400)
        values = profile(family, x, 0, grid, fit.params)
        finite = np.isfinite(values)
        ax.plot(grid[finite], values[finite], color="C0")
        if not finite.all():  # the uniform below max(x)
            ax.axvspan(
                grid[0],
                grid[finite][0] if finite.any() else grid[-1],
                color="C3",
                alpha=0.12,
                label="ℓ = -∞: some xᵢ impossible",
            )
        ax.axvline(mle[0], color="C3", linestyle="--", label=f"MLE {mle[0]:.4g}")
        ax.axvline(fit.params[0], color="black", label=f"you {fit.params[0]:.4g}")
        interval = wald_interval(family, x)
        if interval is not None:
            ax.axvspan(*interval, color="C2", alpha=0.15, label="95% Wald interval")
        if true_params is not None:
            ax.axvline(true_params[0], color="grey", linestyle=":", label=f"truth {true_params[0]:.4g}")
        ax.set(xlabel=parameter.symbol, ylabel="log-likelihood ℓ", xscale="linear" if parameter.closed else "log")
        ax.legend(fontsize=9)
        return
    first, second, values = _landscape(family, x)
    best = np.max(values[np.isfinite(values)])
    ax.contourf(first, second, np.maximum(values, best - 60), levels=30, cmap="viridis")
    ax.contour(first, second, values, levels=best - np.array([20.0, 10, 5, 2, 1, 0.5]), colors="white", linewidths=0.6)
    ax.plot(*mle, "*", color="C3", markersize=16, label="MLE")
    ax.plot(*fit.params, "o", color="white", markeredgecolor="black", markersize=9, label="you")
    interval = wald_interval(family, x)
    if interval is not None:
        ax.plot(
            interval,
            [mle[1], mle[1]],
            color="C3",
            lw=3,
            alpha=0.7,
            label=f"95% Wald interval for {family.parameters[0].symbol}",
        )
    if true_params is not None:
        ax.plot(*true_params, "x", color="white", markersize=10, label="truth")
    ax.set(
        xlabel=family.parameters[0].symbol,
        ylabel=family.parameters[1].symbol,
        yscale="log",
        title="ℓ over both parameters (brighter = higher)",
    )
    ax.legend(fontsize=9, loc="upper right")


@functools.lru_cache(maxsize=8)
def _cached_landscape(family_name: str, data: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    family, x = FAMILIES[family_name], np.frombuffer(data)
    mle = family.mle(x)
    if family.parameters[0].log_scale:
        first = np.geomspace(mle[0] / 3, mle[0] * 3, 120)
    else:
        half = 2 * _spread(x)
        first = np.linspace(mle[0] - half, mle[0] + half, 120)
    second = np.geomspace(mle[1] / 3, mle[1] * 3, 120)
    return first, second, surface(family, x, first, second)


def _landscape(family: Family, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ℓ on a grid around the MLE, computed once per data set and family."""
    return _cached_landscape(family.name, np.ascontiguousarray(x, dtype=float).tobytes())


def run_mle_widget(
    data: ArrayLike,
    feature_name: str = "x",
    height: int = 600,
    width: int = 1500,
    *,
    family: str = "Normal",
    true_params: Params | None = None,
    seed: int | None = None,
) -> widgets.VBox:
    """An interactive fit of a distribution to ``data`` by eye; its best fit is the MLE.

    Sliders set the parameters (positive ones on a log scale, so they stay in
    their space); the left plot shows the data, the model and each
    observation's log-density, the right one the log-likelihood over the
    parameters with the MLE and a 95% Wald interval; the readout shows ℓ,
    ℓ per observation and the gap to the maximum.

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
    ipywidgets.VBox
        The widget; Jupyter displays it when it is the cell's last value. For
        data it cannot use, a message saying what to fix.
    """
    try:
        x = clean_data(data)
    except ValueError as error:
        return widgets.VBox([widgets.HTML(f'<div style="color:#b00020"><b>Cannot fit this data:</b> {error}.</div>')])
    if family not in FAMILIES:
        return widgets.VBox([widgets.HTML(f"<b>Unknown family {family!r}</b>: choose one of {', '.join(FAMILIES)}.")])
    return MLEWidget(x, feature_name, height, width, family, None if true_params is None else tuple(true_params), seed)
