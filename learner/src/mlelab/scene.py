"""What the browser needs to draw one data set under one family, computed once by :mod:`mlelab.likelihood`.

The widget's JavaScript redraws every frame from this scene: slider ranges,
the histogram, the log-likelihood over a grid spanning every slider's whole
range (so the "you" marker is always inside it), and the window shown
first. The MLE itself is not in the scene: it reaches the browser only when
the learner presses "show the MLE" (:func:`answer`).
"""

from typing import Any

import numpy as np

from mlelab.families import Family, Params
from mlelab.likelihood import fit_summary, profile, surface, wald_interval

PROFILE_POINTS = 600  # ℓ along the one parameter of a one-parameter family
LANDSCAPE_POINTS = 120  # ℓ on a LANDSCAPE_POINTS² grid for two-parameter families
_CHUNK = 4_000_000  # log-densities evaluated at once while filling the landscape (bounds memory at n = 2000)


def spread(x: np.ndarray) -> float:
    """A scale of the data: their standard deviation, or a tenth of their size when they are all equal."""
    return float(np.std(x)) if np.std(x) > 0 else max(1.0, abs(float(np.mean(x))) * 0.1)


def slider_spec(family: Family, index: int, x: np.ndarray, estimate: float) -> dict[str, Any]:
    """A slider that cannot leave the parameter space; a log slider's min, max and step are powers of ten."""
    parameter = family.parameters[index]
    if parameter.closed:  # p in [0, 1]
        return {"symbol": parameter.symbol, "min": 0.0, "max": 1.0, "step": 0.001, "log": False}
    if parameter.log_scale:
        centre = round(float(np.log10(estimate if estimate > 0 else 1.0)), 3)
        return {"symbol": parameter.symbol, "min": centre - 1.3, "max": centre + 1.3, "step": 0.001, "log": True}
    step = float(10 ** np.floor(np.log10(spread(x) / 50)))  # a round step, and bounds on its grid
    low = float(np.floor((x.min() - 2 * spread(x)) / step) * step)
    high = float(np.ceil((x.max() + 2 * spread(x)) / step) * step)
    return {"symbol": parameter.symbol, "min": low, "max": high, "step": step, "log": False}


def clip(spec: dict[str, Any], value: float) -> float:
    """``value`` clipped to a slider's range (a log slider's range is in powers of ten)."""
    low, high = (10 ** spec["min"], 10 ** spec["max"]) if spec["log"] else (spec["min"], spec["max"])
    return float(np.clip(value, low, high))


def to_slider(spec: dict[str, Any], value: float) -> float:
    """The value a slider shows for ``value``: clipped to its range and on its grid, as a learner can set it."""
    position = np.log10(clip(spec, value)) if spec["log"] else clip(spec, value)
    position = spec["min"] + round((position - spec["min"]) / spec["step"]) * spec["step"]
    position = float(f"{np.clip(position, spec['min'], spec['max']):.12g}")  # 102.6, not 102.60000000000001
    return float(10**position) if spec["log"] else position


def axis(spec: dict[str, Any], points: int) -> np.ndarray:
    """Points spanning a slider's whole range, evenly spaced on the slider's own scale."""
    if spec["log"]:
        return np.logspace(spec["min"], spec["max"], points)
    low, high = spec["min"], spec["max"]
    if spec["symbol"] == "p":  # ℓ is -inf at p = 0 or 1 for most data: stay just inside
        low, high = 0.0005, 0.9995
    return np.linspace(low, high, points)


def starting_params(family: Family, x: np.ndarray, mle: Params) -> list[float]:
    """Where the sliders start: visibly away from the MLE, so that there is something to fit."""
    start = [0.8 * value if value != 0 else 0.5 for value in mle]
    if family.name == "Bernoulli":
        start = [min(max(mle[0] + 0.2 if mle[0] < 0.5 else mle[0] - 0.2, 0.0), 1.0)]
    if family.parameters[0].symbol in ("μ", "m"):
        start[0] = mle[0] - spread(x)
    return start


def _default_window(family: Family, index: int, x: np.ndarray, mle: Params, spec: dict[str, Any]) -> list[float]:
    """The part of a parameter's range shown first, around the MLE (the browser widens it to include "you")."""
    if spec["symbol"] == "p":
        return [0.0, 1.0]
    if spec["log"]:
        low, high = mle[index] / 3, mle[index] * 3
    else:
        low, high = mle[index] - 2 * spread(x), mle[index] + 2 * spread(x)
    return [
        max(low, 10 ** spec["min"] if spec["log"] else spec["min"]),
        min(high, 10 ** spec["max"] if spec["log"] else spec["max"]),
    ]


def landscape(family: Family, x: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """:func:`mlelab.likelihood.surface` in row blocks, so that n = 2000 never holds 30 M values at once."""
    rows = max(1, _CHUNK // max(1, first.size * x.size))
    blocks = [surface(family, x, first, second[start : start + rows]) for start in range(0, second.size, rows)]
    return np.vstack(blocks)


def _histogram(family: Family, x: np.ndarray) -> dict[str, Any]:
    if family.discrete:
        values, counts = np.unique(x, return_counts=True)
        return {"values": values.tolist(), "heights": (counts / x.size).tolist()}
    heights, edges = np.histogram(x, bins="auto", density=True)
    return {"edges": edges.tolist(), "heights": heights.tolist()}


def scene(family: Family, x: np.ndarray, true_params: Params | None = None) -> dict[str, Any]:
    """Everything the browser draws for ``x`` under ``family``, except the answer; numbers as float64 bytes."""
    mle = family.mle(x)
    specs = [slider_spec(family, i, x, estimate if estimate > 0 else 1.0) for i, estimate in enumerate(mle)]
    axes = [axis(spec, PROFILE_POINTS if len(specs) == 1 else LANDSCAPE_POINTS) for spec in specs]
    if len(specs) == 1:
        values = profile(family, x, 0, axes[0], mle)
    else:
        values = landscape(family, x, axes[0], axes[1])
    return {
        "family": family.name,
        "symbols": [parameter.symbol for parameter in family.parameters],
        "discrete": family.discrete,
        "sliders": specs,
        "start": [to_slider(spec, value) for spec, value in zip(specs, starting_params(family, x, mle), strict=True)],
        "x": np.ascontiguousarray(x, dtype="<f8").tobytes(),
        "spread": spread(x),
        "histogram": _histogram(family, x),
        "axes": [np.ascontiguousarray(a, dtype="<f8").tobytes() for a in axes],
        "values": np.ascontiguousarray(values, dtype="<f8").tobytes(),  # row-major (second, first) for two
        "window": [_default_window(family, i, x, mle, spec) for i, spec in enumerate(specs)],
        "truth": None if true_params is None else [float(v) for v in true_params],
    }


def answer(family: Family, x: np.ndarray) -> dict[str, Any]:
    """What "show the MLE" reveals: the MLE, ℓ there, and the 95% Wald interval of the first parameter."""
    mle = family.mle(x)
    fit = fit_summary(family, x, mle)
    interval = wald_interval(family, x)
    return {
        "mle": [float(v) for v in mle],
        "best_log_likelihood": fit.best_log_likelihood,
        "wald": None if interval is None else [float(v) for v in interval],
    }
