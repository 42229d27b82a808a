"""The bundled sample class and its hand-worked marks, in two layers.

Who makes which mistake in which function comes from the declarations (:mod:`autograder.functions`);
the marks are worked out by hand from what each learner wrote, not copied from a run. Each graded
function is worth 3 points: 2 for its main cell (hidden typical data, then the visible tests) and 1 for
its edge cell (hidden edge cases and bad parameters). A learner who makes a catalogued mistake in a
function fails both its cells (0 of 3) unless :data:`PARTIAL` says otherwise, and keeps 3 on every other
function; a learner with no catalogued mistake keeps 3 everywhere unless :data:`OTHERS` says otherwise.

What each layer proves:

* In process (:func:`test_each_mistake_makers_parts_pass_and_fail_as_stated`, and every sample learner in
  ``tests/test_mistakes.py``): every mistake-maker's function, drawn with that learner's own hidden data, passes
  and fails exactly the cells :data:`PARTIAL` states, through the same planning, wire, judge and report as the
  grader, and the report names the mistake. Fast, so the whole class (over 100 learners) runs in it.
* End to end (the ``slow`` tests): ``course demo --only ...`` grades, per assignment, through nbgrader, the sandbox
  and the gradebook, every learner whose marks or words are stated by hand (:data:`PARTIAL`, :data:`OTHERS`,
  :data:`WORDS`: mistake-makers in each assignment, some losing a cell and some both, an unfinished notebook, a
  crash) and three learners without a mistake (:func:`graded_end_to_end`): recording, restoring cells, feedback
  pages and no leak, for passing and failing cells alike, which the in-process layer cannot show. ``course demo``
  without ``--only`` still grades the whole class.
"""

import html
import re

import pytest

import solutions
from autograder.batch import course_config
from autograder.cli import main
from autograder.functions import ASSIGNMENTS, GRADED
from autograder.grade_ids import PARTS, grade_id
from autograder.gradebook import marks
from autograder.hidden import report
from autograder.mistakes import likely_mistakes
from autograder.runner import run_part
from autograder.samples import fill_release
from autograder.settings import HiddenData
from autograder.work_digest import work_digest
from tests.conftest import ROOT, read_notebook
from tests.test_mistakes import learners_function

FUNCTIONS = {assignment: tuple(f.name for f in functions) for assignment, functions in ASSIGNMENTS.items()}
# (assignment, learner) -> (function, the catalogued mistake they make)
MISTAKES = {
    (function.assignment, learner): (function.name, mistake.name)
    for function in GRADED.values()
    for mistake in function.mistakes
    for learner in mistake.learners
}
PARTIAL = {  # (assignment, learner) -> their marks out of 3 on the function of their mistake, where not 0
    # her edge cases (n = 1: all zeros; one repetition) cannot tell sigma from sigma^2, so she keeps 1 point
    ("01_normal_mle", "lea_sd_simulation"): 1,
    # the same edge cases cannot tell one sample repeated from fresh ones (every value 0, or a single value)
    ("01_normal_mle", "rex_repeated"): 1,
    # a negative wait arises only in an edge case: the typical waits are all positive
    ("02_distributions", "nia_no_support"): 2,
    # 0 log 0 only arises at p = 0 or 1: typical data pass, the edge cases fail
    ("02_distributions", "nora_nan_zero_log"): 2,
    # moderate margins are fine; only the edge case with margins of 1e4 overflows
    ("04_regression", "otis_overflow"): 2,
    # his edge cases have n = 1 (all zeros) or sigma = 1 (sigma^2 = sigma): only the typical means reveal sigma^4
    ("01_normal_mle", "vin_variance_scale"): 1,
    # the edge cases are all zeros, all ones, impossible (-inf) or a single flip: log C(n, s) = 0, mean = sum
    ("02_distributions", "bo_binomial"): 1,
    ("02_distributions", "meg_mean_bernoulli"): 1,
    # the closed-form shape's log-likelihood is within the tolerance of the maximum on the small edge samples
    ("03_numerical_mle", "abi_approximation"): 1,
    # a signed step test stops early only where the first step is negative (typical cases climb from below)
    ("03_numerical_mle", "norm_signed_step"): 1,
    # only the typical case with a log-likelihood scaled by 1e-11 has a score below tol far from the root
    ("03_numerical_mle", "sage_score_stop"): 1,
    # every case converges; only the bad call with max_iter = 2 must raise RuntimeError
    ("03_numerical_mle", "rita_no_error"): 2,
    # 0 log 0 only arises at an amount of exactly 0, an edge case
    ("03_numerical_mle", "zia_zero_amount"): 2,
    # only the typical case has validation data that differs from the training data (none after 0 steps)
    ("04_regression", "cole_copied_validation"): 1,
}
OTHERS = {  # learners who are not one mistake away: their marks below 3, function by function
    ("01_normal_mle", "ivan_unfinished"): {"normal_score": 0, "normal_mle": 0, "simulate_sigma2_hat": 0},
    ("01_normal_mle", "jo_crash"): {"normal_score": 0},  # normal_mle is defined before the stray line raises
    # scipy's hybrid root finder is not Newton's method and counts score calls against max_iter: it runs out
    # of iterations on the typical cases, whose max_iter leaves only two beyond Newton's own count
    ("03_numerical_mle", "chen_scipy"): {"newton_raphson": 1},
}
WORDS = {  # (assignment, learner) -> (test cell, words its feedback must contain)
    ("01_normal_mle", "ivan_unfinished"): ("normal_mle_edge", "not implemented yet"),
    ("01_normal_mle", "jo_crash"): ("normal_score_edge", "raised IndexError"),
}


def learners(assignment: str) -> list[str]:
    """The sample class of an assignment: one learner per file (as ``course demo`` fills them in)."""
    return sorted(p.stem for p in (ROOT / "samples" / assignment).glob("*.py") if not p.name.startswith("_"))


def expected_marks(assignment: str) -> dict[str, tuple[float, ...]]:
    table = {}
    for learner in learners(assignment):
        row = dict.fromkeys(FUNCTIONS[assignment], 3)
        if (assignment, learner) in MISTAKES:
            function, _ = MISTAKES[assignment, learner]
            row[function] = PARTIAL.get((assignment, learner), 0)
        table[learner] = tuple((row | OTHERS.get((assignment, learner), {}))[f] for f in FUNCTIONS[assignment])
    return table


def test_the_hand_stated_marks_name_sample_learners():
    stated = {*PARTIAL, *OTHERS, *WORDS}
    assert [key for key in stated if key[1] not in learners(key[0])] == []
    assert set(PARTIAL) <= set(MISTAKES)
    assert not set(OTHERS) & set(MISTAKES)


def test_every_graded_function_is_declared_in_an_assignment_with_a_sample_class():
    assert sorted(GRADED) == sorted(solutions.__all__)
    assert sorted(FUNCTIONS) == sorted(p.name for p in (ROOT / "samples").iterdir() if p.is_dir())


#: The learners without a catalogued mistake graded end to end wherever they are in a class: the reference answers,
#: code that prints while the grader calls it, and scipy's routines in place of the formulas. The others (loops, a
#: copied notebook, ...) differ only in what the in-process layer checks.
FAULTLESS_END_TO_END = ("ada_correct", "chen_scipy", "kim_debug_prints")


def graded_end_to_end(assignment: str) -> list[str]:
    """The learners the slow tests grade end to end: every one with hand-stated marks or words (among them
    mistake-makers of every assignment, whose cells fail in part or whole) and the faultless ones of
    :data:`FAULTLESS_END_TO_END`. Every other mistake-maker runs in process, through the same plan, judge and
    report."""
    stated = {learner for where, learner in {*PARTIAL, *OTHERS, *WORDS} if where == assignment}
    return sorted(stated | {learner for learner in FAULTLESS_END_TO_END if learner in learners(assignment)})


def _sole_mistake(assignment: str, learner: str):
    function, mistake = MISTAKES[assignment, learner]
    return GRADED[function], mistake


def _submission_digest(assignment: str, learner: str) -> str:
    """The digest of the learner's submission as the grader computes it: the release filled in as they did."""
    (release,) = (ROOT / "release" / assignment).glob("*.ipynb")
    return work_digest(fill_release(read_notebook(release), ROOT / "samples" / assignment / f"{learner}.py"))


MISTAKE_MAKERS = sorted(MISTAKES)


@pytest.mark.parametrize(
    ("assignment", "learner"), MISTAKE_MAKERS, ids=[f"{where}-{who}" for where, who in MISTAKE_MAKERS]
)
def test_each_mistake_makers_parts_pass_and_fail_as_stated(assignment, learner):
    """In process, on the learner's own hidden data (the course salt, their id and their submission's digest, as
    the grader draws them)."""
    function, mistake = _sole_mistake(assignment, learner)
    implementation = learners_function(function, learner)
    seed = HiddenData(config=course_config(ROOT)).seed(learner, _submission_digest(assignment, learner))
    results = {part: run_part(function, implementation, part, seed) for part in PARTS}
    verdicts = {part: report(function.name, part, results[part]) for part in PARTS}
    points = (2 if verdicts["typical"][0] else 0) + (1 if verdicts["edge"][0] else 0)
    assert points == PARTIAL.get((assignment, learner), 0)
    failed = [result for part in PARTS for result in results[part] if not result.passed]
    assert [named.name for named in likely_mistakes(failed)] == [mistake]
    made = next(entry for entry in function.mistakes if entry.name == mistake)
    explained = [result for result in failed if made in result.mistakes]
    rivals = [  # another entry that explains the same checks and is not ruled out: a tie the declaration order breaks
        entry.name
        for entry in function.mistakes
        if entry is not made
        and all(entry in result.mistakes for result in explained)
        and not any(entry in result.ruled_out for result in failed)
    ]
    assert rivals == [], "the hidden cases cannot tell these mistakes apart"
    assert any(f"Likely mistake ({mistake})" in message for _, message in verdicts.values())


def test_the_end_to_end_subset_has_every_hand_stated_learner_and_mistake_makers_of_each_assignment():
    for assignment in FUNCTIONS:
        chosen = graded_end_to_end(assignment)
        assert {who for where, who in {*PARTIAL, *OTHERS, *WORDS} if where == assignment} <= set(chosen)
        makers = {MISTAKES[assignment, who][0] for who in chosen if (assignment, who) in MISTAKES}
        assert makers and "ada_correct" in chosen
        assert len(chosen) < len(learners(assignment))


def test_one_demo_of_every_assignment_grades_exactly_each_assignments_end_to_end_subset():
    """The learners named for one assignment that another assignment's class also has are in that one's subset
    too, so a single ``course demo --only`` of every assignment grades exactly the subsets."""
    named = {learner for assignment in FUNCTIONS for learner in graded_end_to_end(assignment)}
    for assignment in FUNCTIONS:
        assert sorted(named & set(learners(assignment))) == graded_end_to_end(assignment)


@pytest.fixture(scope="module")
def demo_course(tmp_path_factory):
    """One ``course demo --only`` run over every assignment: one release, the four subsets graded in turn."""
    course = tmp_path_factory.mktemp("demo") / "course"
    only = sorted({learner for assignment in FUNCTIONS for learner in graded_end_to_end(assignment)})
    assert main(["--root", str(ROOT), "demo", "--dir", str(course), "--only", *only]) == 0
    return course


@pytest.fixture(params=sorted(FUNCTIONS))
def graded(request, demo_course):
    return request.param, demo_course


@pytest.mark.slow
def test_each_sample_learner_gets_exactly_the_stated_marks(graded):
    assignment, course = graded
    table = marks(f"sqlite:///{course / 'gradebook.db'}", assignment)
    got = {learner: tuple(row[f].score for f in FUNCTIONS[assignment]) for learner, row in table.items()}
    expected = expected_marks(assignment)
    assert got == {learner: expected[learner] for learner in graded_end_to_end(assignment)}


def _feedback(course, assignment, learner, notebook_cell):
    (path,) = (course / "autograded" / learner / assignment).glob("*.ipynb")
    cell = next(c for c in read_notebook(path).cells if c.metadata.get("nbgrader", {}).get("grade_id") == notebook_cell)
    return "\n".join(o.get("evalue", "") for o in cell.outputs)


def _cell_of_mistake(assignment: str, learner: str) -> str:
    """The test cell whose feedback names a learner's mistake: the main one, or the edge one if only it failed."""
    function, _ = MISTAKES[assignment, learner]
    return grade_id(function, "edge" if PARTIAL.get((assignment, learner)) == 2 else "typical")


@pytest.mark.slow
def test_feedback_names_each_learners_mistake(graded):
    assignment, course = graded
    for (where, learner), (_, mistake) in MISTAKES.items():
        if where == assignment and learner in graded_end_to_end(assignment):
            feedback = _feedback(course, assignment, learner, _cell_of_mistake(assignment, learner))
            assert f"Likely mistake ({mistake})" in feedback, learner
    for (where, learner), (cell, words) in WORDS.items():
        if where == assignment:
            assert words in _feedback(course, assignment, learner, cell), learner


def _shown(page: str) -> str:
    """The text a reader of an HTML page sees: tags dropped (code is highlighted token by token), entities
    decoded, white space folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", page)).split())


def _folded(text: str) -> str:
    return " ".join(text.split())


def _hidden_lines(notebook_path) -> set[str]:
    """Every line between nbgrader's hidden-test markers of a notebook, white space folded."""
    lines = set()
    for cell in read_notebook(notebook_path).cells:
        for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", cell.source, re.DOTALL):
            lines |= {_folded(line) for line in block.splitlines() if line.strip()}
    return lines


def secrets(assignment: str, learner: str | None = None, submission: str | None = None) -> set[str]:
    """What no feedback may show: the hidden test cells' source (the markers and every line between them
    that the release does not show anyway), where the expected values come from, and the hidden inputs
    that feedback summarises (arrays of more than 6 numbers: their first values with 10 or more characters,
    in the full precision a leak would carry), drawn for ``learner`` and the digest of their ``submission`` as
    the course's configuration says."""
    (source,) = (ROOT / "source" / assignment).glob("*.ipynb")
    (release,) = (ROOT / "release" / assignment).glob("*.ipynb")
    released = {_folded(line) for cell in read_notebook(release).cells for line in cell.source.splitlines()}
    found = {"BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "autograder", "import solutions", "from solutions"}
    found |= _hidden_lines(source) - released
    seed = HiddenData(config=course_config(ROOT)).seed(learner, submission)
    for function in ASSIGNMENTS[assignment]:
        for part in ("typical", "edge"):
            for case in function.cases(part, seed):
                for value in case.kwargs.values():
                    if hasattr(value, "dtype") and value.dtype.kind == "f" and value.size > 6:
                        found |= {repr(float(v)) for v in value.ravel()[:8] if len(repr(float(v))) >= 10}
    return found


def test_the_secrets_are_seen_where_they_are_shown():
    """The leak check can fail: it finds the hidden tests in the source notebook's own HTML page."""
    from nbconvert import HTMLExporter

    (source,) = (ROOT / "source" / "01_normal_mle").glob("*.ipynb")
    page = _shown(HTMLExporter().from_notebook_node(read_notebook(source))[0])
    assert "record(normal_mle)" in {line.split(" #")[0] for line in _hidden_lines(source)}
    assert [secret for secret in secrets("01_normal_mle") if secret in page]
    assert "BEGIN HIDDEN TESTS" in page
    assert all(line in page for line in _hidden_lines(source))


@pytest.mark.slow
def test_html_feedback_shows_the_message_but_no_hidden_test_input_or_source(graded):
    assignment, course = graded
    for learner in graded_end_to_end(assignment):
        (graded_notebook,) = (course / "autograded" / learner / assignment).glob("*.ipynb")
        hidden = secrets(assignment, learner, work_digest(read_notebook(graded_notebook)))  # no data files
        (page,) = (course / "feedback" / learner / assignment).glob("*.html")
        shown = _shown(page.read_text())
        if (assignment, learner) in MISTAKES:
            assert "Likely mistake (" in shown, learner
        assert [secret for secret in hidden if secret in shown] == [], f"{learner}'s feedback leaks"
