"""Attacks on what the grader believes and keeps: the notebook's own metadata, the outcomes path, kernel
restarts, the kernel's messages and outputs. Graded in one class beside honest learners whose marks must
not move (``course grade``), and by stock ``nbgrader autograde``, which must grade every submission.

Code attacks are learner files in ``tests/attacks/notebooks/01_normal_mle/``; notebook attacks are built
here from an honest learner's notebook, as raw JSON (nbformat would repair some of them on writing).
Marks are per graded function of 01_normal_mle (3 points each), in the order of ``FUNCTIONS``.
"""

import copy
import json
import os

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.hidden_checks import MAX_VERDICT_CHARS, clear_path, read_outcomes
from autograder.runner import MalformedOutcomes
from tests import attack_class
from tests.attack_class import FUNCTIONS, cells_with
from tests.conftest import ROOT, unix_socket_at

ATTACKS = ROOT / "tests" / "attacks" / "notebooks" / attack_class.ASSIGNMENT
HONEST = attack_class.HONEST
CODE_ATTACKS = {
    # startup code and config planted for later kernels, then normal_mle kills its kernel: restarts ignore it all
    "startup_files": (3, 3, 0, 3),
    # a folder, a socket, a sparse file, deep JSON, a link... where each test cell's outcomes belong
    "outcomes_planted": (0, 0, 0, 0),
    # update_display_data, JSON data and metadata floods; 20 MB exception messages in normal_mle's test cells
    "output_floods": (3, 3, 0, 3),
    # messages the grader cannot parse (deep nesting, a number as content) sent from two solution cells
    "hostile_messages": (3, 0, 0, 3),
    # outputs of every type with fields of odd shapes (text as a list of lines...) from normal_mle's cell
    "odd_outputs": (3, 3, 3, 3),
}
NOTEBOOK_ATTACKS = {
    # schema_version 99, "3" and missing on test cells (stock nbgrader aborts the whole run on 99)
    "unknown_schema_version": (3, 3, 3, 3),
    # Dana's test cells of normal_mle marked solution cells, normal_score's not grade cells
    "tests_as_solutions": (3, 3, 0, 3),
    # an extra grade cell worth 1000 points, cells claiming test cells' ids with 1000 points
    "bonus_cells": (3, 3, 3, 3),
    # nbgrader metadata a string, a grade id renamed, a test cell made raw, duplicated ids, odd notebook metadata
    "scrambled_metadata": (3, 3, 3, 3),
    # Dana's notebook with a test cell moved to the end, a solution cell duplicated, a test cell deleted
    "moved_cells": (3, 3, 0, 3),
}
#: Edits no ``nbformat.validate`` accepts (``course grade`` grades such a notebook as missing); stock
#: ``nbgrader autograde`` reads them with the course's exporter.
INVALID_NOTEBOOK = {"invalid_notebook": (3, 3, 3, 3)}
EXPECTED = {**HONEST, **CODE_ATTACKS, **NOTEBOOK_ATTACKS}
COLUMNS = {*FUNCTIONS, "bias_answer"}


def _cell(notebook: dict, grade_id: str) -> dict:
    def claims(cell: dict) -> bool:
        metadata = cell["metadata"].get("nbgrader") if isinstance(cell["metadata"], dict) else None
        return isinstance(metadata, dict) and metadata.get("grade_id") == grade_id

    (found,) = [c for c in notebook["cells"] if claims(c)]
    return found


def _nbgrader(notebook: dict, grade_id: str) -> dict:
    return _cell(notebook, grade_id)["metadata"]["nbgrader"]


def _notebook_attacks(course) -> dict[str, dict | str]:
    """Each notebook attack as the JSON text its learner submits."""
    ada = json.loads(json.dumps(attack_class.submitted_notebook(course, "ada_correct")))
    dana = json.loads(json.dumps(attack_class.submitted_notebook(course, "dana_bessel")))
    attacks = {}

    unknown = copy.deepcopy(ada)
    _nbgrader(unknown, "normal_mle")["schema_version"] = 99
    _nbgrader(unknown, "normal_score")["schema_version"] = "3"
    del _nbgrader(unknown, "normal_log_likelihood_edge")["schema_version"]
    attacks["unknown_schema_version"] = unknown

    solutions = copy.deepcopy(dana)
    for grade_id in ("normal_mle", "normal_mle_edge"):
        _nbgrader(solutions, grade_id)["solution"] = True
    _nbgrader(solutions, "normal_score")["grade"] = False
    attacks["tests_as_solutions"] = solutions

    bonus = copy.deepcopy(ada)
    code = [c for c in bonus["cells"] if c["cell_type"] == "code" and not c["metadata"].get("nbgrader")]
    code[0]["metadata"]["nbgrader"] = {
        **_nbgrader(bonus, "normal_mle"),
        "grade_id": "bonus",
        "points": 1000,
    }
    code[1]["metadata"]["nbgrader"] = {**_nbgrader(bonus, "simulate_sigma2_hat"), "points": 1000}
    copied = copy.deepcopy(_cell(bonus, "normal_mle"))
    copied["metadata"]["nbgrader"]["points"] = 1000
    copied["id"] = "copied-test"
    bonus["cells"].append(copied)
    attacks["bonus_cells"] = bonus

    scrambled = copy.deepcopy(ada)
    _cell(scrambled, "normal_score")["metadata"]["nbgrader"] = "grade"
    _nbgrader(scrambled, "normal_mle_edge")["grade_id"] = "mine"
    raw = _cell(scrambled, "simulate_sigma2_hat")
    raw["cell_type"] = "raw"
    del raw["outputs"], raw["execution_count"]
    for each in scrambled["cells"]:
        each["id"] = "same"
    scrambled["nbformat_minor"] = 99
    scrambled["metadata"] = {
        "kernelspec": {"name": "bash", "display_name": "Bash", "language": "bash"},
        "language_info": {"name": "javascript"},
        "language": 5,
    }
    attacks["scrambled_metadata"] = scrambled

    moved = copy.deepcopy(dana)
    test = _cell(moved, "normal_mle")
    moved["cells"].remove(test)
    moved["cells"].append(test)
    solution = _cell(moved, "solution_normal_score")
    twin = {**copy.deepcopy(solution), "id": "twin"}
    moved["cells"].insert(moved["cells"].index(solution) + 1, twin)
    moved["cells"].remove(_cell(moved, "normal_log_likelihood_edge"))
    attacks["moved_cells"] = moved
    return attacks


def _invalid_notebook(course) -> dict:
    """Ada's notebook with edits nbformat's schema refuses."""
    invalid = json.loads(json.dumps(attack_class.submitted_notebook(course, "ada_correct")))
    _cell(invalid, "normal_mle")["cell_type"] = "markdown"  # outputs and execution_count kept
    _cell(invalid, "normal_score")["metadata"] = ["not", "a", "dict"]
    for index, each in enumerate(invalid["cells"]):
        each["id"] = f"not a valid id {index}!"
    invalid["cells"][0]["source"] = 12
    invalid["nbformat_minor"] = "five"
    return invalid


def _submit(course, attacks: dict) -> None:
    for student, notebook in attacks.items():
        attack_class.submit_notebook(course, student, text=json.dumps(notebook))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = attack_class.build_course(tmp_path_factory.mktemp("notebook-attacks"), honest=tuple(HONEST))
    attack_class.add_learners(course, ATTACKS)
    _submit(course, _notebook_attacks(course))
    return attack_class.grade(course)


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_each_submission_gets_the_marks_it_deserves(graded, student):
    assert graded.scores(student) == EXPECTED[student]


@pytest.mark.slow
def test_every_submission_is_graded_and_honest_marks_do_not_move(graded):
    assert set(graded.outcomes) == set(EXPECTED)
    assert all(outcome.success for outcome in graded.outcomes.values()), graded.printed
    assert graded.honest_marks_kept(HONEST) == {}


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_no_function_is_left_for_manual_grading_or_changes_its_points(graded, student):
    row = graded.marks[student]
    assert set(row) == COLUMNS
    for function in FUNCTIONS:
        assert (row[function].max_score, row[function].pending) == (3, False), function


@pytest.mark.slow
def test_an_extra_grade_cell_is_not_in_the_gradebook(graded):
    with Gradebook(f"sqlite:///{graded.course / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook("normal_mle", attack_class.ASSIGNMENT, "bonus_cells")
        assert {grade.name for grade in notebook.grades} == {
            *attack_class.TEST_CELLS,
            "bias_answer",
        }
        assert notebook.max_score == 14


@pytest.mark.slow
@pytest.mark.parametrize(
    ("grade_id", "words"),
    [
        ("normal_log_likelihood", "not a regular file"),  # a folder
        ("normal_log_likelihood_edge", "could not be opened"),  # a socket
        ("normal_score", "not a regular file of a sensible size"),  # 200 MB, sparse
        ("normal_score_edge", "nested more than 100 levels deep"),  # a million levels: refused before parsing
        ("normal_mle", "not a regular file"),  # a folder of files
        ("normal_mle_edge", "could not be opened"),  # a link to a folder
        ("simulate_sigma2_hat", "not valid JSON"),
        ("simulate_sigma2_hat_edge", "expected 8 outcomes"),
    ],
)
def test_anything_at_the_outcomes_path_fails_that_check_with_a_message(graded, grade_id, words):
    message = graded.messages("outcomes_planted", grade_id)
    assert "the recorded outputs could not be read" in message and words in message


@pytest.mark.slow
def test_a_restarted_kernel_reads_no_startup_code_the_learner_planted(graded):
    assert "the kernel died while running this cell" in graded.messages("startup_files", "normal_mle")
    assert "all 6 hidden checks passed" in graded.messages("startup_files", "simulate_sigma2_hat_edge")


@pytest.mark.slow
def test_messages_the_grader_cannot_parse_cost_only_their_cell(graded):
    notebook = graded.autograded("hostile_messages")
    for solution in ("solution_normal_score", "solution_normal_mle"):
        (cell,) = cells_with(notebook, {solution})
        assert [o.get("ename") for o in cell.outputs] == ["GradingError"]


@pytest.mark.slow
def test_outputs_of_odd_shapes_become_well_formed_outputs_or_notes(graded):
    (path,) = (graded.course / "autograded" / "odd_outputs" / attack_class.ASSIGNMENT).glob("*.ipynb")
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    (cell,) = cells_with(notebook, {"solution_normal_mle"})
    streams = [o for o in cell.outputs if o.output_type == "stream"]
    texts = [o.text for o in streams]
    assert texts[0] == "hello\nworld\n" and "a lone surrogate: ?\n" in texts
    assert sum("the grader dropped a malformed" in text for text in texts) == 6  # text or data with nothing to show
    assert {o.name for o in streams if o.text == "a stream of another name\n"} == {"stdout"}
    displays = [o.data for o in cell.outputs if o.output_type in ("display_data", "execute_result")]
    assert {"text/plain": "updated"} in displays and {"text/plain": "shown"} in displays
    assert [o.execution_count for o in cell.outputs if o.output_type == "execute_result"] == [None] * 4
    assert [o.ename for o in cell.outputs if o.output_type == "error"] == ["5", "['E']"]
    assert "hello\nworld" in graded.feedback("odd_outputs")


@pytest.mark.slow
def test_every_output_type_is_capped_per_cell_and_per_notebook(graded):
    (path,) = (graded.course / "autograded" / "output_floods" / attack_class.ASSIGNMENT).glob("*.ipynb")
    assert path.stat().st_size < 32 * 2**20
    notebook = graded.autograded("output_floods")
    for cell in notebook.cells:
        assert len(json.dumps(cell.get("outputs", []))) < 4 * 2**20 + 200 * 1024
    (feedback,) = (graded.course / "feedback" / "output_floods" / attack_class.ASSIGNMENT).glob("*.html")
    assert feedback.stat().st_size < 40 * 2**20


@pytest.mark.slow
def test_the_verdict_quotes_a_huge_error_only_in_part(graded):
    (cell,) = cells_with(graded.autograded("output_floods"), {"normal_mle"})
    verdict = cell.outputs[0]
    assert verdict.ename == "HiddenCheckFailed" and "The cell stopped with RuntimeError: boom" in verdict.evalue
    assert len(verdict.evalue) < 2000 < MAX_VERDICT_CHARS
    assert all(len(json.dumps(output)) < 120 * 1024 for output in cell.outputs)


# -- stock nbgrader autograde ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stock_graded(tmp_path_factory):
    """Stock ``nbgrader autograde`` with the course's config on Ada, Dana, every notebook attack and odd outputs."""
    course = attack_class.build_course(tmp_path_factory.mktemp("stock-notebook-attacks"), honest=tuple(HONEST))
    _submit(course, _notebook_attacks(course))
    _submit(course, {"invalid_notebook": _invalid_notebook(course)})
    attack_class.add_learners(course, ATTACKS, only=["odd_outputs"])
    code, table = attack_class.stock_autograde(course)
    return code, {student: tuple(row[f].score for f in FUNCTIONS) for student, row in table.items()}


@pytest.mark.slow
def test_stock_nbgrader_autograde_grades_every_metadata_attack(stock_graded):
    code, scores = stock_graded
    assert code == 0
    assert scores == {**HONEST, **NOTEBOOK_ATTACKS, **INVALID_NOTEBOOK, "odd_outputs": CODE_ATTACKS["odd_outputs"]}


# -- the outcomes path -------------------------------------------------------------------------------


def test_the_outcomes_reader_refuses_anything_but_a_small_regular_file(tmp_path):
    (tmp_path / "folder").mkdir()
    listener = unix_socket_at(tmp_path / "socket")
    with (tmp_path / "sparse").open("wb") as handle:
        handle.truncate(2**40)
    (tmp_path / "deep").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "link").symlink_to(tmp_path / "folder")
    os.mkfifo(tmp_path / "fifo")
    for name in ("folder", "socket", "sparse", "deep", "link", "fifo"):
        with pytest.raises(MalformedOutcomes):
            read_outcomes(tmp_path / name)
    listener.close()


def test_whatever_is_at_the_outcomes_path_is_cleared_without_following_links(tmp_path):
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "file").write_text("mine")
    (tmp_path / "folder" / "a" / "b").mkdir(parents=True)
    (tmp_path / "folder" / "a" / "link").symlink_to(kept)
    (tmp_path / "link").symlink_to(kept)
    os.mkfifo(tmp_path / "fifo")
    for name in ("folder", "link", "fifo", "absent"):
        clear_path(tmp_path / name)
        assert not os.path.lexists(tmp_path / name)
    assert (kept / "file").read_text() == "mine"
