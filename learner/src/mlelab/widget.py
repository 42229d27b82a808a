"""The MLE widget: move mu and sigma, watch the fit and the log-likelihood respond."""

import ipywidgets as widgets
import numpy as np
from IPython.display import display
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from scipy import stats

from mlelab.likelihood import clean_data, normal_fit_summary

_DPI = 100


def _readout(data: np.ndarray, mu: float, sigma: float) -> str:
    fit = normal_fit_summary(data, mu, sigma)
    closeness = float(np.exp(-fit.gap_to_best / max(1.0, data.size / 10)))  # 1 at the MLE
    hue = int(220 - 220 * closeness)  # blue (far) to red (at the maximum)
    return (
        f'<div class="mle-readout" style="font-family:monospace;font-size:15px;padding:8px;'
        f'border-left:8px solid hsl({hue},80%,50%)">'
        f'log-likelihood ℓ(μ, σ) = <b class="mle-loglik">{fit.log_likelihood:.4f}</b><br>'
        f"per observation = {fit.mean_log_likelihood:.4f}<br>"
        f"gap to the maximum ℓ(μ̂, σ̂) = {fit.gap_to_best:.4f}</div>"
    )


def run_mle_widget(data: ArrayLike, feature_name: str = "x", height: int = 600, width: int = 1500) -> widgets.VBox:
    """An interactive fit of a Normal distribution to ``data`` by eye.

    Sliders set mu and sigma (sigma on a log scale, so it stays positive); the
    histogram shows the density at those values and the readout shows the
    log-likelihood, which is largest at the MLE (the "show the MLE" button).

    Parameters
    ----------
    data : array-like of shape (n,)
        Observations, finite, at least one.
    feature_name : str, default="x"
        What the data measure, for the title and the axis.
    height, width : int, default=600, 1500
        Size of the plot in pixels.

    Returns
    -------
    ipywidgets.VBox
        The widget; Jupyter displays it when it is the cell's last value.
    """
    try:
        x = clean_data(data)
    except ValueError as error:
        return widgets.VBox([widgets.HTML(f"<b>Cannot fit this data:</b> {error}")])
    mu_hat, sigma_hat = float(np.mean(x)), float(np.std(x))
    spread = sigma_hat if sigma_hat > 0 else max(1.0, abs(mu_hat) * 0.1)
    mu_slider = widgets.FloatSlider(
        value=mu_hat - spread,
        min=float(x.min()) - 2 * spread,
        max=float(x.max()) + 2 * spread,
        step=spread / 100,
        description="μ",
        continuous_update=True,
        readout_format=".2f",
        layout=widgets.Layout(width="95%"),
    )
    sigma_slider = widgets.FloatLogSlider(
        value=spread * 1.8,
        base=10,
        min=np.log10(spread / 20),
        max=np.log10(spread * 20),
        step=0.005,
        description="σ",
        readout_format=".3g",
        layout=widgets.Layout(width="95%"),
    )
    show_mle = widgets.Button(description="show the MLE", button_style="success", icon="bullseye")
    readout = widgets.HTML()
    plot = widgets.Output(layout=widgets.Layout(height=f"{height}px"))
    grid = np.linspace(mu_slider.min, mu_slider.max, 400)

    def redraw(*_: object) -> None:
        mu, sigma = mu_slider.value, sigma_slider.value
        readout.value = _readout(x, mu, sigma)
        fig = Figure(figsize=(width / _DPI, 0.8 * height / _DPI), dpi=_DPI)  # no pyplot: no global state
        ax = fig.subplots()
        ax.hist(x, bins="auto", density=True, color="#9ecae1", edgecolor="white", label="data")
        ax.plot(grid, stats.norm.pdf(grid, mu, sigma), color="#d62728", lw=2.5, label=f"N({mu:.2f}, {sigma:.2f}²)")
        ax.plot(x, np.zeros_like(x), "|", color="#08306b", markersize=18)
        ax.set_xlabel(feature_name)
        ax.set_ylabel("density")
        ax.legend(loc="upper right")
        plot.clear_output(wait=True)
        with plot:
            display(fig)

    def snap_to_mle(_: object) -> None:
        with mu_slider.hold_trait_notifications(), sigma_slider.hold_trait_notifications():
            mu_slider.value, sigma_slider.value = mu_hat, spread
        redraw()

    mu_slider.observe(redraw, names="value")
    sigma_slider.observe(redraw, names="value")
    show_mle.on_click(snap_to_mle)
    redraw()
    title = widgets.HTML(
        f'<div style="background:#1e1e1e;color:white;padding:12px;border-radius:8px;font-size:18px">'
        f"Fit a Normal distribution to <b>{feature_name}</b> ({x.size} observations)</div>"
    )
    controls = widgets.VBox([mu_slider, sigma_slider, show_mle, readout], layout=widgets.Layout(width="100%"))
    return widgets.VBox([title, controls, plot], layout=widgets.Layout(width=f"{width}px", max_width="100%"))
