"""``course similarity`` (autograder/similarity.py): copied work ranks first, independent right answers do not."""

import csv
import html
import os
import shutil

import nbformat
import pytest

from autograder.cli import main
from autograder.errors import NoGradebook
from autograder.samples import write_submissions
from autograder.similarity import CONTENT_SECURITY_POLICY, Pair, rank_pairs, submitted_code, tidy, write_html
from tests.conftest import ROOT, released_course

ASSIGNMENT = "01_normal_mle"
COPIERS = ("uma_original", "vic_copied")
#: Full marks, each written independently in a style of its own (vectorised NumPy, plain loops, scipy.stats).
#: The other sample learners are built from ada_correct's code on purpose (one mistake each), so they are alike.
OWN_STYLES = ("ada_correct", "bob_loops", "chen_scipy")

ORIGINAL = """
def normal_mle(x):
    data = np.asarray(x, dtype=float)
    if data.size == 0:
        raise ValueError("x must hold at least one value")
    centre = data.sum() / data.size
    spread = math.sqrt(np.dot(data - centre, data - centre) / data.size)
    return float(centre), float(spread)
"""
RENAMED = ORIGINAL.replace("data", "values").replace("centre", "middle").replace("spread", "width")
OTHER_STYLE = """
def normal_mle(x):
    values = list(x)
    if len(values) == 0:
        raise ValueError("x needs at least one value")
    mean = sum(values) / len(values)
    variance = sum((v - mean) ** 2 for v in values) / len(values)
    return mean, math.sqrt(variance)
"""


def test_renamed_copy_scores_far_above_the_same_answer_in_another_style():
    pairs = {(p.first, p.second): p.score for p in rank_pairs({"a": ORIGINAL, "b": RENAMED, "c": OTHER_STYLE}, "")}
    assert pairs[("a", "b")] == pytest.approx(1.0)
    assert pairs[("a", "c")] < 0.3 and pairs[("b", "c")] < 0.3


def test_the_release_code_never_counts():
    stub = 'def normal_mle(x):\n    """Return the MLE."""\n    # YOUR CODE HERE\n    raise NotImplementedError()'
    (pair,) = rank_pairs({"a": stub, "b": stub}, boilerplate=stub)
    assert pair.score == 0
    (pair,) = rank_pairs({"a": stub, "b": stub}, boilerplate="")
    assert pair.score == pytest.approx(1.0)  # the same stub without the boilerplate: what the release removes


def test_tidy_bounds_what_is_lexed():
    code = tidy("x = 1   \n\n\n" * 100_000 + "y" * 10_000)
    assert "\n\n" not in code and len(code) <= 64 * 1024
    assert max(len(line) for line in code.splitlines()) <= 400


def test_the_page_escapes_every_learner_string(tmp_path):
    evil = "</pre><script>alert(1)</script><img src=x onerror=alert(2)>"
    pair = Pair("<b>a</b>", "b", 1.0, 1.0, evil, "print('ok')")
    write_html("01_normal_mle", [pair], tmp_path / "page.html")
    page = (tmp_path / "page.html").read_text()
    assert "<script>" not in page and "<img" not in page and "<b>a</b>" not in page
    assert html.escape(evil) in page
    assert CONTENT_SECURITY_POLICY in page and "script-src" not in CONTENT_SECURITY_POLICY


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The sample class of 01_normal_mle submitted (not graded: similarity needs the gradebook and release only)."""
    course = released_course(tmp_path_factory.mktemp("similar") / "course", [ASSIGNMENT])
    write_submissions(ROOT / "samples" / ASSIGNMENT, course / "release" / ASSIGNMENT, course / "submitted")
    return course


@pytest.mark.slow
def test_copiers_rank_first_among_learners_who_wrote_their_own_code(course):
    assert main(["--root", str(course), "similarity", ASSIGNMENT]) == 0
    with (course / "similarity" / f"{ASSIGNMENT}.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    independent = {*COPIERS, *OWN_STYLES}
    ranked = [row for row in rows if {row["student_1"], row["student_2"]} <= independent]
    assert (ranked[0]["student_1"], ranked[0]["student_2"]) == COPIERS
    copied = float(ranked[0]["score"])
    honest = [float(row["score"]) for row in ranked[1:]]
    assert copied > 0.7 and max(honest) < copied / 2, (copied, max(honest))
    page = (course / "similarity" / f"{ASSIGNMENT}.html").read_text()
    assert "<td>uma_original</td><td>vic_copied</td>" in page


@pytest.mark.slow
def test_cells_a_submission_calls_solutions_are_not_believed_and_links_are_left_out(course):
    """A markdown cell claiming to be a solution adds nothing; a linked notebook is named, not read."""
    notebook_path = course / "submitted" / "bob_loops" / ASSIGNMENT / "normal_mle.ipynb"
    notebook = nbformat.read(notebook_path, as_version=4)
    forged = nbformat.v4.new_code_cell(
        "import os  # forged", metadata={"nbgrader": {"solution": True, "grade_id": "x"}}
    )
    notebook.cells.append(forged)
    nbformat.write(notebook, notebook_path)
    linked = course / "submitted" / "zed_link" / ASSIGNMENT
    linked.mkdir(parents=True)
    os.symlink(course / "source" / ASSIGNMENT / "normal_mle.ipynb", linked / "normal_mle.ipynb")
    codes, notes = submitted_code(course, ASSIGNMENT, ["normal_mle"], f"sqlite:///{course / 'gradebook.db'}")
    assert "def normal_log_likelihood" in codes["bob_loops"] and "# forged" not in codes["bob_loops"]
    assert "zed_link" not in codes and any(note.startswith("zed_link: normal_mle.ipynb left out") for note in notes)


def test_an_assignment_the_gradebook_does_not_know_says_what_to_run(tmp_path, capsys):
    (tmp_path / "source").mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    code = main(["--root", str(tmp_path), "similarity", ASSIGNMENT])
    assert code == NoGradebook.exit_code
    assert "course release" in capsys.readouterr().err.replace("\n", " ")
