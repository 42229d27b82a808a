"""Hostile numbers from a kernel, graded in one class beside honest learners (issue 11).

Each attacker builds on Ada's right answers and returns odd numbers from one function: NaN for every
hidden call of the simulation (after passing the visible tests and the reproducibility property), the
integer 10**400 as a log-likelihood, float16 and int8 estimates, an infinite sigma_hat. Each loses the
function concerned, with a message in its cell that says what is wrong; every submission is graded, and
the honest marks do not move. Expected marks are per graded function of 01_normal_mle (see
tests/attack_class.py).
"""

import pytest

from tests.attack_class import ASSIGNMENT, HONEST, add_learners, build_course, grade
from tests.conftest import ROOT

ATTACKS = ROOT / "tests" / "attacks" / "values" / ASSIGNMENT

EXPECTED = {
    **HONEST,
    # NaN for every hidden call (zeros for n = 1): the visible tests pass, the hidden checks fail
    "nan_simulator": (3, 3, 3, 0),
    # 10**400 (an int beyond float range) for every call but the visible example
    "huge_log_likelihood": (0, 3, 3, 3),
    # float16: imprecise everywhere, infinite where sigma is far below the spread
    "float16_score": (3, 0, 3, 3),
    # int8 estimates, truncated (and wrapped around past 127)
    "int8_mle": (3, 3, 0, 3),
    # an infinite sigma_hat, which the "fits at least as well" fallback must refuse
    "inf_mle": (3, 3, 0, 3),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = build_course(tmp_path_factory.mktemp("values"))
    add_learners(course, ATTACKS)
    return grade(course)


@pytest.mark.slow
def test_every_submission_is_graded_and_published(graded):
    assert {s: o.problems for s, o in graded.outcomes.items() if not o.success} == {}
    assert set(graded.marks) == set(EXPECTED)


@pytest.mark.slow
def test_honest_marks_do_not_move(graded):
    assert graded.honest_marks_kept() == {}


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(set(EXPECTED) - set(HONEST)))
def test_each_attacker_gets_the_marks_it_deserves(graded, student):
    assert graded.scores(student) == EXPECTED[student]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("student", "grade_id", "words"),
    [
        ("nan_simulator", "simulate_sigma2_hat", "values are NaN or infinite, where a finite number belongs"),
        ("nan_simulator", "simulate_sigma2_hat_edge", "1 of 1 values are NaN or infinite"),
        ("huge_log_likelihood", "normal_log_likelihood", "an integer of about 401 digits, too large for a float"),
        ("huge_log_likelihood", "normal_log_likelihood_edge", "too large for a float"),
        ("float16_score", "normal_score_edge", "NaN or infinite, where a finite number belongs"),
        ("int8_mle", "normal_mle", "mu_hat: expected"),
        ("inf_mle", "normal_mle", "sigma_hat: expected"),
        ("inf_mle", "normal_mle_edge", "got inf (NaN or infinite"),
    ],
)
def test_the_odd_values_are_explained_in_their_cell(graded, student, grade_id, words):
    messages = graded.messages(student, grade_id)
    assert words in messages
    assert len(messages) < 5000
