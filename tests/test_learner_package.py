"""The learner helper package: right numbers, clear messages, and nothing of the grading inside."""

import shutil
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from mlelab import normal_fit_summary, run_mle_widget
from scipy import stats

from tests.conftest import ROOT


def test_fit_summary_is_the_scipy_log_likelihood_and_its_gap_to_the_mle():
    x = np.random.default_rng(601).normal(120, 15, 40)
    fit = normal_fit_summary(x, 110.0, 20.0)
    assert fit.log_likelihood == pytest.approx(np.sum(stats.norm.logpdf(x, 110.0, 20.0)), rel=1e-12)
    assert fit.mean_log_likelihood == pytest.approx(fit.log_likelihood / 40)
    best = np.sum(stats.norm.logpdf(x, *stats.norm.fit(x)))
    assert fit.gap_to_best == pytest.approx(best - fit.log_likelihood, rel=1e-9)
    assert fit.gap_to_best > 0


@pytest.mark.parametrize(
    ("data", "message"), [([], "data is empty"), ([1.0, np.nan], "data holds 1 NaN or infinite values")]
)
def test_bad_data_gets_a_message_that_says_what_to_fix(data, message):
    with pytest.raises(ValueError, match=message):
        normal_fit_summary(data, 0.0, 1.0)


def _readout_value(widget) -> float:
    html = widget.children[1].children[3].value
    return float(html.split('class="mle-loglik">')[1].split("<")[0])


def test_the_widget_readout_follows_the_sliders_and_snaps_to_the_mle():
    x = np.random.default_rng(602).normal(120, 15, 40)
    widget = run_mle_widget(data=x, feature_name="Song Tempo (BPM)", height=600, width=1500)
    mu_slider, sigma_slider, show_mle, _ = widget.children[1].children
    mu_slider.value, sigma_slider.value = 125.0, 12.0
    assert _readout_value(widget) == pytest.approx(np.sum(stats.norm.logpdf(x, 125.0, 12.0)), abs=5e-5)
    show_mle.click()
    assert _readout_value(widget) == pytest.approx(np.sum(stats.norm.logpdf(x, *stats.norm.fit(x))), abs=5e-5)


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
