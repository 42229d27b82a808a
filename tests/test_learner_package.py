"""The learner helper package: numbers that agree with the reference library, clear messages, no grader inside."""

import html
import json
import re
import shutil
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from mlelab import FAMILIES, fit_summary, normal_fit_summary, run_mle_widget, wald_interval
from mlelab.families import clean_data
from mlelab.likelihood import profile, surface
from mlelab.scene import scene
from scipy import stats

import solutions
from tests.conftest import ROOT

RNG = np.random.default_rng(601)
DATA = {
    "Normal": RNG.normal(120, 15, 40),
    "exponential": RNG.exponential(3.0, 50),
    "Poisson": RNG.poisson(3.2, 60).astype(float),
    "Bernoulli": RNG.binomial(1, 0.3, 45).astype(float),
    "uniform U(0, θ)": RNG.uniform(0, 5, 30),
    "Laplace": RNG.laplace(1.0, 2.0, 41),
    "gamma": RNG.gamma(2.5, 2.0, 80),
}
REFERENCE_LOG_LIKELIHOOD = {  # family -> (reference function, parameters to evaluate at)
    "Normal": (lambda x, p: solutions.normal_log_likelihood(x, *p), (110.0, 20.0)),
    "exponential": (lambda x, p: solutions.exponential_log_likelihood(x, *p), (0.5,)),
    "Poisson": (lambda x, p: solutions.poisson_log_likelihood(x, *p), (2.5,)),
    "Bernoulli": (lambda x, p: solutions.bernoulli_log_likelihood(x, *p), (0.25,)),
    "gamma": (lambda x, p: solutions.gamma_log_likelihood(x, *p), (2.0, 0.4)),
}
REFERENCE_MLE = {
    "Normal": solutions.normal_mle,
    "exponential": lambda x: (solutions.exponential_mle(x),),
    "Poisson": lambda x: (solutions.poisson_mle(x),),
    "Bernoulli": lambda x: (solutions.bernoulli_mle(x),),
    "uniform U(0, θ)": lambda x: (solutions.uniform_mle(x),),
    "Laplace": solutions.laplace_mle,
    "gamma": solutions.gamma_mle,
}


@pytest.mark.parametrize("name", sorted(REFERENCE_LOG_LIKELIHOOD))
def test_family_log_likelihood_is_the_reference_libraries(name):
    reference, params = REFERENCE_LOG_LIKELIHOOD[name]
    x = DATA[name]
    assert FAMILIES[name].log_likelihood(x, params) == pytest.approx(reference(x, params), rel=1e-10)


@pytest.mark.parametrize("name", sorted(REFERENCE_MLE))
def test_family_mle_is_the_reference_libraries(name):
    x = DATA[name]
    np.testing.assert_allclose(FAMILIES[name].mle(x), REFERENCE_MLE[name](x), rtol=1e-5)
    family = FAMILIES[name]
    assert family.log_likelihood(x, family.mle(x)) >= family.log_likelihood(x, REFERENCE_MLE[name](x)) - 1e-6


def test_uniform_log_likelihood_is_minus_infinity_below_the_maximum():
    x = DATA["uniform U(0, θ)"]
    family = FAMILIES["uniform U(0, θ)"]
    assert family.log_likelihood(x, (x.max() * 0.99,)) == -np.inf
    assert family.log_likelihood(x, (x.max(),)) == pytest.approx(-x.size * np.log(x.max()))


def test_profile_and_surface_match_pointwise_evaluation():
    family, x = FAMILIES["Normal"], DATA["Normal"]
    grid = np.array([100.0, 115.0, 130.0])
    np.testing.assert_allclose(
        profile(family, x, 0, grid, (0.0, 15.0)), [family.log_likelihood(x, (m, 15.0)) for m in grid]
    )
    values = surface(family, x, grid, np.array([10.0, 20.0]))
    assert values.shape == (2, 3)
    assert values[1, 2] == pytest.approx(family.log_likelihood(x, (130.0, 20.0)))


def test_wald_interval_from_observed_information_is_the_reference_for_the_normal_mean():
    x = DATA["Normal"]
    np.testing.assert_allclose(wald_interval(FAMILIES["Normal"], x), solutions.wald_interval_mu(x), rtol=1e-6)


def test_wald_interval_of_the_poisson_rate_is_rate_over_n():
    """Observed information of the Poisson at the MLE is n / lambda_hat: SE = sqrt(lambda_hat / n)."""
    x = DATA["Poisson"]
    half = stats.norm.ppf(0.975) * np.sqrt(x.mean() / x.size)
    np.testing.assert_allclose(wald_interval(FAMILIES["Poisson"], x), (x.mean() - half, x.mean() + half), rtol=1e-6)


def test_no_wald_interval_for_the_uniform_boundary():
    assert wald_interval(FAMILIES["uniform U(0, θ)"], DATA["uniform U(0, θ)"]) is None


def test_fit_summary_gap_is_zero_at_the_mle_and_positive_elsewhere():
    family, x = FAMILIES["gamma"], DATA["gamma"]
    assert fit_summary(family, x, family.mle(x)).gap_to_best == pytest.approx(0.0, abs=1e-9)
    assert fit_summary(family, x, (1.0, 1.0)).gap_to_best > 0


def test_normal_fit_summary_is_the_scipy_log_likelihood():
    x = DATA["Normal"]
    fit = normal_fit_summary(x, 110.0, 20.0)
    assert fit.log_likelihood == pytest.approx(np.sum(stats.norm.logpdf(x, 110.0, 20.0)), rel=1e-12)
    assert fit.mean_log_likelihood == pytest.approx(fit.log_likelihood / 40)


@pytest.mark.parametrize(
    ("data", "family", "message"),
    [
        ([], None, "data is empty"),
        ([1.0, np.nan], None, "data holds 1 NaN or infinite values"),
        (["a", "b"], None, "data must be numbers"),
        ([-1.0, 2.0], "exponential", "the exponential needs values ≥ 0"),
        ([0.5, 2.0], "Poisson", "the Poisson needs counts"),
        ([0, 2], "Bernoulli", "the Bernoulli needs 0/1 data"),
    ],
)
def test_bad_data_gets_a_message_that_says_what_to_fix(data, family, message):
    with pytest.raises(ValueError, match=message):
        clean_data(data, FAMILIES[family] if family else None)


@pytest.mark.parametrize(("name", "params", "symbol"), [("Normal", (0.0, -1.0), "σ"), ("Bernoulli", (1.5,), "p")])
def test_parameters_outside_their_space_are_named(name, params, symbol):
    with pytest.raises(ValueError, match=f"{symbol} must be in"):
        FAMILIES[name].log_likelihood(np.array([0.0, 1.0]), params)


def _family_cases() -> list[tuple[str, tuple[float, ...], np.ndarray]]:
    """Each family at parameters inside, and at the edges of, its space: data and points where it is -inf."""
    x = DATA
    return [
        ("Normal", (110.0, 20.0), x["Normal"]),
        ("Normal", (149.0, 0.7), x["Normal"]),
        ("exponential", (0.5,), np.concatenate([x["exponential"], [0.0]])),
        ("Poisson", (2.5,), np.concatenate([x["Poisson"], [0.0, 17.0, 1200.0]])),
        ("Bernoulli", (0.25,), x["Bernoulli"]),
        ("Bernoulli", (0.0,), x["Bernoulli"]),
        ("Bernoulli", (1.0,), np.ones(4)),
        ("uniform U(0, θ)", (4.0,), x["uniform U(0, θ)"]),
        ("uniform U(0, θ)", (x["uniform U(0, θ)"].max(),), x["uniform U(0, θ)"]),
        ("Laplace", (1.0, 2.0), x["Laplace"]),
        ("gamma", (2.0, 0.4), x["gamma"]),
        ("gamma", (0.3, 7.0), x["gamma"]),
        ("gamma", (250.0, 40.0), x["gamma"]),
    ]


def _node_log_likelihoods(cases) -> list[tuple[np.ndarray, float]]:
    """The browser's numbers: likelihood.js run by Node on the same cases (each value as text, -inf included)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node: `apt-get install nodejs` runs the widget's JavaScript outside the browser")
    module = (ROOT / "learner" / "src" / "mlelab" / "likelihood.js").as_uri()
    script = (
        f"import {{ logLikelihood }} from {json.dumps(module)};\n"
        "import { readFileSync } from 'node:fs';\n"
        "const cases = JSON.parse(readFileSync(0, 'utf8'));\n"
        "console.log(JSON.stringify(cases.map(([f, p, x]) => {\n"
        "  const r = logLikelihood(f, p, x); return [Array.from(r.each, String), String(r.total)]; })));\n"
    )
    payload = json.dumps([(name, list(params), x.tolist()) for name, params, x in cases])
    result = subprocess.run(
        [node, "--input-type=module", "-e", script], input=payload, capture_output=True, text=True, check=True
    )
    return [(np.array([float(v) for v in each]), float(total)) for each, total in json.loads(result.stdout)]


def _scipy_log_densities(name: str, params: tuple[float, ...], x: np.ndarray) -> np.ndarray:
    first, second = (*params, None)[:2]
    return {
        "Normal": lambda: stats.norm.logpdf(x, first, second),
        "exponential": lambda: stats.expon.logpdf(x, scale=1 / first),
        "Poisson": lambda: stats.poisson.logpmf(x, first),
        "Bernoulli": lambda: stats.bernoulli.logpmf(x, first),
        "uniform U(0, θ)": lambda: stats.uniform.logpdf(x, 0, first),
        "Laplace": lambda: stats.laplace.logpdf(x, first, second),
        "gamma": lambda: stats.gamma.logpdf(x, first, scale=1 / second),
    }[name]()


def test_the_browsers_log_densities_are_scipys():
    """What widget.js draws every frame (likelihood.js) equals scipy.stats, observation by observation."""
    cases = _family_cases()
    assert {name for name, _, _ in cases} == set(FAMILIES)
    for (name, params, x), (each, total) in zip(cases, _node_log_likelihoods(cases), strict=True):
        reference = _scipy_log_densities(name, params, x)
        np.testing.assert_allclose(each, reference, rtol=1e-12, atol=1e-12, err_msg=f"{name} at {params}")
        assert total == pytest.approx(FAMILIES[name].log_likelihood(x, params), rel=1e-12, abs=1e-12), name


def test_the_scene_landscape_is_the_log_likelihood_over_every_slider_position():
    """The grid spans each slider's whole range, so "you" is inside it wherever the sliders are (mu = 149 was not)."""
    x = _tempos()
    family = FAMILIES["Normal"]
    drawn = scene(family, x)
    first, second = (np.frombuffer(axis) for axis in drawn["axes"])
    mu_slider, sigma_slider = drawn["sliders"]
    assert (first[0], first[-1]) == pytest.approx((mu_slider["min"], mu_slider["max"]))
    assert (second[0], second[-1]) == pytest.approx((10 ** sigma_slider["min"], 10 ** sigma_slider["max"]))
    assert first[0] < 149 < first[-1]
    values = np.frombuffer(drawn["values"]).reshape(second.size, first.size)
    for i, j in [(0, 0), (17, 93), (second.size - 1, first.size - 1)]:
        assert values[i, j] == pytest.approx(np.sum(stats.norm.logpdf(x, first[j], second[i])), rel=1e-12)


def test_the_scene_profile_of_a_one_parameter_family_is_scipys():
    x = DATA["Poisson"]
    drawn = scene(FAMILIES["Poisson"], x)
    grid, values = np.frombuffer(drawn["axes"][0]), np.frombuffer(drawn["values"])
    rate_slider = drawn["sliders"][0]
    assert (grid[0], grid[-1]) == pytest.approx((10 ** rate_slider["min"], 10 ** rate_slider["max"]))
    expected = [np.sum(stats.poisson.logpmf(x, rate)) for rate in grid[::97]]
    np.testing.assert_allclose(values[::97], expected, rtol=1e-12)


def test_the_scene_does_not_hold_the_answer():
    """Before "show the MLE" the browser has no MLE, no l(MLE) and no Wald interval to show."""
    x = _tempos()
    drawn = scene(FAMILIES["Normal"], x)
    assert not {"mle", "best_log_likelihood", "wald"} & set(drawn)
    mu_hat, sigma_hat = solutions.normal_mle(x)
    assert abs(drawn["start"][0] - mu_hat) > np.std(x) / 2  # the sliders start visibly away from the MLE
    assert drawn["start"] == [pytest.approx(102.6), pytest.approx(sigma_hat * 0.8, rel=2e-3)]


def _tempos() -> np.ndarray:
    np.random.seed(42)  # noqa: NPY002 - the lesson's own data
    return np.random.normal(loc=120, scale=15, size=40)  # noqa: NPY002


def test_the_answer_is_hidden_until_show_the_mle_then_arrives_with_the_sliders():
    x = _tempos()
    widget = run_mle_widget(data=x, feature_name="Song Tempo (BPM)", height=600, width=1500)
    assert widget.answer == {} and not widget.revealed
    widget.set_params((125.0, 12.0))
    assert widget.params == [125.0, 12.0]
    assert widget.fit.log_likelihood == pytest.approx(solutions.normal_log_likelihood(x, 125.0, 12.0), rel=1e-12)
    assert widget.answer == {}
    messages = []
    widget.comm.send = lambda data=None, **_: messages.append(data)
    widget.show_the_mle()
    (message,) = messages  # sliders and answer in one message: the browser draws them together
    assert set(message["state"]) == {"params", "answer"}
    best = solutions.normal_log_likelihood(x, *solutions.normal_mle(x))
    assert widget.answer["best_log_likelihood"] == pytest.approx(best, rel=1e-12)
    np.testing.assert_allclose(widget.answer["mle"], solutions.normal_mle(x), rtol=1e-12)
    np.testing.assert_allclose(widget.params, solutions.normal_mle(x), rtol=1e-12)  # exactly, not on a step
    np.testing.assert_allclose(widget.answer["wald"], solutions.wald_interval_mu(x), rtol=1e-6)
    widget.family = "Laplace"  # a new exercise: the answer is hidden again
    assert widget.answer == {} and len(widget.params) == 2


def test_a_family_switch_is_one_message():
    widget = run_mle_widget(DATA["Normal"])
    messages = []
    widget.comm.send = lambda data=None, **_: messages.append(data)
    widget.family = "gamma"
    states = [message.get("state", {}) for message in messages]
    (with_scene,) = [state for state in states if "scene" in state]  # scene and sliders in one message
    assert [state for state in states if "params" in state] == [with_scene]


def test_the_browser_cannot_move_the_sliders_out_of_their_space():
    widget = run_mle_widget(DATA["Bernoulli"], family="Bernoulli")
    assert (widget.scene["sliders"][0]["min"], widget.scene["sliders"][0]["max"]) == (0.0, 1.0)
    widget.set_params((1.7,))
    assert widget.params == [1.0]
    widget = run_mle_widget(DATA["Normal"])
    assert widget.scene["sliders"][1]["log"]  # sigma > 0 whatever the position
    widget.set_params((120.0, -3.0))
    assert widget.params[1] == pytest.approx(10 ** widget.scene["sliders"][1]["min"])


def test_switching_family_checks_the_data_and_says_why_it_cannot_fit():
    widget = run_mle_widget(DATA["Normal"] - 200)  # negative values
    widget.family = "exponential"
    assert "the exponential needs values ≥ 0" in widget.message and widget.scene == {}
    widget.show_the_mle()  # nothing to show, nothing raised
    widget.family = "Laplace"
    assert widget.message == "" and len(widget.params) == 2


def test_buttons_pressed_in_the_browser_reach_the_kernel_and_nothing_else_does():
    widget = run_mle_widget(DATA["Normal"], true_params=(120.0, 15.0), seed=1)
    start = list(widget.params)
    for hostile in ({"event": "eval", "code": "1/0"}, ["show_mle"], "show_mle", None, {"event": ["show_mle"]}):
        widget._on_message(widget, hostile, [])
    assert widget.answer == {} and widget.params == start and widget.data is widget.original
    widget._on_message(widget, {"event": "resample", "n": "lots"}, [])  # a bad size: the widget's own n
    assert widget.data.size == widget.sample_size == 40 and widget.data is not widget.original
    widget._on_message(widget, {"event": "show_truth"}, [])
    assert widget.params == [120.0, 15.0]
    widget._on_message(widget, {"event": "show_mle"}, [])
    assert widget.revealed


def test_resampling_draws_n_new_observations_from_the_truth():
    widget = run_mle_widget(DATA["Normal"], true_params=(120.0, 15.0), seed=1)
    widget._on_message(widget, {"event": "resample", "n": 500}, [])
    assert widget.data.size == 500 and widget.n == 500
    assert abs(widget.data.mean() - 120) < 5 * 15 / np.sqrt(500)
    widget._on_message(widget, {"event": "restore"}, [])
    assert widget.data.size == 40


def _tickets() -> np.ndarray:
    """Tickets per hour as notebook 2 simulated them when a learner found the family-switch defects (seed 2025);
    its widget cell opens the widget on them, Poisson, with the truth 3.2."""
    rng = np.random.default_rng(2025)
    rng.binomial(1, 0.07, size=250)  # the clicks drawn before them
    return rng.poisson(3.2, size=48).astype(float)


def _browser_says(widget, method: str, payload: dict) -> None:
    """A message from the browser, through ipywidgets' own comm handler (which only logs what raises)."""
    data = {"method": method, "state": payload} if method == "update" else {"method": method, "content": payload}
    widget._handle_msg({"content": {"data": data}, "buffers": []})


@pytest.mark.parametrize("family", ["Normal", "Laplace", "exponential", "uniform U(0, θ)"])
def test_the_truth_belongs_to_the_family_it_was_given_for(family):
    """Notebook 2 gives the Poisson's 3.2: under another family "show the truth" is off and says why."""
    widget = run_mle_widget(_tickets(), family="Poisson", true_params=(3.2,), seed=1)
    assert widget.has_truth and widget.scene["truth"] == [3.2]
    widget.family = family
    assert not widget.has_truth and widget.scene["truth"] is None  # 3.2 is not drawn as this family's truth
    assert "Poisson" in widget.truth_reason and "Poisson" in widget.message and widget.message_kind == "note"
    start = list(widget.params)
    _browser_says(widget, "custom", {"event": "show_truth"})
    assert widget.params == start and "Poisson" in widget.message and widget.message_kind == "note"
    widget.family = "Poisson"
    assert widget.has_truth and widget.truth_reason == "" and widget.message == ""
    _browser_says(widget, "custom", {"event": "show_truth"})
    assert widget.params == [3.2]


def test_without_a_truth_show_the_truth_is_off_and_says_why():
    widget = run_mle_widget(_tickets(), family="Poisson")
    assert not widget.has_truth and "your data" in widget.truth_reason
    widget.show_the_truth()
    assert widget.message == widget.truth_reason


@pytest.mark.parametrize(
    ("family", "fitted"),
    [
        ("Normal", lambda x: stats.norm(np.mean(x), np.std(x))),
        ("Laplace", lambda x: stats.laplace(np.median(x), np.mean(np.abs(x - np.median(x))))),
        ("exponential", lambda x: stats.expon(scale=np.mean(x))),
        ("uniform U(0, θ)", lambda x: stats.uniform(0, np.max(x))),
    ],
)
def test_after_a_family_switch_resample_draws_from_that_familys_fit(family, fitted):
    """Not from the Poisson's truth: from the closed-form MLE of the current family on the learner's data."""
    tickets = _tickets()
    widget = run_mle_widget(tickets, family="Poisson", true_params=(3.2,), seed=1)
    widget.family = family
    _browser_says(widget, "custom", {"event": "resample", "n": 1000})
    assert widget.n == widget.data.size == 1000 and widget.scene
    assert stats.kstest(widget.data, fitted(tickets).cdf).pvalue > 1e-3
    assert "fit to your data" in widget.message and widget.message_kind == "note"


def test_resampling_hides_the_answer_again_and_says_so():
    widget = run_mle_widget(_tickets(), family="Poisson", true_params=(3.2,), seed=1)
    widget.show_the_mle()
    assert widget.revealed
    _browser_says(widget, "custom", {"event": "resample", "n": 1000})
    assert not widget.revealed and widget.message_kind == "note"
    assert "truth" in widget.message and "hidden again" in widget.message and "show the MLE" in widget.message
    assert abs(widget.data.mean() - 3.2) < 5 * np.sqrt(3.2 / 1000)  # drawn from the truth, Poisson(3.2)
    widget.show_the_mle()
    assert widget.revealed and widget.message == ""


def test_resample_says_why_not_when_the_family_cannot_fit_the_learners_data():
    widget = run_mle_widget([0.0, 1.0, 2.0, 3.0], family="Poisson", true_params=(2.0,), seed=1)
    widget.family = "gamma"  # a zero: the gamma cannot fit these data, so it has no fit to draw from
    assert widget.message_kind == "error" and "the gamma needs positive values" in widget.message
    _browser_says(widget, "custom", {"event": "resample", "n": 100})
    assert widget.message == (
        "Cannot resample from the gamma: "
        "the gamma needs positive values, not all equal; these data cannot come from it."
    )
    assert widget.n == 4 and widget.data is widget.original
    widget.family = "Poisson"
    assert widget.scene and widget.message == ""


def test_an_error_in_a_button_is_shown_in_the_widget_and_the_widget_still_works(monkeypatch):
    widget = run_mle_widget(_tickets(), family="Poisson", true_params=(3.2,), seed=1)

    def broken(*_):
        raise RuntimeError("the answer could not be computed")

    monkeypatch.setattr("mlelab.widget.answer", broken)
    _browser_says(widget, "custom", {"event": "show_mle"})
    assert widget.message_kind == "error" and "the answer could not be computed" in widget.message
    assert not widget.revealed
    monkeypatch.undo()
    _browser_says(widget, "custom", {"event": "show_mle"})
    assert widget.revealed and widget.params == [pytest.approx(np.mean(_tickets()), rel=1e-12)]


def test_an_error_in_a_family_switch_is_shown_in_the_widget_and_the_widget_still_works(monkeypatch):
    widget = run_mle_widget(_tickets(), family="Poisson", true_params=(3.2,), seed=1)

    def broken(*_):
        raise FloatingPointError("no scene today")

    monkeypatch.setattr("mlelab.widget.scene", broken)
    _browser_says(widget, "update", {"family": "Normal"})
    assert widget.message_kind == "error" and "no scene today" in widget.message and widget.scene == {}
    monkeypatch.undo()
    _browser_says(widget, "update", {"family": "Laplace"})
    assert widget.family == "Laplace" and len(widget.params) == 2 and widget.message_kind == "note"


@pytest.mark.parametrize(
    ("state", "named"),
    [({"family": "Cauchy"}, "Unknown family 'Cauchy'"), ({"params": ["lots"]}, "expected a float, not the str")],
)
def test_a_value_the_kernel_refuses_is_shown_in_the_widget(state, named):
    widget = run_mle_widget(_tickets(), family="Poisson", true_params=(3.2,), seed=1)
    before = (widget.family, list(widget.params))
    _browser_says(widget, "update", state)
    assert widget.message_kind == "error" and named in widget.message
    assert (widget.family, widget.params) == before


@pytest.mark.parametrize(
    ("family", "true_params", "message"),
    [
        ("Normal", (3.2,), "true_params must hold 2 numbers for the Normal (μ, σ), got (3.2,)"),
        ("Poisson", (3.2, 1.0), "true_params must hold 1 number for the Poisson (λ), got (3.2, 1.0)"),
        ("Normal", (3.2, -1.0), "true_params: σ must be in (0, inf), got -1.0"),
        ("Bernoulli", ("half",), "true_params must be numbers, one for each parameter of the Bernoulli (p)"),
    ],
)
def test_true_params_that_do_not_belong_to_the_family_get_a_message(family, true_params, message):
    assert message in html.unescape(run_mle_widget([0.0, 1.0, 1.0], family=family, true_params=true_params).value)


def test_the_widget_shows_a_message_instead_of_a_traceback_for_bad_data():
    assert "Cannot fit this data: data is empty" in run_mle_widget(data=[], feature_name="nothing").value
    assert "Unknown family" in run_mle_widget([1.0, 2.0], family="Cauchy").value
    assert "height and width" in run_mle_widget([1.0, 2.0], height=-5).value


def test_the_widget_draws_nothing_for_the_grader(monkeypatch):
    """Hidden test cells run with MLELAB_DRAW=0: the widget must cost nothing there."""
    from mlelab.grading import DRAW_VARIABLE

    monkeypatch.setenv(DRAW_VARIABLE, "0")
    widget = run_mle_widget(DATA["Normal"])
    assert widget.scene == {} and widget.message == ""


def test_the_widget_module_is_self_contained():
    """No CDN, no network: the browser runs only the JavaScript shipped in the package, which imports nothing."""
    esm = run_mle_widget(DATA["Normal"])._esm
    assert "export default { render }" in esm and "function logLikelihood" in esm
    assert not re.search(r"^\s*import\b|\bimport\s*\(|\bfetch\s*\(", esm, re.MULTILINE)


@pytest.mark.slow
def test_the_learner_wheel_carries_no_solutions_and_no_grader(tmp_path):
    source = shutil.copytree(
        ROOT / "learner", tmp_path / "learner", ignore=shutil.ignore_patterns("build", "*.egg-info")
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(source)], check=True
    )
    (wheel,) = tmp_path.glob("mlelab-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    packages = {name.split("/")[0] for name in names}
    assert packages == {"mlelab", wheel.name.split("-py3")[0] + ".dist-info"}
    assert {"mlelab/widget.js", "mlelab/likelihood.js", "mlelab/widget.css"} <= set(names)  # the browser's code


@pytest.mark.slow
def test_a_learner_install_has_the_widget_but_not_the_solutions_or_the_grader(tmp_path):
    """The README's learner command, `pip install ./learner`, into a clean virtual environment.

    The environment gets no pip of its own (ensurepip unpacks and compiles one, 6-12 s): this suite's pip
    installs into it (``--python``), with the same resolver and the same index. ``--no-compile``: byte-compiling
    every dependency (scipy, matplotlib, statsmodels, IPython) is 3/4 of the install's CPU time and proves
    nothing here; the probe imports what it uses from source."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv")], check=True)
    python = tmp_path / "venv" / "bin" / "python"
    source = shutil.copytree(
        ROOT / "learner", tmp_path / "learner", ignore=shutil.ignore_patterns("build", "*.egg-info")
    )
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    subprocess.run([*pip, "install", "--quiet", "--no-compile", str(source)], check=True, cwd=tmp_path)
    probe = (
        "import importlib.util, mlelab\n"
        "print(mlelab.run_mle_widget([1.0, 2.0, 4.0]).__class__.__name__)\n"
        "print(importlib.util.find_spec('solutions'), importlib.util.find_spec('autograder'))\n"
    )
    result = subprocess.run([python, "-c", probe], check=True, cwd=tmp_path, capture_output=True, text=True)
    assert result.stdout.split() == ["MLEWidget", "None", "None"]
