"""Hidden cases and judges for assignment 03, numerical MLE when there is no closed form."""

import numpy as np
from mlelab.grading import Formula
from scipy import special, stats

from autograder.cases import BadCall, Case, GradedFunction, Mistake
from autograder.judges import same_array, same_fit, same_outputs, same_value
from autograder.mistakes import computes, negated, not_a_number
from solutions import numerical as reference


def _normal_mean_score(x: np.ndarray, sigma: float) -> Formula:
    return Formula("lambda theta: np.array([np.sum(x - theta[0]) / sigma**2])", x=x, sigma=sigma)


def _poisson_log_rate(k: np.ndarray) -> tuple[Formula, Formula]:
    score = Formula("lambda theta: np.array([k.sum() - k.size * np.exp(theta[0])])", k=k)
    hessian = Formula("lambda theta: np.array([[-k.size * np.exp(theta[0])]])", k=k)
    return score, hessian


def _normal_mu_log_sigma(x: np.ndarray) -> tuple[Formula, Formula]:
    """Score and Hessian of the Normal log-likelihood in (mu, eta = log sigma)."""
    score = Formula(
        """
        def score(theta):
            r, sigma2 = x - theta[0], np.exp(2 * theta[1])
            return np.array([r.sum() / sigma2, -x.size + (r @ r) / sigma2])
        """,
        x=x,
    )
    hessian = Formula(
        """
        def hessian(theta):
            r, sigma2 = x - theta[0], np.exp(2 * theta[1])
            off = -2 * r.sum() / sigma2
            return np.array([[-x.size / sigma2, off], [off, -2 * (r @ r) / sigma2]])
        """,
        x=x,
    )
    return score, hessian


def _gamma_shape_equation(x: np.ndarray) -> tuple[Formula, Formula]:
    s = np.log(x.mean()) - np.mean(np.log(x))
    score = Formula("lambda k: np.array([np.log(k[0]) - special.digamma(k[0]) - s])", s=s)
    hessian = Formula("lambda k: np.array([[1 / k[0] - special.polygamma(1, k[0])]])", s=s)
    return score, hessian


def _ascent_cases(rng: np.random.Generator) -> list[Case]:
    tempos = rng.normal(120, 15, 30)
    bowl = np.array([[2.0, 0.5], [0.5, 1.0]])
    centre = rng.normal(0, 3, 2)
    counts = rng.poisson(4.0, 25)
    return [
        Case(
            "the Normal mean score on 30 tempos, from 100 BPM",
            {
                "score": _normal_mean_score(tempos, 15.0),
                "theta0": np.array([100.0]),
                "learning_rate": 3.0,
                "n_steps": 40,
            },
        ),
        Case(
            "a two-parameter concave quadratic",
            {
                "score": Formula("lambda t: -bowl @ (t - centre)", bowl=bowl, centre=centre),
                "theta0": np.zeros(2),
                "learning_rate": 0.3,
                "n_steps": 25,
            },
        ),
        Case(
            "the Poisson score in the log-rate, from 0",
            {"score": _poisson_log_rate(counts)[0], "theta0": np.array([0.0]), "learning_rate": 0.005, "n_steps": 60},
        ),
    ]


def _ascent_edge(rng: np.random.Generator) -> list[Case]:
    target = float(rng.normal())
    return [
        Case(
            "no steps at all (n_steps = 0)",
            {
                "score": Formula("lambda t: target - t", target=target),
                "theta0": np.array([1.0]),
                "learning_rate": 0.5,
                "n_steps": 0,
            },
        ),
        Case(
            "theta0 given as a plain list",
            {
                "score": Formula("lambda t: target - t", target=target),
                "theta0": [4.0],
                "learning_rate": 0.5,
                "n_steps": 5,
            },
        ),
        Case(
            "a learning rate so large that the iterates diverge",
            {
                "score": Formula("lambda t: target - t", target=target),
                "theta0": np.array([1.0]),
                "learning_rate": 2.5,
                "n_steps": 12,
            },
        ),
    ]


def _scaled_poisson_log_rate(k: np.ndarray, scale: float) -> tuple[Formula, Formula]:
    """Score and Hessian of ``scale`` times the Poisson log-likelihood in the log-rate. Newton's steps H⁻¹·score do
    not change with the scale, so the path and the root are those of the unscaled problem; the score and the
    curvature shrink with it, so a rule that stops on a small score (or steps by H·score) stops at once."""
    score = Formula("lambda theta: scale * np.array([k.sum() - k.size * np.exp(theta[0])])", k=k, scale=scale)
    hessian = Formula("lambda theta: scale * np.array([[-k.size * np.exp(theta[0])]])", k=k, scale=scale)
    return score, hessian


#: The scale of that log-likelihood: its score falls below the default tol several steps before Newton's step does.
TINY_SCALE = 1e-11


def _poisson_rate(k: np.ndarray) -> tuple[Formula, Formula]:
    """Score and Hessian of the Poisson log-likelihood in the rate λ itself: Σk/λ - n and -Σk/λ²."""
    score = Formula("lambda lam: np.array([k.sum() / lam[0] - k.size])", k=k)
    hessian = Formula("lambda lam: np.array([[-k.sum() / lam[0] ** 2]])", k=k)
    return score, hessian


def _two_peaks(centre: float, width: float) -> tuple[Formula, Formula]:
    """Score and Hessian of ℓ(θ) = width²·(u²/2 - u⁴/4), u = (θ - centre)/width: peaks at u = ±1, a valley
    (a local minimum) at u = 0. From |u₀| < 1/√5, Newton's map u ↦ -2u³/(1 - 3u²) goes to the valley, an ascent
    method to a peak: the root reached tells Newton's steps from others."""
    score = Formula(
        "lambda t: width * (((t - centre) / width) - ((t - centre) / width) ** 3)", centre=centre, width=width
    )
    hessian = Formula("lambda t: np.atleast_2d(1 - 3 * ((t - centre) / width) ** 2)", centre=centre, width=width)
    return score, hessian


def _newton_variant(
    score,
    hessian,
    theta0,
    tol: float,
    max_iter: int,
    sign: float = -1.0,
    signed_stop: bool = False,
    raise_at_end: bool = True,
    score_stop: bool = False,
    times_hessian: bool = False,
) -> np.ndarray:
    """Newton's iteration θ ← θ + sign·H⁻¹·score, stopping when the step's norm (or, with ``signed_stop``,
    every signed component of the step) is below ``tol``; ValueError if it has not stopped after max_iter
    (with ``raise_at_end``), else the last iterate.

    sign = -1 is Newton's method itself; the variants are the catalogued mistakes, run on the same case:
    ``score_stop`` returns θ as soon as the score's norm is below tol (before stepping), ``times_hessian``
    steps by H·score instead of H⁻¹·score.
    """
    theta = np.array(theta0, dtype=float)
    for _ in range(max_iter):
        gradient = np.asarray(score(theta), dtype=float)
        if score_stop and np.linalg.norm(gradient) < tol:
            return theta
        curvature = np.atleast_2d(hessian(theta))
        step = curvature @ gradient if times_hessian else np.linalg.solve(curvature, gradient)
        theta = theta + sign * step
        if np.all(step < tol) if signed_stop else np.linalg.norm(step) < tol:
            return theta
    if raise_at_end:
        raise ValueError("no convergence within max_iter")
    return theta


def _newton_iterations(score, hessian, theta0, tol: float) -> int:
    """How many iterations Newton's method takes on a case, counting the last (small) step."""
    theta = np.array(theta0, dtype=float)
    for iteration in range(1, 101):
        step = np.linalg.solve(np.atleast_2d(hessian(theta)), np.asarray(score(theta), dtype=float))
        theta = theta - step
        if np.linalg.norm(step) < tol:
            return iteration
    raise ValueError("a hidden case on which Newton's method does not converge")


#: Iterations a learner's Newton may take beyond the grader's own count: stopping rules differ by one at
#: most (step or score below tol, checked before or after the update); gradient steps or bisection need far more.
SPARE_ITERATIONS = 2


def _newton_path_case(label: str, score, hessian, theta0, tol: float, spare: int = SPARE_ITERATIONS) -> Case:
    """A Newton case whose max_iter leaves only ``spare`` iterations beyond Newton's own count, so that
    only Newton's steps (θ ← θ - H⁻¹·score) reach the root in time. With ``spare = 0``, max_iter is exactly
    Newton's count, the last step being the one below tol: a loop that gives up one step early raises."""
    needed = _newton_iterations(score, hessian, theta0, tol)
    max_iter = needed + spare
    return Case(
        f"{label}, with max_iter = {max_iter} (Newton's steps need {needed})",
        {"score": score, "hessian": hessian, "theta0": theta0, "tol": tol, "max_iter": max_iter},
    )


def _newton_cases(rng: np.random.Generator) -> list[Case]:
    counts = rng.poisson(6.5, 40)
    heights = rng.normal(172, 9, 50)
    rain = rng.gamma(2.5, 4.0, 80)
    arrivals = rng.poisson(3.0, 60)
    centre, width, start = rng.normal(0, 5), rng.uniform(1, 3), rng.choice([-1, 1]) * rng.uniform(0.2, 0.35)
    mu_eta = _normal_mu_log_sigma(heights)
    k0 = reference.gamma_mle(rain)[0] * 0.7
    return [
        _newton_path_case(
            "the Poisson MLE in the log-rate, from 0", *_poisson_log_rate(counts), np.array([0.0]), 1e-10
        ),
        _newton_path_case(
            "the Normal MLE of 50 heights in (mu, log sigma)",
            *mu_eta,
            np.array([heights.mean() + 1.0, np.log(heights.std()) + 0.1]),
            1e-10,
        ),
        _newton_path_case(
            "the gamma shape equation log k - digamma(k) = s for 80 rainfall amounts",
            *_gamma_shape_equation(rain),
            np.array([k0]),
            1e-12,
        ),
        _newton_path_case(
            "the Poisson MLE in the log-rate of 40 counts, from 0, with the log-likelihood multiplied by 1e-11 "
            "(Newton's steps do not change with the scale; the score is below tol long before the step is)",
            *_scaled_poisson_log_rate(counts, TINY_SCALE),
            np.array([0.0]),
            1e-10,
            spare=0,
        ),
        _newton_path_case(
            "the Poisson rate of 60 hourly arrivals, from half their mean",
            *_poisson_rate(arrivals),
            np.array([arrivals.mean() / 2]),
            1e-10,
        ),
        _newton_path_case(
            "a log-likelihood with two peaks, from the valley between them (Newton's steps find the valley's "
            "stationary point, a minimum; an ascent method would climb a peak)",
            *_two_peaks(centre, width),
            np.array([centre + start * width]),
            1e-10,
        ),
    ]


def _newton_edge(rng: np.random.Generator) -> list[Case]:
    centre = float(rng.normal(5, 1))
    bowl = np.array([[3.0, 1.0], [1.0, 2.0]])
    peak = rng.normal(0, 3, 2)
    return [
        Case(
            "a concave quadratic, which Newton solves in one step",
            {
                "score": Formula("lambda t: -(t - centre)", centre=centre),
                "hessian": Formula("lambda t: np.array([[-1.0]])"),
                "theta0": np.array([0.0]),
                "tol": 1e-10,
                "max_iter": 100,
            },
        ),
        Case(
            "theta0 given as a plain list",
            {
                "score": Formula("lambda t: -(t - centre)", centre=centre),
                "hessian": Formula("lambda t: np.array([[-1.0]])"),
                "theta0": [2.0],
                "tol": 1e-10,
                "max_iter": 100,
            },
        ),
        Case(
            "a two-parameter concave quadratic: one Newton step reaches its peak, a second confirms it "
            "(max_iter = 2 + 1 spare)",
            {
                "score": Formula("lambda t: -bowl @ (t - peak)", bowl=bowl, peak=peak),
                "hessian": Formula("lambda t: -bowl", bowl=bowl),
                "theta0": np.zeros(2),
                "tol": 1e-10,
                "max_iter": 3,
            },
        ),
    ]


def _gamma_data(rng: np.random.Generator) -> list[tuple[str, np.ndarray, float, float]]:
    return [
        ("60 daily rainfall amounts, in mm", rng.gamma(2.5, 4.0, 60), 2.0, 0.3),
        ("200 insurance claims, in thousands", rng.gamma(0.6, 10.0, 200), 0.5, 0.05),
        ("30 service times with a large shape", rng.gamma(40.0, 0.1, 30), 35.0, 9.0),
    ]


def _gamma_edge(rng: np.random.Generator) -> list[tuple[str, list | np.ndarray, float, float]]:
    return [
        ("a plain list", [round(v, 3) for v in rng.gamma(3.0, 1.0, 6)], 3.0, 1.0),
        ("large amounts around 10 000", rng.gamma(5.0, 2000.0, 40), 5.0, 5e-4),
    ]


def _wald_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("40 song tempos at 95%", {"x": rng.normal(120, 15, 40), "level": 0.95}),
        Case("200 reaction times at 90%", {"x": rng.normal(0.45, 0.08, 200), "level": 0.9}),
        Case("25 weights at 99%", {"x": rng.normal(70, 12, 25), "level": 0.99}),
    ]


def _wald_edge(rng: np.random.Generator) -> list[Case]:
    return [
        Case("the default level (95%)", {"x": rng.normal(10, 2, 15)}),
        Case("a single observation: zero width", {"x": [float(rng.normal())], "level": 0.8}),
        Case("a plain list", {"x": [1.0, 2.5, 2.0, 4.0], "level": 0.5}),
    ]


def _wald(x, z: float, sigma: float | None = None) -> tuple[float, float]:
    """A Wald interval for the mean with quantile ``z`` and standard deviation ``sigma`` (the MLE σ̂ if None)."""
    x = np.asarray(x, dtype=float)
    half = z * (np.std(x) if sigma is None else sigma) / np.sqrt(x.size)
    return (x.mean() - half, x.mean() + half)


def _minka_start(x) -> float:
    """Minka's closed-form approximation of the gamma shape's MLE, about 1% off: a start for Newton."""
    x = np.asarray(x, dtype=float)
    s = np.log(x.mean()) - np.mean(np.log(x))
    return float((3 - s + np.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s))


def _moments(x, ddof: int = 0) -> tuple[float, float]:
    """The gamma method of moments, (x̄²/v, x̄/v), with the variance v of ``ddof``."""
    x = np.asarray(x, dtype=float)
    variance = np.var(x, ddof=ddof)
    return float(x.mean() ** 2 / variance), float(x.mean() / variance)


#: Declared apart because a bad call names it too: newton_raphson must raise, not return, after max_iter.
NO_RUNTIME_ERROR = Mistake(
    "no RuntimeError after max_iter",
    "Your function returned its last iterate after max_iter steps without converging. The caller cannot tell "
    "that θ from a root: after the loop, raise RuntimeError('no convergence within max_iter steps').",
    # Newton's last iterate after max_iter steps, named from the bad call that must raise (on a case that
    # converges the right answer matches too, so diagnose blames nothing there)
    computes(
        lambda score, hessian, theta0, tol=1e-10, max_iter=100: _newton_variant(
            score, hessian, theta0, tol, max_iter, raise_at_end=False
        )
    ),
    learners=("rita_no_error",),
)

ASSIGNMENT = "03_numerical_mle"

GRADED = (
    GradedFunction(
        name="gradient_ascent",
        assignment=ASSIGNMENT,
        reference=reference.gradient_ascent,
        typical=_ascent_cases,
        edge=_ascent_edge,
        judge=same_outputs(reference.gradient_ascent, ("theta", "history")),
        bad_calls=(
            BadCall(
                "learning_rate", {"score": Formula("lambda t: -t"), "theta0": [1.0], "learning_rate": 0.0, "n_steps": 3}
            ),
            BadCall(
                "n_steps", {"score": Formula("lambda t: -t"), "theta0": [1.0], "learning_rate": 0.1, "n_steps": -1}
            ),
        ),
        mistakes=(
            Mistake(
                "descent instead of ascent",
                "Your iterates move against the score: θ ← θ - lr·score(θ) is gradient descent, which minimises. "
                "To climb the log-likelihood, step along the score: θ ← θ + lr·score(θ).",
                computes(
                    lambda score, theta0, learning_rate, n_steps: reference.gradient_ascent(
                        lambda theta: -np.asarray(score(theta), dtype=float), theta0, learning_rate, n_steps
                    ),
                    component=1,
                ),
                learners=("dan_descent",),
            ),
            Mistake(
                "history aliases one array",
                "Every row of your history equals the final θ: you stored the same array object at each step and "
                "then changed it in place (θ += ...). Store a copy (history.append(theta.copy())) or build a new "
                "array each step (theta = theta + ...).",
                computes(
                    lambda score, theta0, learning_rate, n_steps: (
                        0,
                        np.tile(reference.gradient_ascent(score, theta0, learning_rate, n_steps)[0], (n_steps + 1, 1)),
                    ),
                    component=1,
                ),
                learners=("alia_aliased_history",),
            ),
            Mistake(
                "history without the start",
                "Your history has n_steps rows: it must start with θ₀ itself, so it has n_steps + 1 rows.",
                computes(
                    lambda score, theta0, learning_rate, n_steps: (
                        0,
                        reference.gradient_ascent(score, theta0, learning_rate, n_steps)[1][1:],
                    ),
                    component=1,
                ),
                learners=("stan_no_start",),
            ),
            Mistake(
                "history without the end",
                "Your history stops before the last step: it must hold θ₀ and every iterate after it, n_steps + "
                "1 rows ending with the θ you return.",
                computes(
                    lambda score, theta0, learning_rate, n_steps: (
                        0,
                        reference.gradient_ascent(score, theta0, learning_rate, n_steps)[1][:-1],
                    ),
                    component=1,
                ),
                learners=("hal_history_end",),
            ),
            Mistake(
                "one step too many",
                "Your loop takes n_steps + 1 steps (range(n_steps + 1)), so your history has n_steps + 2 rows. "
                "Take exactly n_steps steps: the history holds θ₀ and the n_steps iterates after it.",
                computes(
                    lambda score, theta0, learning_rate, n_steps: (
                        0,
                        reference.gradient_ascent(score, theta0, learning_rate, n_steps + 1)[1],
                    ),
                    component=1,
                ),
                learners=("ozzy_one_more_step",),
            ),
            Mistake(
                "history transposed",
                "Your history has one column per iterate (np.column_stack, or .T): it must have one row per "
                "iterate, shape (n_steps + 1, number of parameters), θ₀ in the first row.",
                computes(
                    lambda score, theta0, learning_rate, n_steps: (
                        0,
                        reference.gradient_ascent(score, theta0, learning_rate, n_steps)[1].T,
                    ),
                    component=1,
                ),
                learners=("tove_transposed_history",),
            ),
        ),
    ),
    GradedFunction(
        name="newton_raphson",
        assignment=ASSIGNMENT,
        reference=reference.newton_raphson,
        typical=_newton_cases,
        edge=_newton_edge,
        judge=same_array(reference.newton_raphson),
        bad_calls=(
            BadCall(
                "max_iter",
                {
                    "score": Formula("lambda t: np.exp(t) - 5"),
                    "hessian": Formula("lambda t: np.exp(t)[:, None]"),
                    "theta0": [10.0],
                    "tol": 1e-10,
                    "max_iter": 2,
                },
                error=RuntimeError,
                why="is too small to converge",
                must_name=False,
                if_returned=NO_RUNTIME_ERROR,
            ),
        ),
        mistakes=(
            Mistake(
                "plus step",
                "Your iterates move by θ + H⁻¹·score, the opposite of Newton's step: they run away from the root (to "
                "λ = 0 for the Poisson rate, off to infinity elsewhere). Newton's step solves H·step = score and "
                "subtracts it: θ ← θ - H⁻¹·score.",
                computes(
                    lambda score, hessian, theta0, tol=1e-10, max_iter=100: _newton_variant(
                        score, hessian, theta0, tol, max_iter, sign=1.0
                    )
                ),
                learners=("pam_plus_step",),
            ),
            Mistake(
                "step compared without its norm",
                "You stopped at the first step whose components are all below tol, signs included, so a large "
                "step downhill (a negative component) counts as converged. Compare the step's length: stop when "
                "np.linalg.norm(step) < tol.",
                computes(
                    lambda score, hessian, theta0, tol=1e-10, max_iter=100: _newton_variant(
                        score, hessian, theta0, tol, max_iter, signed_stop=True
                    )
                ),
                learners=("norm_signed_step",),
            ),
            NO_RUNTIME_ERROR,
            Mistake(
                "score compared with tol",
                "You stopped when the score's norm fell below tol. The spec stops on the step: a log-likelihood "
                "with little curvature (here one multiplied by 1e-11) has a tiny score far from its peak, while "
                "Newton's step H⁻¹·score does not change with the scale. Compute the step, take it, and stop "
                "when np.linalg.norm(step) < tol.",
                computes(
                    lambda score, hessian, theta0, tol=1e-10, max_iter=100: _newton_variant(
                        score, hessian, theta0, tol, max_iter, score_stop=True
                    )
                ),
                learners=("sage_score_stop",),
            ),
            Mistake(
                "H times score",
                "Your step multiplies the score by the Hessian, H·score; Newton's step solves H·step = score, "
                "step = H⁻¹·score (np.linalg.solve(H, score)). With little curvature H·score is tiny and your "
                "loop stops at once; elsewhere it overshoots.",
                computes(
                    lambda score, hessian, theta0, tol=1e-10, max_iter=100: _newton_variant(
                        score, hessian, theta0, tol, max_iter, times_hessian=True
                    )
                ),
                learners=("hank_hessian_times_score",),
            ),
        ),
    ),
    GradedFunction(
        name="gamma_log_likelihood",
        assignment=ASSIGNMENT,
        reference=reference.gamma_log_likelihood,
        typical=lambda rng: [Case(label, {"x": x, "shape": k, "rate": b}) for label, x, k, b in _gamma_data(rng)],
        edge=lambda rng: [
            *(Case(label, {"x": x, "shape": k, "rate": b}) for label, x, k, b in _gamma_edge(rng)),
            Case("an amount of exactly 0 with shape 1 (finite density)", {"x": [0.0, 1.5], "shape": 1.0, "rate": 2.0}),
            Case("an amount of exactly 0 with shape 2 (zero density)", {"x": [0.0, 1.5], "shape": 2.0, "rate": 2.0}),
            Case("a negative amount, impossible", {"x": [1.0, -0.5], "shape": 2.0, "rate": 1.0}),
        ],
        judge=same_value(reference.gamma_log_likelihood),
        bad_calls=(
            BadCall("shape", {"x": [1.0], "shape": 0.0, "rate": 1.0}),
            BadCall("rate", {"x": [1.0], "shape": 1.0, "rate": -1.0}),
        ),
        mistakes=(
            Mistake(
                "rate and scale confused",
                "Your value treats the second parameter as the scale θ = 1/β. The spec uses the rate β: the density "
                "is βᵏ x^(k-1) e^(-βx) / Γ(k), and scipy.stats.gamma needs scale=1/rate.",
                computes(lambda x, shape, rate: reference.gamma_log_likelihood(x, shape, 1 / rate)),
                learners=("gia_gamma_scale",),
            ),
            Mistake(
                "dropped log Gamma(k) constant",
                "Your value is off by exactly n·log Γ(k): the normalising Γ(k) was dropped. It depends on the shape, "
                "so it even moves the maximum in k: keep -n·scipy.special.gammaln(k).",
                computes(
                    lambda x, shape, rate: (
                        reference.gamma_log_likelihood(x, shape, rate) + np.asarray(x).size * special.gammaln(shape)
                    )
                ),
                learners=("greg_no_gamma_function",),
            ),
            Mistake(
                "negative log-likelihood",
                "Your value has the wrong sign: you returned the negative log-likelihood.",
                negated(reference.gamma_log_likelihood),
                learners=("nell_negative_gamma",),
            ),
            Mistake(
                "0 log 0 evaluated as NaN",
                "Your value is NaN for an observation of exactly 0 with shape 1: (k - 1)·log(0) is 0·(-inf) = "
                "NaN. The density at 0 is finite for k = 1 (it is β), so the term is 0: use "
                "scipy.special.xlogy(shape - 1, x).",
                not_a_number(),
                learners=("zia_zero_amount",),
            ),
            Mistake(
                "log k! for log Gamma(k)",
                "Your value is off by n·log k: you used log k! = gammaln(k + 1) where log Γ(k) = gammaln(k) "
                "belongs (Γ(k) = (k - 1)!).",
                computes(
                    lambda x, shape, rate: reference.gamma_log_likelihood(x, shape, rate) - np.size(x) * np.log(shape)
                ),
                learners=("fitz_factorial_gamma",),
            ),
            Mistake(
                "constants not multiplied by n",
                "Your value has k log β - log Γ(k) once; each of the n observations contributes it, so the "
                "log-likelihood has n(k log β - log Γ(k)).",
                computes(
                    lambda x, shape, rate: (
                        reference.gamma_log_likelihood(x, shape, rate)
                        - (np.size(x) - 1) * (shape * np.log(rate) - special.gammaln(shape))
                    )
                ),
                learners=("ned_constants_once",),
            ),
            Mistake(
                "log Gamma(k) not multiplied by n",
                "Your value subtracts log Γ(k) once: every one of the n observations has the factor 1/Γ(k) in its "
                "density, so the log-likelihood has -n·log Γ(k).",
                computes(
                    lambda x, shape, rate: (
                        reference.gamma_log_likelihood(x, shape, rate) + (np.size(x) - 1) * special.gammaln(shape)
                    )
                ),
                learners=("gwen_gamma_once",),
            ),
            Mistake(
                "k log x for (k - 1) log x",
                "Your value has k·Σlog xᵢ where (k - 1)·Σlog xᵢ belongs: the density has x^(k-1), so each "
                "observation contributes (k - 1)·log xᵢ.",
                computes(
                    lambda x, shape, rate: (
                        reference.gamma_log_likelihood(x, shape, rate) + np.sum(np.log(np.asarray(x, dtype=float)))
                    )
                ),
                learners=("kurt_k_log_x",),
            ),
        ),
    ),
    GradedFunction(
        name="gamma_mle",
        assignment=ASSIGNMENT,
        reference=reference.gamma_mle,
        typical=lambda rng: [Case(label, {"x": x}) for label, x, _, _ in _gamma_data(rng)],
        edge=lambda rng: [Case(label, {"x": x}) for label, x, _, _ in _gamma_edge(rng)],
        judge=same_fit(reference.gamma_mle, ("shape", "rate"), reference.gamma_log_likelihood),
        bad_calls=(
            BadCall("x", {"x": []}, why="is empty"),
            BadCall("x", {"x": [1.0, -2.0]}, why="holds a negative value"),
        ),
        mistakes=(
            Mistake(
                "method of moments",
                "Your estimates match the mean k/β and variance k/β² (the method of moments: k = x̄²/s², β = x̄/s²). "
                "That is a good starting point, but not the MLE: solve log k - ψ(k) = log x̄ - mean(log x) by Newton's "
                "method, then β = k/x̄.",
                computes(lambda x: (np.mean(x) ** 2 / np.var(x), np.mean(x) / np.var(x))),
                learners=("moe_moments",),
            ),
            Mistake(
                "rate and scale confused",
                "Your shape is right but your second value is the scale x̄/k; the function returns the rate β = k/x̄.",
                computes(lambda x: (0, 1 / reference.gamma_mle(x)[1]), component=1),
                learners=("sol_gamma_scale",),
            ),
            Mistake(
                "approximation without Newton",
                "Your shape is the closed-form approximation (3 - s + √((s-3)² + 24s))/(12s). It is a starting "
                "point, accurate to about 1%: refine it with Newton steps on log k - ψ(k) = s until the step is "
                "below a tolerance.",
                computes(lambda x: (_minka_start(x), _minka_start(x) / np.mean(x))),
                learners=("abi_approximation",),
            ),
            Mistake(
                "method of moments with n - 1",
                "Your estimates are the method of moments with the sample variance s² (ddof=1): k = x̄²/s², β = x̄/s². "
                "Neither is the MLE: solve log k - ψ(k) = log x̄ - mean(log x) by Newton's method, then β = k/x̄.",
                computes(lambda x: _moments(x, ddof=1)),
                learners=("mona_moments_unbiased",),
            ),
            Mistake(
                "estimates in the wrong order",
                "Your tuple is (rate, shape): the function returns (shape, rate), the shape k first.",
                computes(lambda x: tuple(reversed(reference.gamma_mle(x)))),
                learners=("ward_wrong_order",),
            ),
            Mistake(
                "rate as one over the mean",
                "Your shape is right but your rate is 1/x̄, the exponential's rate. Setting ∂ℓ/∂β = nk/β - Σxᵢ to "
                "zero gives β = k/x̄: the shape enters the rate.",
                computes(lambda x: (reference.gamma_mle(x)[0], 1 / np.mean(np.asarray(x, dtype=float)))),
                learners=("rhea_rate_one_over_mean",),
            ),
        ),
    ),
    GradedFunction(
        name="normal_fisher_information",
        assignment=ASSIGNMENT,
        reference=reference.normal_fisher_information,
        typical=lambda rng: [Case(f"sigma = {s:g}", {"sigma": s}) for s in (1.0, 0.5, float(rng.uniform(10, 20)))],
        edge=lambda rng: [Case(f"sigma = {s:g}", {"sigma": s}) for s in (1e-3, 1e3)],
        judge=same_array(reference.normal_fisher_information),
        bad_calls=(BadCall("sigma", {"sigma": 0.0}), BadCall("sigma", {"sigma": -1.0})),
        mistakes=(
            Mistake(
                "Fisher information for sigma squared",
                "Your second diagonal entry is 1/(2σ⁴), the information about the variance σ². The spec parametrises "
                "by σ itself: -E[∂²ℓ/∂σ²] = 2/σ² per observation.",
                computes(lambda sigma: np.diag([1 / sigma**2, 1 / (2 * sigma**4)])),
                learners=("vic_variance_information",),
            ),
            Mistake(
                "missing factor 2",
                "Your second diagonal entry is 1/σ²; for σ it is 2/σ²: "
                "E[∂²/∂σ² of log f] = 1/σ² - 3E[(x-μ)²]/σ⁴ = -2/σ².",
                computes(lambda sigma: np.diag([1 / sigma**2, 1 / sigma**2])),
                learners=("fred_factor_two",),
            ),
            Mistake(
                "Fisher information with the wrong sign",
                "Your matrix is the expected Hessian, E[∂²ℓ], which is negative. Fisher information is its "
                "negative, -E[∂²ℓ] = diag(1/σ², 2/σ²), positive definite.",
                negated(reference.normal_fisher_information),
                learners=("hes_hessian_sign",),
            ),
            Mistake(
                "inverse of the information",
                "Your matrix is diag(σ², σ²/2), the inverse of the information (the asymptotic covariance of "
                "(μ̂, σ̂) per observation). The Fisher information itself is diag(1/σ², 2/σ²).",
                computes(lambda sigma: np.linalg.inv(reference.normal_fisher_information(sigma))),
                learners=("ivy_inverse_information",),
            ),
            Mistake(
                "sigma instead of sigma squared",
                "Your entries divide by σ where σ² belongs: the information per observation is diag(1/σ², 2/σ²) "
                "(for μ, -∂²/∂μ² of -(x-μ)²/(2σ²) is 1/σ²).",
                computes(lambda sigma: np.diag([1 / sigma, 2 / sigma])),
                learners=("sigi_sigma_not_squared",),
            ),
            Mistake(
                "half instead of twice",
                "Your second diagonal entry is 1/(2σ²); for σ it is 2/σ²: -E[∂²/∂σ² of log f] = -1/σ² + "
                "3E[(x-μ)²]/σ⁴ = 2/σ².",
                computes(lambda sigma: np.diag([1 / sigma**2, 1 / (2 * sigma**2)])),
                learners=("hugo_half_information",),
            ),
        ),
    ),
    GradedFunction(
        name="wald_interval_mu",
        assignment=ASSIGNMENT,
        reference=reference.wald_interval_mu,
        typical=_wald_cases,
        edge=_wald_edge,
        judge=same_outputs(reference.wald_interval_mu, ("lo", "hi")),
        bad_calls=(
            BadCall("level", {"x": [1.0, 2.0], "level": 0.0}),
            BadCall("level", {"x": [1.0, 2.0], "level": 1.0}),
            BadCall("x", {"x": [], "level": 0.95}, why="is empty"),
        ),
        mistakes=(
            Mistake(
                "fixed 1.96",
                "Your interval uses z = 1.96 whatever the level. Use the normal quantile of the level asked: "
                "z = scipy.stats.norm.ppf((1 + level) / 2), which is 1.6449 at 90% and 1.95996... at 95%.",
                computes(lambda x, level=0.95: _wald(x, z=1.96)),
                learners=("zoe_fixed_z",),
            ),
            Mistake(
                "n - 1 in sigma_hat",
                "Your interval uses the sample standard deviation with n - 1. The Wald interval of this notebook "
                "plugs in the MLE σ̂ = sqrt(Σ(xᵢ-x̄)²/n) (np.std(x) with its default ddof=0).",
                computes(
                    lambda x, level=0.95: _wald(
                        x, z=stats.norm.ppf((1 + level) / 2), sigma=np.std(np.asarray(x, float), ddof=1)
                    )
                ),
                learners=("bea_bessel_wald",),
            ),
            Mistake(
                "one-sided quantile",
                "Your z is the level quantile, norm.ppf(level). A two-sided interval leaves (1 - level)/2 in each "
                "tail: z = norm.ppf((1 + level) / 2).",
                computes(lambda x, level=0.95: _wald(x, z=stats.norm.ppf(level))),
                learners=("otto_one_sided",),
            ),
            Mistake(
                "no square root of n",
                "Your half-width is z·σ̂: it is missing the 1/√n. The interval is for the mean μ, whose standard "
                "error is σ̂/√n: μ̂ ∓ z·σ̂/√n.",
                computes(lambda x, level=0.95: _wald(x, z=stats.norm.ppf((1 + level) / 2) * np.sqrt(np.size(x)))),
                learners=("root_forgot_sqrt_n",),
            ),
            Mistake(
                "variance for the standard deviation",
                "Your half-width uses the variance σ̂² where the standard deviation σ̂ belongs: μ̂ ∓ z·σ̂/√n "
                "with σ̂ = np.std(x).",
                computes(
                    lambda x, level=0.95: _wald(
                        x, z=stats.norm.ppf((1 + level) / 2), sigma=np.var(np.asarray(x, float))
                    )
                ),
                learners=("vale_variance_wald",),
            ),
            Mistake(
                "t quantile",
                "Your interval uses Student's t quantile with n - 1 degrees of freedom. The Wald interval is built "
                "from the MLE's asymptotic normality: z = scipy.stats.norm.ppf((1 + level) / 2).",
                computes(
                    lambda x, level=0.95: (
                        _wald(x, z=stats.t.ppf((1 + level) / 2, np.size(x) - 1)) if np.size(x) > 1 else None
                    )
                ),
                learners=("ted_t_quantile",),
            ),
            Mistake(
                "t interval",
                "Your interval is the textbook t interval, Student's t quantile with the n - 1 standard deviation "
                "s. The Wald interval comes from the MLE's asymptotic normality: μ̂ ∓ z·σ̂/√n with "
                "z = norm.ppf((1 + level) / 2) and the MLE σ̂ (np.std(x), ddof=0).",
                computes(
                    lambda x, level=0.95: (
                        _wald(
                            x,
                            z=stats.t.ppf((1 + level) / 2, np.size(x) - 1),
                            sigma=np.std(np.asarray(x, float), ddof=1),
                        )
                        if np.size(x) > 1
                        else None
                    )
                ),
                learners=("tanya_t_interval",),
            ),
            Mistake(
                "lower-tail quantile",
                "Your interval comes out as (hi, lo), upside down: z = norm.ppf((1 - level)/2) is the lower tail's "
                "quantile, a negative number. Use the upper one, z = norm.ppf((1 + level)/2) > 0.",
                computes(lambda x, level=0.95: tuple(reversed(reference.wald_interval_mu(x, level)))),
                learners=("lola_lower_tail",),
            ),
            Mistake(
                "n for root n",
                "Your half-width divides σ̂ by n: the standard error of the mean is σ̂/√n, so the interval is "
                "μ̂ ∓ z·σ̂/√n.",
                computes(lambda x, level=0.95: _wald(x, z=stats.norm.ppf((1 + level) / 2) / np.sqrt(np.size(x)))),
                learners=("nate_n_for_root_n",),
            ),
        ),
    ),
)
