"""Hidden cases and judges for assignment 04, regression losses as negative log-likelihoods."""

from typing import Any

import numpy as np
from scipy import special

from autograder.cases import BadCall, Case, GradedFunction, Mistake
from autograder.checks import ATOL, RTOL
from autograder.judges import same_array, same_fit, same_outputs, same_value
from autograder.mistakes import averaged, computes, in_base_10, negated, overflows
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


def _float(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=float)


def _rss(X: Any, y: Any) -> float:
    """The residual sum of squares of the least-squares fit, n·σ̂² by the reference."""
    return _float(y).size * np.float64(reference.linear_regression_mle(X, y)[1]) ** 2


def _residual_squares(w: Any, X: Any, y: Any) -> float:
    """‖y - Xw‖², the data term of the linear model's NLL."""
    residuals = _float(y) - _float(X) @ _float(w)
    return float(residuals @ residuals)


def _fit_ascending(X: Any, y: Any, learning_rate: float, n_steps: int) -> np.ndarray:
    """The weights of fit_logistic's loop with the step's sign flipped: w ← w + lr·∇(mean NLL)."""
    X, y = _float(X), _float(y)
    w = np.zeros(X.shape[1])
    for _ in range(n_steps):
        w = w + learning_rate * reference.logistic_gradient(w, X, y) / y.size
    return w


def _residual_sum(w, X, y) -> float:
    """The residual sum of squares ‖y - Xw‖² at the weights ``w``."""
    residuals = _float(y) - _float(X) @ _float(w)
    return float(residuals @ residuals)


def _validation_is_training(case: Case, received: Any) -> bool:
    """Whether fit_logistic's validation history repeats its own training history, value for value (the
    validation loss computed on X, y), on a case with validation data."""
    try:
        if case.kwargs.get("X_val") is None:
            return False
        train, val = (np.asarray(history, dtype=float) for history in received[1:3])
        return (
            train.shape == val.shape
            and bool(np.all(np.isfinite(val)))
            and bool(np.allclose(val, train, rtol=RTOL, atol=ATOL))
        )
    except (TypeError, ValueError, IndexError):
        return False


def _ridge_free_first(X, y, lam: float) -> np.ndarray:
    """Ridge with the first weight (the intercept) left out of the penalty."""
    X = _float(X)
    penalty = lam * np.eye(X.shape[1])
    penalty[0, 0] = 0.0
    return np.linalg.solve(X.T @ X + penalty, X.T @ _float(y))


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
        mistakes=(
            Mistake(
                "mean squared error instead of NLL",
                "Your value is the mean squared error ‖y - Xw‖²/n. The negative log-likelihood of the Gaussian model "
                "is n log σ + (n/2) log 2π + ‖y - Xw‖²/(2σ²): it has the same minimiser in w, but it also depends "
                "on σ.",
                computes(lambda w, sigma, X, y: np.mean((_float(y) - _float(X) @ _float(w)) ** 2)),
                learners=("mary_mse",),
            ),
            Mistake(
                "dropped 2 pi constant",
                "Your value is off by exactly (n/2) log 2π: the constant of the Normal density was dropped. Keep it.",
                computes(
                    lambda w, sigma, X, y: (
                        reference.linear_regression_nll(w, sigma, X, y) - _float(y).size / 2 * np.log(2 * np.pi)
                    )
                ),
                learners=("karl_no_constant",),
            ),
            Mistake(
                "log-likelihood instead of NLL",
                "Your value has the wrong sign: you returned the log-likelihood. The loss is its negative.",
                negated(reference.linear_regression_nll),
                learners=("lily_log_likelihood",),
            ),
            Mistake(
                "sigma instead of sigma squared",
                "Your value divides the squared residuals by 2σ where 2σ² belongs: the Normal density has "
                "exp(-(y - xw)²/(2σ²)).",
                computes(
                    lambda w, sigma, X, y: (
                        reference.linear_regression_nll(w, sigma, X, y)
                        + _residual_squares(w, X, y) * (1 / (2 * sigma) - 1 / (2 * sigma**2))
                    )
                ),
                learners=("sal_sigma_divisor",),
            ),
            Mistake(
                "mean instead of sum",
                "Your value is the average NLL per observation: the negative log-likelihood is the sum over all "
                "n, n log σ + (n/2) log 2π + ‖y - Xw‖²/(2σ²).",
                averaged(reference.linear_regression_nll, "y"),
                learners=("amy_average_nll",),
            ),
            Mistake(
                "no 2 in 2 sigma squared",
                "Your residual term is ‖y - Xw‖²/σ²: the Normal density has exp(-r²/(2σ²)), so the term is "
                "‖y - Xw‖²/(2σ²).",
                computes(
                    lambda w, sigma, X, y: (
                        reference.linear_regression_nll(w, sigma, X, y) + _residual_sum(w, X, y) / (2 * sigma**2)
                    )
                ),
                learners=("tom_two_missing",),
            ),
            Mistake(
                "sigma read as the variance",
                "Your value treats sigma as the variance: (n/2) log σ and ‖y - Xw‖²/(2σ). sigma is the standard "
                "deviation: n log σ + ‖y - Xw‖²/(2σ²).",
                computes(lambda w, sigma, X, y: reference.linear_regression_nll(w, np.sqrt(sigma), X, y)),
                learners=("vera_sigma_variance",),
            ),
            Mistake(
                "log sigma halved",
                "Your value has (n/2)·log σ where n·log σ belongs: the 1/2 goes with log σ², (n/2)·log σ² = "
                "n·log σ. The NLL is n log σ + (n/2) log 2π + ‖y - Xw‖²/(2σ²).",
                computes(
                    lambda w, sigma, X, y: (
                        reference.linear_regression_nll(w, sigma, X, y) - _float(y).size / 2 * np.log(sigma)
                    )
                ),
                learners=("hugh_half_log_sigma",),
            ),
            Mistake(
                "log sigma squared",
                "Your value has n·log σ² where n·log σ belongs: each density's factor is 1/(σ√(2π)), whose "
                "negative log is log σ + ½ log 2π.",
                computes(
                    lambda w, sigma, X, y: (
                        reference.linear_regression_nll(w, sigma, X, y) + _float(y).size * np.log(sigma)
                    )
                ),
                learners=("lisa_log_sigma_squared",),
            ),
            Mistake(
                "dropped log sigma",
                "Your value is off by exactly n·log σ: the n·log σ from the density's 1/σ was dropped. It depends "
                "on σ, so it decides the best σ: keep it.",
                computes(
                    lambda w, sigma, X, y: (
                        reference.linear_regression_nll(w, sigma, X, y) - _float(y).size * np.log(sigma)
                    )
                ),
                learners=("drew_drops_log_sigma",),
            ),
        ),
    ),
    GradedFunction(
        name="linear_regression_mle",
        assignment=ASSIGNMENT,
        reference=reference.linear_regression_mle,
        typical=_mle_cases(_linear_sets),
        edge=_mle_cases(_linear_edge),
        judge=same_fit(
            reference.linear_regression_mle,
            ("w_hat", "sigma_hat"),
            lambda X, y, w, sigma: -reference.linear_regression_nll(w, sigma, X, y),
            data=("X", "y"),
        ),
        bad_calls=(BadCall("y", {"X": np.empty((0, 2)), "y": []}, why="is empty"),),
        mistakes=(
            Mistake(
                "degrees of freedom n - d",
                "Your σ̂ divides the residual sum of squares by n - d (the unbiased estimate of regression courses). "
                "The MLE divides by n: σ̂ = sqrt(RSS / n).",
                computes(lambda X, y: (0, np.sqrt(_rss(X, y) / (_float(y).size - np.shape(X)[1]))), component=1),
                learners=("dirk_degrees_of_freedom",),
            ),
            Mistake(
                "variance instead of standard deviation",
                "Your second value is the variance RSS/n; return its square root, the standard deviation σ̂.",
                computes(lambda X, y: (0, reference.linear_regression_mle(X, y)[1] ** 2), component=1),
                learners=("vera_variance",),
            ),
            Mistake(
                "n - 1 instead of n",
                "Your σ̂ divides the residual sum of squares by n - 1. The MLE divides by n: σ̂ = sqrt(RSS / n).",
                computes(lambda X, y: (0, np.sqrt(_rss(X, y) / (_float(y).size - 1))), component=1),
                learners=("ned_n_minus_one",),
            ),
            Mistake(
                "residuals centred",
                "Your σ̂ is np.std of the residuals, which subtracts their mean first. Without an intercept column "
                "the residuals need not average 0: σ̂ = sqrt(RSS/n) = sqrt(mean(r²)).",
                computes(
                    lambda X, y: (0, np.std(_float(y) - _float(X) @ reference.linear_regression_mle(X, y)[0])),
                    component=1,
                ),
                learners=("cy_centred_residuals",),
            ),
            Mistake(
                "square root misplaced",
                "Your σ̂ is sqrt(RSS)/n: the square root is taken before dividing by n. The MLE is the root of the "
                "mean squared residual, σ̂ = sqrt(RSS / n).",
                computes(lambda X, y: (0, np.sqrt(_rss(X, y)) / _float(y).size), component=1),
                learners=("rob_root_over_n",),
            ),
            Mistake(
                "spread of y instead of the residuals",
                "Your σ̂ is the standard deviation of y itself. σ is the noise around the fitted line: the spread "
                "of the residuals y - Xŵ, σ̂ = sqrt(Σ(yᵢ - xᵢŵ)²/n).",
                computes(lambda X, y: (0, np.std(_float(y))), component=1),
                learners=("yan_spread_of_y",),
            ),
        ),
    ),
    GradedFunction(
        name="logistic_nll",
        assignment=ASSIGNMENT,
        reference=reference.logistic_nll,
        typical=_logistic_cases(_classification_sets),
        edge=_logistic_cases(_classification_edge),
        judge=same_value(reference.logistic_nll),
        mistakes=(
            Mistake(
                "overflowing logistic loss",
                "Your loss is inf or NaN for large margins: np.log(1 + np.exp(z)) overflows once z > 709, and "
                "log(sigmoid(z)) underflows to log(0). Use np.logaddexp(0, z) for log(1 + e^z): it is exact and "
                "finite for |z| up to 1e4 and beyond.",
                overflows(),
                learners=("otis_overflow",),
            ),
            Mistake(
                "mean instead of sum",
                "Your value is the average loss per sample; the spec asks for the sum over samples (fit_logistic "
                "uses the mean).",
                averaged(reference.logistic_nll, "y"),
                learners=("mei_mean_loss",),
            ),
            Mistake(
                "log-likelihood instead of NLL",
                "Your value has the wrong sign: you returned the log-likelihood. The loss is its negative, ≥ 0.",
                negated(reference.logistic_nll),
                learners=("leon_log_likelihood",),
            ),
            Mistake(
                "log base 10",
                "Your loss is the NLL divided by ln 10: you used log base 10 (np.log10). The NLL uses the "
                "natural logarithm; np.logaddexp(0, z) gives log(1 + eᶻ) in it, stably.",
                in_base_10(reference.logistic_nll),
                learners=("tex_log10",),
            ),
            Mistake(
                "loss for labels -1 and +1",
                "Your loss is Σ log(1 + exp(-yᵢ xᵢ·w)), the form for labels ±1. With labels 0 and 1 it is "
                "Σ[log(1 + exp(xᵢ·w)) - yᵢ xᵢ·w] (np.logaddexp(0, z) - y * z).",
                computes(lambda w, X, y: np.sum(np.logaddexp(0, -_float(y) * (_float(X) @ _float(w))))),
                learners=("pm_plus_minus",),
            ),
            Mistake(
                "sigmoid of -Xw",
                "Your loss uses σ(-xᵢ·w) as the probability of yᵢ = 1, so it is the loss of -w. P(y = 1) = σ(xᵢ·w) "
                "= 1/(1 + exp(-xᵢ·w)): the loss is Σ[log(1 + exp(xᵢ·w)) - yᵢ xᵢ·w].",
                computes(lambda w, X, y: reference.logistic_nll(-_float(w), X, y)),
                learners=("sia_sigmoid_sign_loss",),
            ),
            Mistake(
                "squared error of the probabilities",
                "Your loss is Σ(yᵢ - σ(xᵢ·w))², the squared error of the predicted probabilities. The NLL of the "
                "Bernoulli model is -Σ[yᵢ log σ(zᵢ) + (1 - yᵢ) log(1 - σ(zᵢ))] = Σ[log(1 + e^zᵢ) - yᵢzᵢ].",
                computes(lambda w, X, y: np.sum((_float(y) - special.expit(_float(X) @ _float(w))) ** 2)),
                learners=("suki_squared_error",),
            ),
            Mistake(
                "term of the zeros left out",
                "Your loss keeps only -Σyᵢ log σ(zᵢ), the term of the ones. Each 0 label contributes "
                "-log(1 - σ(zᵢ)) too: the NLL is -Σ[yᵢ log σ(zᵢ) + (1 - yᵢ) log(1 - σ(zᵢ))] = Σ[log(1 + e^zᵢ) - yᵢzᵢ].",
                computes(lambda w, X, y: np.sum(_float(y) * np.logaddexp(0, -(_float(X) @ _float(w))))),
                learners=("nell_positives_only",),
            ),
        ),
    ),
    GradedFunction(
        name="logistic_gradient",
        assignment=ASSIGNMENT,
        reference=reference.logistic_gradient,
        typical=_logistic_cases(_classification_sets),
        edge=_logistic_cases(_classification_edge),
        judge=same_array(reference.logistic_gradient),
        mistakes=(
            Mistake(
                "sign error",
                "Your gradient has the wrong sign: Xᵀ(y - σ(Xw)) is the gradient of the log-likelihood. The loss's "
                "gradient is Xᵀ(σ(Xw) - y), the direction that gradient descent steps against.",
                negated(reference.logistic_gradient),
                learners=("gus_gradient_sign",),
            ),
            Mistake(
                "mean instead of sum",
                "Your gradient is divided by n: that is the gradient of the mean loss. The spec asks for the gradient "
                "of the summed NLL, Xᵀ(σ(Xw) - y).",
                averaged(reference.logistic_gradient, "y"),
                learners=("mae_mean_gradient",),
            ),
            Mistake(
                "sigmoid of -Xw",
                "Your gradient uses σ(-Xw) = 1 - σ(Xw): the sigmoid's sign is flipped. The model is P(y = 1) = "
                "σ(xᵀw) = 1/(1 + e^(-xᵀw)), so the gradient is Xᵀ(σ(Xw) - y).",
                computes(lambda w, X, y: _float(X).T @ (special.expit(-(_float(X) @ _float(w))) - _float(y))),
                learners=("sig_sigmoid_sign",),
            ),
            Mistake(
                "sigmoid left out",
                "Your gradient is Xᵀ(Xw - y), least squares' gradient. The logistic loss's gradient passes Xw "
                "through the sigmoid: Xᵀ(σ(Xw) - y).",
                computes(lambda w, X, y: _float(X).T @ (_float(X) @ _float(w) - _float(y))),
                learners=("lin_linear_gradient",),
            ),
            Mistake(
                "extra sigma(1 - sigma) factor",
                "Your gradient has an extra factor σ(1 - σ), the sigmoid's derivative, as for a squared loss. For "
                "the logistic NLL that factor cancels against the log: the gradient is Xᵀ(σ(Xw) - y).",
                computes(
                    lambda w, X, y: (
                        _float(X).T
                        @ (
                            (special.expit(_float(X) @ _float(w)) - _float(y))
                            * special.expit(_float(X) @ _float(w))
                            * special.expit(-(_float(X) @ _float(w)))
                        )
                    )
                ),
                learners=("rudy_chain_rule",),
            ),
            Mistake(
                "Xᵀ left out",
                "Your gradient has one entry per sample: σ(Xw) - y are the residuals. The gradient has one entry "
                "per weight: multiply by the transposed design, Xᵀ(σ(Xw) - y).",
                computes(lambda w, X, y: special.expit(_float(X) @ _float(w)) - _float(y)),
                learners=("xena_no_transpose",),
            ),
        ),
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
        mistakes=(
            Mistake(
                "summed loss in the histories",
                "Your weights are right but the losses are sums over samples. Record the mean NLL per sample, so that "
                "the training and validation curves are comparable whatever their sizes.",
                computes(
                    lambda X, y, learning_rate, n_steps, X_val=None, y_val=None: (
                        0,
                        reference.fit_logistic(X, y, learning_rate, n_steps)[1] * _float(y).size,
                    ),
                    component=1,
                ),
                learners=("tess_total_loss",),
            ),
            Mistake(
                "summed gradient in the step",
                "Your steps use the gradient of the summed NLL; descend on the mean NLL (divide the gradient by n), "
                "as the spec asks, so that the learning rate does not depend on the data size.",
                # a step along the summed gradient is a step along the mean gradient n times as long
                computes(
                    lambda X, y, learning_rate, n_steps, X_val=None, y_val=None: reference.fit_logistic(
                        X, y, learning_rate * _float(y).size, n_steps
                    ),
                    component=0,
                ),
                learners=("sven_summed_step",),
            ),
            Mistake(
                "histories without the last loss",
                "Your loss histories have n_steps values: they must also hold the loss after the last step, "
                "n_steps + 1 values in all (the first before any step).",
                computes(
                    lambda X, y, learning_rate, n_steps, X_val=None, y_val=None: (
                        0,
                        reference.fit_logistic(X, y, learning_rate, n_steps)[1][:-1],
                    ),
                    component=1,
                ),
                learners=("lex_last_loss",),
            ),
            Mistake(
                "ascent instead of descent",
                "Your weights move along the gradient of the loss, w ← w + lr·∇: that climbs the loss. Gradient "
                "descent steps against it: w ← w - lr·∇ of the mean NLL.",
                computes(
                    lambda X, y, learning_rate, n_steps, X_val=None, y_val=None: (
                        _fit_ascending(X, y, learning_rate, n_steps),
                        0,
                    ),
                    component=0,
                ),
                learners=("asa_ascent",),
            ),
            Mistake(
                "histories without the first loss",
                "Your loss histories have n_steps values, recorded after each step: they must start with the loss "
                "of the initial weights (all zero), n_steps + 1 values in all.",
                computes(
                    lambda X, y, learning_rate, n_steps, X_val=None, y_val=None: (
                        0,
                        reference.fit_logistic(X, y, learning_rate, n_steps)[1][1:],
                    ),
                    component=1,
                ),
                learners=("fern_first_loss_missing",),
            ),
            Mistake(
                "gradient divided by n twice",
                "Your steps are n times too small: the gradient was averaged over the samples and then divided by n "
                "again. Step along the gradient of the mean NLL, Xᵀ(σ(Xw) - y)/n, once.",
                computes(
                    lambda X, y, learning_rate, n_steps, X_val=None, y_val=None: reference.fit_logistic(
                        X, y, learning_rate / _float(y).size, n_steps
                    ),
                    component=0,
                ),
                learners=("dina_double_mean",),
            ),
            Mistake(
                "validation loss on the training data",
                "Your val_loss equals your train_loss at every step: it was computed on the training data X, y. "
                "Evaluate the same weights on X_val, y_val; the gap between the two curves is what shows "
                "overfitting.",
                _validation_is_training,
                learners=("cole_copied_validation",),
            ),
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
        mistakes=(
            Mistake(
                "lambda over n",
                "Your weights match (XᵀX + (λ/n) I)⁻¹ Xᵀy: the penalty was divided by n. The MAP estimate is "
                "(XᵀX + λI)⁻¹ Xᵀy with λ = σ²/τ² as given.",
                computes(lambda X, y, lam: reference.ridge_map(X, y, lam / _float(y).size)),
                learners=("nico_lambda_over_n",),
            ),
            Mistake(
                "lambda times n",
                "Your weights match (XᵀX + nλ I)⁻¹ Xᵀy, the minimiser of the mean squared error plus λ‖w‖² "
                "(scikit-learn's convention differs too). Here the penalty is added to the summed squared error.",
                computes(lambda X, y, lam: reference.ridge_map(X, y, lam * _float(y).size)),
                learners=("tina_mean_penalty",),
            ),
            Mistake(
                "penalty with the wrong sign",
                "Your weights match (XᵀX - λI)⁻¹ Xᵀy: the prior pulls the weights towards 0, so its term is +λI.",
                # the reference refuses a negative lambda, so the system is solved here
                computes(
                    lambda X, y, lam: np.linalg.solve(
                        _float(X).T @ _float(X) - lam * np.eye(np.shape(X)[1]), _float(X).T @ _float(y)
                    )
                ),
                learners=("pete_penalty_sign",),
            ),
            Mistake(
                "lambda over 2",
                "Your weights match (XᵀX + (λ/2) I)⁻¹ Xᵀy: the penalty was halved (the ½ of ½‖y - Xw‖² + ½λ‖w‖² "
                "cancels on both terms). The MAP estimate is (XᵀX + λI)⁻¹ Xᵀy.",
                computes(lambda X, y, lam: reference.ridge_map(X, y, lam / 2)),
                learners=("hal_half_lambda",),
            ),
            Mistake(
                "lambda times 2",
                "Your weights match (XᵀX + 2λI)⁻¹ Xᵀy: the penalty was doubled. Differentiating λ‖w‖² gives 2λw, "
                "but ‖y - Xw‖² gives 2Xᵀ(Xw - y) as well: the 2s cancel, and the MAP estimate is (XᵀX + λI)⁻¹ Xᵀy.",
                computes(lambda X, y, lam: reference.ridge_map(X, y, 2 * lam)),
                learners=("twyla_twice_lambda",),
            ),
            Mistake(
                "penalty left out",
                "Your weights are least squares, (XᵀX)⁻¹ Xᵀy: the prior's penalty λI is missing (for every "
                "weight, or at least for those of this case: here the prior shrinks every weight, the intercept "
                "too). The MAP estimate is (XᵀX + λI)⁻¹ Xᵀy.",
                # least squares; with more weights than observations, the minimum-norm solution lstsq and pinv give
                computes(lambda X, y, lam: np.linalg.lstsq(np.asarray(X, float), np.asarray(y, float), rcond=None)[0]),
                learners=("ols_no_penalty",),
            ),
            Mistake(
                "lambda squared",
                "Your weights match (XᵀX + λ²I)⁻¹ Xᵀy: λ was squared. λ = σ²/τ² is already the ratio of "
                "variances; add λI as given.",
                computes(lambda X, y, lam: reference.ridge_map(X, y, lam**2)),
                learners=("sqi_lambda_squared",),
            ),
            Mistake(
                "lambda added to every entry",
                "Your matrix is XᵀX + λ (λ added to every entry): the prior adds λ on the diagonal only, "
                "XᵀX + λI (np.eye(d)).",
                computes(lambda X, y, lam: np.linalg.solve(_float(X).T @ _float(X) + lam, _float(X).T @ _float(y))),
                learners=("eve_every_entry",),
            ),
            Mistake(
                "intercept not penalised",
                "Your weights leave the first weight (the intercept) out of the penalty. That is a common choice, "
                "but this function's prior shrinks every weight: (XᵀX + λI)⁻¹Xᵀy with the full identity.",
                computes(lambda X, y, lam: _ridge_free_first(X, y, lam)),
                learners=("ian_free_intercept",),
            ),
        ),
    ),
)
