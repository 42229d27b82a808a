"""The bundled sample class, graded end to end by stock ``nbgrader autograde`` through ``course demo``.

Each learner's marks are stated here, per graded function (points earned out
of 3: 2 for the typical hidden checks and 1 for the edge cases), and worked
out by hand from what the learner wrote, not copied from a run.
"""

import pytest

from autograder.cli import main
from autograder.gradebook import marks
from tests.conftest import ROOT, read_notebook

FUNCTIONS = ("normal_log_likelihood", "normal_score", "normal_mle", "simulate_sigma2_hat")
EXPECTED = {  # student: marks on FUNCTIONS, in order
    "ada_correct": (3, 3, 3, 3),
    "bob_loops": (3, 3, 3, 3),
    "chen_scipy": (3, 3, 3, 3),
    "dana_bessel": (3, 3, 0, 3),
    "eli_variance": (3, 3, 0, 3),
    "fay_median": (3, 3, 0, 3),
    "gus_no_constant": (0, 3, 3, 3),
    "hana_sign": (3, 0, 3, 3),
    "ivan_unfinished": (3, 0, 0, 0),
    "jo_crash": (3, 0, 3, 3),
    "kim_debug_prints": (3, 3, 3, 3),  # stderr output in test cells costs nothing
    "lea_sd_simulation": (3, 3, 3, 1),  # her edge cases (n = 1, one repetition) still pass
    "max_negative": (0, 3, 3, 3),
}
NAMED_MISTAKES = {  # student: (graded cell, words the feedback must contain)
    "dana_bessel": ("normal_mle", "Likely mistake (n - 1 instead of n)"),
    "eli_variance": ("normal_mle", "Likely mistake (variance instead of standard deviation)"),
    "fay_median": ("normal_mle", "Likely mistake (median instead of mean)"),
    "gus_no_constant": ("normal_log_likelihood_edge", "Likely mistake (dropped 2 pi constant)"),
    "max_negative": ("normal_log_likelihood_edge", "Likely mistake (negative log-likelihood)"),
    "lea_sd_simulation": ("simulate_sigma2_hat", "Likely mistake (standard deviation instead of variance)"),
    "ivan_unfinished": ("normal_mle_edge", "not implemented yet"),
    "jo_crash": ("normal_score_edge", "raised IndexError"),
}


def test_every_sample_learner_has_stated_marks():
    assert sorted(EXPECTED) == sorted(p.stem for p in (ROOT / "samples" / "01_normal_mle").glob("*.py"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    course = tmp_path_factory.mktemp("demo") / "course"
    assert main(["--root", str(ROOT), "demo", "--dir", str(course)]) == 0
    return course


@pytest.mark.slow
def test_each_sample_learner_gets_exactly_the_stated_marks(demo):
    table = marks(f"sqlite:///{demo / 'gradebook.db'}", "01_normal_mle")
    got = {student: tuple(row[name].score for name in FUNCTIONS) for student, row in table.items()}
    assert got == EXPECTED
    assert all(row["bias_answer"].max_score == 2 for row in table.values())


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(NAMED_MISTAKES))
def test_feedback_names_the_learners_mistake(demo, student):
    cell_id, words = NAMED_MISTAKES[student]
    notebook = read_notebook(demo / "autograded" / student / "01_normal_mle" / "normal_mle.ipynb")
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == cell_id)
    text = "\n".join(o.get("evalue", "") + "".join(o.get("traceback", [])) for o in cell.outputs)
    assert words in text
