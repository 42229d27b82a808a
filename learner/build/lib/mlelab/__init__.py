"""Learner helpers for the MLE course: fit a distribution to data by eye, then see the MLE."""

from mlelab.likelihood import normal_fit_summary
from mlelab.widget import run_mle_widget

__all__ = ["normal_fit_summary", "run_mle_widget"]
