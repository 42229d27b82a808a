"""Reference solutions of the MLE course: one module per assignment topic.

Every graded function of ``course-spec.md`` is importable from here, e.g.
``from solutions import normal_mle``. The source notebooks carry this code in
their solution cells (``course sync-solutions`` writes it there).
"""

from solutions.distributions import (
    bernoulli_log_likelihood,
    bernoulli_mle,
    categorical_mle,
    exponential_log_likelihood,
    exponential_mle,
    laplace_mle,
    poisson_log_likelihood,
    poisson_mle,
    uniform_mle,
)
from solutions.normal import normal_log_likelihood, normal_mle, normal_score, simulate_sigma2_hat
from solutions.numerical import (
    gamma_log_likelihood,
    gamma_mle,
    gradient_ascent,
    newton_raphson,
    normal_fisher_information,
    wald_interval_mu,
)
from solutions.regression import (
    fit_logistic,
    linear_regression_mle,
    linear_regression_nll,
    logistic_gradient,
    logistic_nll,
    ridge_map,
)

__all__ = [
    "bernoulli_log_likelihood",
    "bernoulli_mle",
    "categorical_mle",
    "exponential_log_likelihood",
    "exponential_mle",
    "fit_logistic",
    "gamma_log_likelihood",
    "gamma_mle",
    "gradient_ascent",
    "laplace_mle",
    "linear_regression_mle",
    "linear_regression_nll",
    "logistic_gradient",
    "logistic_nll",
    "newton_raphson",
    "normal_fisher_information",
    "normal_log_likelihood",
    "normal_mle",
    "normal_score",
    "poisson_log_likelihood",
    "poisson_mle",
    "ridge_map",
    "simulate_sigma2_hat",
    "uniform_mle",
    "wald_interval_mu",
]
