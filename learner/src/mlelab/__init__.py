"""Learner helpers for the MLE course: fit a distribution to data by eye, then see the MLE."""

from mlelab.families import FAMILIES
from mlelab.likelihood import fit_summary, normal_fit_summary, wald_interval
from mlelab.widget import run_mle_widget

__all__ = ["FAMILIES", "fit_summary", "normal_fit_summary", "run_mle_widget", "wald_interval"]
