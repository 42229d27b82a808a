"""Hidden cases and judges for assignment 04, regression losses as negative log-likelihoods."""

from typing import Any

import numpy as np
from scipy import special

from autograder.cases import BadCall, Case, GradedFunction
from autograder.checks import (
    PASS,
    Verdict,
    as_real,
    as_real_array,
    compare_array,
    compare_scalar,
    entries,
    format_value,
    not_finite,
    not_worse_fit,
)
from autograder.judges import same_array, same_outputs, same_value
from solutions import regression as reference


def _design(rng: np.random.Generator, n: int, d: int, intercept: bool = True) -> np.ndarray:
    features = rng.normal(size=(n, d - 1 if intercept else d))
    return np.column_stack([np.ones(n), features]) if intercept else features


def _linear_sets(rng: np.random.Generator) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray, float]]:
    """(label, X, y, w_true, sigma_true) for typical linear-regression data."""
    sets = []
    for label, n, d, intercept, sigma in [
        ("80 house prices from an intercept, size and age", 80, 3, True, 0.5),
        ("200 measurements of 5 features", 200, 5, True, 2.0),
        ("30 points on a line through the origin", 30, 1, False, 0.1),
    ]:
        X = _design(rng, n, d, intercept)
        w = rng.normal(0, 2, d)
        sets.append((label, X, X @ w + rng.normal(0, sigma, n), w, sigma))
    return sets


def _linear_edge(rng: np.random.Generator) -> list[tuple[str, Any, Any, Any, float]]:
    X = _design(rng, 3, 3)
    w = rng.normal(size=3)
    ones = np.ones((10, 1))
    y = rng.normal(5, 2, 10)
    return [
        ("as many points as weights: a perfect fit", X, X @ w, w, 1.0),
        ("an intercept only: the mean", ones, y, np.array([5.0]), 2.0),
        ("plain lists", [[1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 3.0]], [0.1, 1.2, 1.9, 3.1], [0.0, 1.0], 0.3),
    ]


def _nll_cases(draw):
    return lambda rng: [
        Case(label, {"w": np.asarray(w) * 0.9, "sigma": sigma * 1.1, "X": X, "y": y})
        for label, X, y, w, sigma in draw(rng)
    ]


def _mle_cases(draw):
    return lambda rng: [Case(label, {"X": X, "y": y}) for label, X, y, _, _ in draw(rng)]


def _judge_linear_mle(case: Case, received: Any) -> Verdict:
    """Right (w_hat, sigma_hat), or finite estimates whose negative log-likelihood is no larger."""
    w_hat, sigma_hat = reference.linear_regression_mle(**case.fresh_kwargs())
    pair = entries(received, 2)
    if pair is None:
        return Verdict(False, f"expected a tuple (w_hat, sigma_hat), got {format_value(received)}")
    problems = [
        f"{name}: {verdict.problem}"
        for name, verdict in (
            ("w_hat", compare_array(w_hat, pair[0])),
            ("sigma_hat", compare_scalar(sigma_hat, pair[1])),
        )
        if not verdict.passed
    ]
    if not problems:
        return PASS
    w, sigma = as_real_array(pair[0], w_hat.shape), as_real(pair[1])
    if isinstance(w, str) or not_finite(w) or sigma is None or not (0 < sigma < np.inf) or not sigma_hat > 0:
        return Verdict(False, "; ".join(problems))
    X, y = case.kwargs["X"], case.kwargs["y"]
    better = not_worse_fit(
        -reference.linear_regression_nll(w_hat, sigma_hat, X, y), -reference.linear_regression_nll(w, sigma, X, y)
    )
    return PASS if better else Verdict(False, "; ".join(problems))


def _classification_sets(rng: np.random.Generator) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    sets = []
    for label, n, d in [("150 credit applicants, 3 features", 150, 3), ("400 e-mails, 6 features", 400, 6)]:
        X = _design(rng, n, d)
        w = rng.normal(0, 1.5, d)
        sets.append((label, X, rng.binomial(1, special.expit(X @ w)), w))
    return sets


def _classification_edge(rng: np.random.Generator) -> list[tuple[str, Any, Any, Any]]:
    X = _design(rng, 20, 2)
    y = rng.binomial(1, 0.5, 20)
    return [
        ("confident margins up to ±10 000", X, y, np.array([0.0, 5000.0])),
        ("all-zero weights: every probability 1/2", X, y, np.zeros(2)),
        ("plain lists", [[1.0, -1.0], [1.0, 0.5], [1.0, 2.0]], [0, 1, 1], [0.2, 0.7]),
    ]


def _logistic_cases(draw):
    return lambda rng: [Case(label, {"w": w, "X": X, "y": y}) for label, X, y, w in draw(rng)]


def _fit_cases(rng: np.random.Generator) -> list[Case]:
    X = _design(rng, 120, 4)
    y = rng.binomial(1, special.expit(X @ rng.normal(0, 1, 4)))
    return [
        Case(
            "120 training and 40 validation samples, 4 features",
            {"X": X[:80], "y": y[:80], "learning_rate": 0.5, "n_steps": 60, "X_val": X[80:], "y_val": y[80:]},
        ),
        Case("120 training samples, no validation data", {"X": X, "y": y, "learning_rate": 1.0, "n_steps": 40}),
    ]


def _fit_edge(rng: np.random.Generator) -> list[Case]:
    X = _design(rng, 10, 2)
    y = rng.binomial(1, 0.5, 10)
    return [
        Case(
            "no steps at all (n_steps = 0)",
            {"X": X, "y": y, "learning_rate": 0.1, "n_steps": 0, "X_val": X, "y_val": y},
        ),
        Case("plain lists", {"X": X.tolist(), "y": y.tolist(), "learning_rate": 0.3, "n_steps": 5}),
    ]


def _ridge_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case(f"{label}, lambda = {lam:g}", {"X": X, "y": y, "lam": lam})
        for (label, X, y, _, _), lam in zip(_linear_sets(rng), (0.5, 10.0, 100.0), strict=True)
    ]


def _ridge_edge(rng: np.random.Generator) -> list[Case]:
    X = _design(rng, 5, 8)
    return [
        Case(
            "more features than samples (only ridge has a unique answer)", {"X": X, "y": rng.normal(size=5), "lam": 1.0}
        ),
        Case("lambda = 0: least squares", {"X": _design(rng, 20, 2), "y": rng.normal(size=20), "lam": 0.0}),
        Case("plain lists", {"X": [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], "y": [1.0, 2.0, 2.5], "lam": 0.5}),
    ]


ASSIGNMENT = "04_regression"

GRADED = (
    GradedFunction(
        name="linear_regression_nll",
        assignment=ASSIGNMENT,
        reference=reference.linear_regression_nll,
        typical=_nll_cases(_linear_sets),
        edge=_nll_cases(_linear_edge),
        judge=same_value(reference.linear_regression_nll),
        bad_calls=(
            BadCall("sigma", {"w": [1.0], "sigma": 0.0, "X": [[1.0]], "y": [1.0]}),
            BadCall("sigma", {"w": [1.0], "sigma": -1.0, "X": [[1.0]], "y": [1.0]}),
        ),
    ),
    GradedFunction(
        name="linear_regression_mle",
        assignment=ASSIGNMENT,
        reference=reference.linear_regression_mle,
        typical=_mle_cases(_linear_sets),
        edge=_mle_cases(_linear_edge),
        judge=_judge_linear_mle,
        bad_calls=(BadCall("y", {"X": np.empty((0, 2)), "y": []}, why="is empty"),),
    ),
    GradedFunction(
        name="logistic_nll",
        assignment=ASSIGNMENT,
        reference=reference.logistic_nll,
        typical=_logistic_cases(_classification_sets),
        edge=_logistic_cases(_classification_edge),
        judge=same_value(reference.logistic_nll),
    ),
    GradedFunction(
        name="logistic_gradient",
        assignment=ASSIGNMENT,
        reference=reference.logistic_gradient,
        typical=_logistic_cases(_classification_sets),
        edge=_logistic_cases(_classification_edge),
        judge=same_array(reference.logistic_gradient),
    ),
    GradedFunction(
        name="fit_logistic",
        assignment=ASSIGNMENT,
        reference=reference.fit_logistic,
        typical=_fit_cases,
        edge=_fit_edge,
        judge=same_outputs(reference.fit_logistic, ("w", "train_loss", "val_loss")),
        bad_calls=(
            BadCall("learning_rate", {"X": [[1.0]], "y": [1], "learning_rate": 0.0, "n_steps": 3}),
            BadCall("n_steps", {"X": [[1.0]], "y": [1], "learning_rate": 0.1, "n_steps": -1}),
        ),
    ),
    GradedFunction(
        name="ridge_map",
        assignment=ASSIGNMENT,
        reference=reference.ridge_map,
        typical=_ridge_cases,
        edge=_ridge_edge,
        judge=same_array(reference.ridge_map),
        bad_calls=(BadCall("lam", {"X": [[1.0]], "y": [1.0], "lam": -1.0}),),
    ),
)
