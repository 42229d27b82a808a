"""``course report A`` (autograder/report.py): the class report, its numbers against independent oracles.

The end-to-end test grades a small class from ``samples/01_normal_mle`` (learners with known mistakes, a
twin, a notebook that is not JSON, a folder whose name is markup), builds the report and checks it against the
declarations (``Mistake.learners``) and the hand-stated marks of ``tests/test_sample_class.py``, then opens
the page in Debian's Chromium with the network off (screenshot in ``artifacts/report/``).
"""

import os
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import records
from autograder.batch import course_config
from autograder.cli import main
from autograder.errors import UnknownAssignment
from autograder.folders import DEFAULT_BOUNDS
from autograder.functions import ASSIGNMENTS
from autograder.gradebook import Mark
from autograder.outputs import SUMMARY_KEY
from autograder.report import (
    CONTENT_SECURITY_POLICY,
    MAX_BINS,
    ClassReport,
    FailedCase,
    MistakeCount,
    NothingToReport,
    build_report,
    histogram,
    read_autograded,
    render_page,
    verdicts,
    write_report,
)
from autograder.restore import UnreadableNotebook
from autograder.samples import learner_cells
from tests.conftest import ROOT

ASSIGNMENT = "01_normal_mle"
HOSTILE = "<img src=x onerror=\"document.title='pwned'\">"


# -- the numbers -------------------------------------------------------------------------------------


def test_a_histogram_counts_each_whole_point_as_counting_them_does():
    scores = [0, 3, 3, 2, 3, 1, 0, 3]
    figure = histogram("normal_mle", scores, 3)
    counted = Counter(scores)
    assert figure.counts == tuple(counted[point] for point in range(4))
    assert [round((a + b) / 2, 9) for a, b in zip(figure.edges, figure.edges[1:], strict=False)] == [0, 1, 2, 3]


def test_a_histogram_of_many_points_has_at_most_max_bins_and_counts_everyone():
    scores = list(range(0, 101, 7))
    figure = histogram("total", scores, 100)
    assert len(figure.counts) == MAX_BINS and sum(figure.counts) == len(scores)


def _hidden_cell(grade_id: str, summary: object, solution: bool = False) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("record(normal_mle)")
    cell.metadata["nbgrader"] = {"grade": True, "solution": solution, "grade_id": grade_id, "points": 2}
    cell.metadata[SUMMARY_KEY] = summary
    return cell


def _summary(function: str = "normal_mle", part: str = "typical", mistakes: tuple[str, ...] = ()) -> dict:
    return {
        "function": function,
        "part": part,
        "judged": True,
        "passed": not mistakes,
        "checks": 3,
        "failed": ["a case"] if mistakes else [],
        "mistakes": list(mistakes),
    }


def test_only_a_summary_of_the_graders_shape_in_the_hidden_cell_it_describes_counts():
    good = _hidden_cell("normal_mle", _summary(mistakes=("n - 1 instead of n",)))
    cells = [
        good,
        _hidden_cell("normal_score", _summary()),  # a summary of normal_mle in normal_score's cell
        _hidden_cell("normal_mle_edge", _summary(part="typical")),  # the wrong part
        _hidden_cell("normal_mle", _summary(), solution=True),  # a solution cell
        _hidden_cell("bias_answer", _summary()),  # not a hidden test cell
        _hidden_cell("normal_mle", {**_summary(), "extra": 1}),  # not the grader's shape
        _hidden_cell("normal_mle", {**_summary(), "mistakes": ["x" * 1000]}),  # a label too long
    ]
    assert verdicts(cells, ASSIGNMENT) == [good.metadata[SUMMARY_KEY]]


def test_an_autograded_notebook_is_read_with_its_verdicts_and_within_bounds(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[_hidden_cell("normal_mle", _summary(mistakes=("n - 1 instead of n",)))])
    path = tmp_path / "normal_mle.ipynb"
    nbformat.write(notebook, path)
    assert verdicts(read_autograded(path, DEFAULT_BOUNDS), ASSIGNMENT) == [_summary(mistakes=("n - 1 instead of n",))]
    with pytest.raises(UnreadableNotebook, match="nested more than 3"):
        read_autograded(path, replace(DEFAULT_BOUNDS, notebook_nesting=3))
    os.symlink(path, tmp_path / "link.ipynb")
    with pytest.raises(OSError):
        read_autograded(tmp_path / "link.ipynb", DEFAULT_BOUNDS)


# -- the page ----------------------------------------------------------------------------------------


def _hostile_report() -> ClassReport:
    mark = Mark(1.0, 3.0)
    return ClassReport(
        assignment=ASSIGNMENT,
        marks={HOSTILE: {"normal_mle": mark, "bias_answer": Mark(0, 2, pending=True)}},
        histograms=(histogram("normal_mle", [1.0], 3.0), histogram("total", [1.0], 5.0)),
        mistakes=(MistakeCount("normal_mle", "n - 1 instead of n", "divide by $n$", (HOSTILE,)),),
        failed_cases=(FailedCase("normal_mle", "typical", HOSTILE, (HOSTILE,)),),
        not_graded=((HOSTILE, HOSTILE),),
        with_a_word=((HOSTILE, HOSTILE),),
        pending={"bias_answer": (HOSTILE,)},
    )


def test_every_string_of_the_page_is_escaped_and_nothing_can_run_or_load():
    page = render_page(_hostile_report())
    assert HOSTILE not in page and "<img" not in page and "<script" not in page.lower()
    # a mistake's learners, a failed check's label and learners, two cells each of the two lists, a pending answer
    assert page.count("&lt;img src=x onerror=") == 8
    assert f'content="{CONTENT_SECURITY_POLICY}"' in page
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY and "script" not in CONTENT_SECURITY_POLICY
    assert "<math" in page and "$n$" not in page  # the advice's formula, written as MathML


# -- the records of course grade ---------------------------------------------------------------------


class _Outcome:
    def __init__(self, student: str, success: bool, problems: list[str]) -> None:
        self.student, self.success, self.problems = student, success, problems


def test_records_keep_the_latest_run_of_each_student(tmp_path):
    assert records.keep(tmp_path, ASSIGNMENT, [_Outcome("ada", False, ["it died"]), _Outcome("bob", True, [])])
    assert records.keep(tmp_path, ASSIGNMENT, [_Outcome("ada", True, ["graded as missing"])])
    assert records.read(tmp_path, ASSIGNMENT) == {
        "ada": records.Record("ada", True, ("graded as missing",)),
        "bob": records.Record("bob", True, ()),
    }


@pytest.mark.parametrize("kind", ["link", "not JSON", "wrong shape", "too big"])
def test_records_that_are_not_the_graders_are_read_as_none(tmp_path, kind):
    path = records.records_file(tmp_path, ASSIGNMENT)
    path.parent.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text('{"ada": {"recorded": false, "problems": ["x"]}}')
    make = {
        "link": lambda: os.symlink(elsewhere, path),
        "not JSON": lambda: path.write_text("{"),
        "wrong shape": lambda: path.write_text('{"ada": {"recorded": "no", "problems": [1]}}'),
        "too big": lambda: path.write_text(" " * (records.MAX_RECORDS_BYTES + 1)),
    }
    make[kind]()
    assert records.read(tmp_path, ASSIGNMENT) == {}


# -- bad input: one line naming what to run first ----------------------------------------------------


def _gradebook(tmp_path: Path, student: str | None = None) -> str:
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gradebook:
        gradebook.add_assignment(ASSIGNMENT)
        if student:
            gradebook.add_student(student)
            gradebook.add_submission(ASSIGNMENT, student)
    return url


def test_a_gradebook_without_the_assignment_says_so(tmp_path):
    url = _gradebook(tmp_path)
    with pytest.raises(UnknownAssignment, match="run `course release 02_distributions`"):
        build_report(tmp_path, "02_distributions", url, DEFAULT_BOUNDS)


def test_an_assignment_with_no_graded_submission_says_to_grade_it(tmp_path):
    url = _gradebook(tmp_path)
    (tmp_path / "submitted" / "ada" / ASSIGNMENT).mkdir(parents=True)
    with pytest.raises(NothingToReport, match=r"^No submission of 01_normal_mle .* \(1 in submitted/\): run `course"):
        build_report(tmp_path, ASSIGNMENT, url, DEFAULT_BOUNDS)


def test_a_missing_autograded_folder_says_to_grade_it(tmp_path):
    url = _gradebook(tmp_path, student="ada")
    with pytest.raises(NothingToReport, match=r"No autograded notebooks of 01_normal_mle .*: run `course grade"):
        build_report(tmp_path, ASSIGNMENT, url, DEFAULT_BOUNDS)


def test_course_report_exits_with_the_code_of_what_is_missing(tmp_path, capsys):
    url = _gradebook(tmp_path)
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    base = ["--root", str(tmp_path), "report", "--db", url]
    assert main([*base, "02_distributions"]) == UnknownAssignment.exit_code
    assert main([*base, ASSIGNMENT]) == NothingToReport.exit_code
    assert "run `course grade 01_normal_mle` first" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["report", "--help"])
    assert exited.value.code == 0


# -- a graded class, end to end ----------------------------------------------------------------------

#: Learners with one known mistake each (from the declarations) in each graded function, a right one, one whose
#: notebook crashes.
CLASS = ("ada_correct", "dana_bessel", "hana_sign", "pia_product", "lea_sd_simulation", "jo_crash")
TWIN, GARBAGE = "dana_twin", "zed_garbage"
NOT_AN_ID = "<img src=x onerror=alert(1)>"  # a folder name is markup (no slash: one folder)


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    from tests.attack_class import build_course, grade, submission_folder, submit_notebook

    course = build_course(tmp_path_factory.mktemp("report"), honest=CLASS)
    shutil.copytree(submission_folder(course, "dana_bessel"), submission_folder(course, TWIN))
    submit_notebook(course, GARBAGE, text="{ this is not JSON")
    shutil.copytree(submission_folder(course, "ada_correct"), course / "submitted" / NOT_AN_ID / ASSIGNMENT)
    graded = grade(course)
    report, path = write_report(course, ASSIGNMENT, course_config(course), course / "reports", _console())
    return graded, report, path


def _console():
    import io

    from rich.console import Console

    return Console(file=io.StringIO())


@pytest.mark.slow
def test_each_catalogued_mistake_is_counted_for_the_learners_who_make_it(graded_class):
    _, report, _ = graded_class
    learners = {*CLASS, TWIN}
    expected = {
        (function.name, mistake.name): tuple(
            sorted({*mistake.learners, *([TWIN] if "dana_bessel" in mistake.learners else [])} & learners)
        )
        for function in ASSIGNMENTS[ASSIGNMENT]
        for mistake in function.mistakes
    }
    assert {(m.function, m.name): m.learners for m in report.mistakes} == expected
    assert ("normal_mle", "n - 1 instead of n") in {k for k, v in expected.items() if len(v) == 2}


def _points_of_the_release() -> float:
    """Points of every grade cell of the released notebook, as its nbgrader metadata states them."""
    (path,) = (ROOT / "release" / ASSIGNMENT).glob("*.ipynb")
    cells = nbformat.read(path, as_version=4).cells
    return sum(
        c.metadata.get("nbgrader", {}).get("points", 0) for c in cells if c.metadata.get("nbgrader", {}).get("grade")
    )


@pytest.mark.slow
def test_the_histograms_count_the_hand_stated_marks(graded_class):
    from tests.test_sample_class import FUNCTIONS, expected_marks

    _, report, _ = graded_class
    stated = expected_marks(ASSIGNMENT)
    rows = {learner: stated[learner] for learner in CLASS} | {TWIN: stated["dana_bessel"], GARBAGE: (0, 0, 0, 0)}
    figures = {figure.title: figure for figure in report.histograms}
    for index, function in enumerate(FUNCTIONS[ASSIGNMENT]):
        counted = Counter(row[index] for row in rows.values())
        assert figures[function].counts == tuple(counted[point] for point in range(4)), function
    totals = Counter(sum(row) for row in rows.values())  # the written answer is not marked yet: 0
    assert figures["total"].max_score == _points_of_the_release()
    assert sum(figures["total"].counts) == len(rows)
    centres = [round((a + b) / 2) for a, b in zip(figures["total"].edges, figures["total"].edges[1:], strict=False)]
    assert {centre: count for centre, count in zip(centres, figures["total"].counts, strict=True) if count} == dict(
        totals
    )


@pytest.mark.slow
def test_failed_hidden_checks_belong_to_learners_who_lost_points(graded_class):
    graded, report, _ = graded_class
    assert report.failed_cases
    for case in report.failed_cases:
        for learner in case.learners:
            assert graded.marks[learner][case.function].score < 3, (case, learner)
    assert "ada_correct" not in {learner for case in report.failed_cases for learner in case.learners}


@pytest.mark.slow
def test_what_could_not_be_graded_and_what_is_left_to_mark(graded_class):
    _, report, _ = graded_class
    (not_graded,) = report.not_graded
    assert not_graded[0] == NOT_AN_ID and "not a student id" in not_graded[1]
    assert any("is not a valid notebook" in what for who, what in report.with_a_word if who == GARBAGE)
    # nbgrader leaves nothing to mark of an answer left as released (it scores 0): only written answers wait
    answered = {learner for learner in CLASS if learner_cells(ROOT / "samples" / ASSIGNMENT / f"{learner}.py")[1]}
    assert answered and not answered >= set(CLASS)  # the class has both kinds
    assert report.pending == {"bias_answer": tuple(sorted(answered | {TWIN}))}


@pytest.mark.slow
def test_the_report_opens_offline_in_chromium_and_shows_its_figures(graded_class):
    from tests.test_formgrader_browser import CHROMIUM_FLAGS, _chromium_or_skip

    _, report, path = graded_class
    chromium = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    artifacts = ROOT / "artifacts" / "report"
    artifacts.mkdir(parents=True, exist_ok=True)
    requests: list[str] = []

    def refuse(route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS)
        context = browser.new_context(offline=True, viewport={"width": 1300, "height": 1000})
        context.route("**/*", refuse)
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        figures = page.eval_on_selector_all("svg", "all => all.map(s => s.getBoundingClientRect().height)")
        bars = page.eval_on_selector_all(
            "svg rect.bar", "all => all.map(r => [Number(r.dataset.count), r.getBoundingClientRect().height])"
        )
        title, text = page.title(), page.inner_text("body")
        page.screenshot(path=str(artifacts / f"{ASSIGNMENT}.png"), full_page=True)
        browser.close()
    assert len(figures) == len(report.histograms) and min(figures) > 100
    assert all((height > 0) == (count > 0) for count, height in bars)
    assert title == f"Class report: {ASSIGNMENT}"
    assert NOT_AN_ID in text  # shown as text, not markup
    assert requests == []
