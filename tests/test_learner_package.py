"""The learner helper package: numbers that agree with the reference library, clear messages, no grader inside."""

import shutil
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from mlelab import FAMILIES, fit_summary, normal_fit_summary, run_mle_widget, wald_interval
from mlelab.families import clean_data
from mlelab.likelihood import profile, surface
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


def _readout(widget) -> tuple[float, tuple[float, ...]]:
    html = widget.readout.value
    value = float(html.split('data-value="')[1].split('"')[0])
    params = tuple(float(p) for p in html.split('data-params="')[1].split('"')[0].split(", "))
    return value, params


def test_the_widget_readout_follows_the_sliders_and_snaps_to_the_mle():
    x = DATA["Normal"]
    widget = run_mle_widget(data=x, feature_name="Song Tempo (BPM)", height=600, width=1500)
    widget.sliders[0].value, widget.sliders[1].value = 125.0, 12.0
    value, params = _readout(widget)
    assert params == (125.0, 12.0)
    assert value == pytest.approx(solutions.normal_log_likelihood(x, 125.0, 12.0), rel=1e-12)
    widget.show_mle.click()
    value, params = _readout(widget)
    assert value == pytest.approx(solutions.normal_log_likelihood(x, *solutions.normal_mle(x)), rel=1e-9)


def test_sliders_stay_in_the_parameter_space():
    widget = run_mle_widget(DATA["Bernoulli"], family="Bernoulli")
    assert (widget.sliders[0].min, widget.sliders[0].max) == (0.0, 1.0)
    widget = run_mle_widget(DATA["Normal"])
    assert widget.sliders[1].__class__.__name__ == "FloatLogSlider"  # sigma > 0 whatever the position


def test_switching_family_checks_the_data_and_says_why_it_cannot_fit():
    widget = run_mle_widget(DATA["Normal"] - 200)  # negative values
    widget.family_picker.value = "exponential"
    assert "the exponential needs values ≥ 0" in widget.message.value
    widget.family_picker.value = "Laplace"
    assert widget.message.value == "" and len(widget.sliders) == 2


def test_resampling_draws_n_new_observations_from_the_truth():
    widget = run_mle_widget(DATA["Normal"], true_params=(120.0, 15.0), seed=1)
    widget.sample_size.value = 500
    widget.resample.click()
    assert widget.data.size == 500
    assert abs(widget.data.mean() - 120) < 5 * 15 / np.sqrt(500)
    widget.restore.click()
    assert widget.data.size == 40


def test_the_widget_shows_a_message_instead_of_a_traceback_for_bad_data():
    widget = run_mle_widget(data=[], feature_name="nothing")
    assert "Cannot fit this data" in widget.children[0].value


@pytest.mark.slow
def test_the_learner_wheel_carries_no_solutions_and_no_grader(tmp_path):
    source = shutil.copytree(
        ROOT / "learner", tmp_path / "learner", ignore=shutil.ignore_patterns("build", "*.egg-info")
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(source)], check=True
    )
    (wheel,) = tmp_path.glob("mlelab-*.whl")
    packages = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert packages == {"mlelab", wheel.name.split("-py3")[0] + ".dist-info"}


@pytest.mark.slow
def test_a_learner_install_has_the_widget_but_not_the_solutions_or_the_grader(tmp_path):
    """The README's learner command, `pip install ./learner`, into a clean virtual environment."""
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True)
    python = tmp_path / "venv" / "bin" / "python"
    source = shutil.copytree(
        ROOT / "learner", tmp_path / "learner", ignore=shutil.ignore_patterns("build", "*.egg-info")
    )
    subprocess.run([python, "-m", "pip", "install", "--quiet", str(source)], check=True, cwd=tmp_path)
    probe = (
        "import importlib.util, mlelab\n"
        "print(mlelab.run_mle_widget([1.0, 2.0, 4.0]).__class__.__name__)\n"
        "print(importlib.util.find_spec('solutions'), importlib.util.find_spec('autograder'))\n"
    )
    result = subprocess.run([python, "-c", probe], check=True, cwd=tmp_path, capture_output=True, text=True)
    assert result.stdout.split() == ["MLEWidget", "None", "None"]
