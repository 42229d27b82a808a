"""Attacks and faults, each as a submission, graded in one class beside honest learners.

The class is graded once by ``course grade`` (the hardened, parallel path)
with short limits: 8 s per cell, 60 s per notebook, 1.5 GiB of memory.
Every attacker builds on Ada's right answers and cheats or breaks on
``normal_mle``; expected marks are worked out by hand from what each file
does, per graded function (3 points each: 2 for the typical cell, 1 for the
edge cell), in the order normal_log_likelihood, normal_score, normal_mle,
simulate_sigma2_hat.
"""

import hashlib
import json
import socket
import subprocess
import threading

import nbformat
import pytest

from tests.attack_class import (
    ASSIGNMENT,
    FUNCTIONS,
    HONEST,
    TEST_CELLS,
    add_learners,
    build_course,
    cells_with,
    grade,
    release_notebook,
    stock_autograde,
    submit_notebook,
    submitted_notebook,
)
from tests.conftest import ROOT, read_notebook

ATTACKS = ROOT / "tests" / "attacks" / ASSIGNMENT
LEAK_PORT = 8765
LINGERING = "sleep 987654"

EXPECTED = {
    **HONEST,
    # numpy.isclose, allclose, array_equal, testing.assert_allclose and math.isclose all say "equal"
    "patch_numpy": (3, 3, 0, 3),
    # abs, all and AssertionError replaced in builtins
    "patch_builtins": (3, 3, 0, 3),
    # showtraceback, showsyntaxerror and a custom exception handler swallow every error
    "ipython_hooks": (3, 3, 0, 3),
    # every later cell rewritten to "2.0": no outputs recorded, and simulate_sigma2_hat never defined
    "rewrite_cells": (3, 3, 0, 0),
    # the recorder replaced (for every later test cell) by one that prints a pass and plants a link
    "fake_record": (3, 3, 0, 0),
    # the recorder replaced by one that leaves a named pipe where the outcomes belong
    "fifo_outcomes": (3, 3, 0, 0),
    # looks for solutions/, source notebooks and the gradebook, writes what it can, calls home
    "read_course_files": (3, 3, 0, 3),
    # os._exit inside normal_mle, when the grader calls it
    "exit_in_function": (3, 3, 0, 3),
    # a segmentation fault inside normal_mle
    "segfault_in_function": (3, 3, 0, 3),
    # the normal_mle cell prints 100 MB, a megabyte a line
    "flood_output": (3, 3, 3, 3),
    # os._exit at the end of the normal_mle cell: normal_mle dies with its kernel
    "exit_in_cell": (3, 3, 0, 3),
    # normal_mle ignores SIGINT and spins: each of its two cells needs a restart
    "hang_ignoring_sigint": (3, 3, 0, 3),
    # normal_mle allocates 256 MiB blocks until it cannot
    "memory_bomb": (3, 3, 0, 3),
    # normal_mle is right; its cell leaves a forked child, a new session, a daemon and a fork bomb behind
    "leave_processes": (3, 3, 3, 3),
    # Ada's notebook with normal_mle's two test cells deleted: they come back from the source
    "deleted_tests": (3, 3, 3, 3),
    # Dana's notebook with normal_mle's test cells emptied and their points raised: the source wins
    "edited_tests": (3, 3, 0, 3),
    # Ada's notebook with normal_mle renamed to mle_normal
    "renamed_function": (3, 3, 0, 3),
    # the release as handed out
    "untouched_release": (0, 0, 0, 0),
    # a notebook that is not JSON
    "invalid_json": (0, 0, 0, 0),
    # a submission folder without the notebook
    "missing_notebook": (0, 0, 0, 0),
}


def _write_notebook_attacks(course):
    """The attacks that are about the notebook file rather than the code in it."""
    ada = submitted_notebook(course, "ada_correct")
    dana = submitted_notebook(course, "dana_bessel")

    deleted = nbformat.from_dict(ada)
    deleted.cells = [c for c in deleted.cells if c not in cells_with(deleted, {"normal_mle", "normal_mle_edge"})]
    submit_notebook(course, "deleted_tests", deleted)

    edited = nbformat.from_dict(dana)
    for cell in cells_with(edited, {"normal_mle", "normal_mle_edge"}):
        cell.source = "pass"
        cell.metadata["nbgrader"]["points"] = 100
    submit_notebook(course, "edited_tests", edited)

    renamed = nbformat.from_dict(ada)
    (solution,) = cells_with(renamed, {"solution_normal_mle"})
    solution.source = solution.source.replace("def normal_mle(", "def mle_normal(")
    submit_notebook(course, "renamed_function", renamed)

    slow = nbformat.from_dict(ada)
    for cell in slow.cells:
        if cell.cell_type == "code" and not cells_with(nbformat.v4.new_notebook(cells=[cell]), TEST_CELLS):
            cell.source += "\nimport time\n\ntime.sleep(7)  # just under the 8-second cell limit"
    submit_notebook(course, "slow_cells", slow)
    submit_notebook(course, "untouched_release", read_notebook(release_notebook(course)))
    submit_notebook(course, "invalid_json", text='{"cells": [ this is not JSON')
    submit_notebook(course, "missing_notebook")


def _digest(folder):
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path).encode() + path.read_bytes())
    return digest.hexdigest()


class _Listener:
    """A server on the grader's loopback that counts connections (the sandbox has no network)."""

    def __init__(self, port):
        self.server = socket.create_server(("127.0.0.1", port))
        self.server.settimeout(0.5)
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self):
        self.running = False
        self.thread.join()
        self.server.close()


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    course = build_course(tmp_path_factory.mktemp("attacks"))
    add_learners(course, ATTACKS)
    _write_notebook_attacks(course)
    before = {"source": _digest(course / "source"), "solutions": _digest(ROOT / "solutions")}
    listener = _Listener(LEAK_PORT)
    try:
        graded = grade(course)
    finally:
        listener.close()
    after = {"source": _digest(course / "source"), "solutions": _digest(ROOT / "solutions")}
    return {
        "course": course,
        "graded": graded,
        "outcomes": graded.outcomes,
        "marks": graded.marks,
        "connections": listener.connections,
        "digests": (before, after),
        "printed": graded.printed,
    }


def _marks_of(attacked, student):
    return attacked["graded"].scores(student)


def _messages(attacked, student, grade_id):
    return attacked["graded"].messages(student, grade_id)


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_each_submission_gets_the_marks_it_deserves(attacked, student):
    assert _marks_of(attacked, student) == EXPECTED[student]


@pytest.mark.slow
def test_every_submission_was_graded_once(attacked):
    assert set(attacked["outcomes"]) == {*EXPECTED, "slow_cells"}
    assert all(outcome.success for outcome in attacked["outcomes"].values()), attacked["printed"]
    assert set(attacked["marks"]) == {*EXPECTED, "slow_cells"}


@pytest.mark.slow
def test_many_cells_under_the_cell_limit_still_stop_at_the_notebook_limit(attacked):
    # Ada's notebook with every non-test code cell sleeping 7 s: some 20 cells, 140 s in all.
    assert attacked["outcomes"]["slow_cells"].seconds < 60 + 30
    assert _marks_of(attacked, "slow_cells")[-1] == 0
    assert "used up its 60 seconds" in _messages(attacked, "slow_cells", "simulate_sigma2_hat_edge")


@pytest.mark.slow
def test_cheats_fail_with_the_real_mistake_named(attacked):
    for student in ("patch_numpy", "patch_builtins", "ipython_hooks", "read_course_files"):
        message = _messages(attacked, student, "normal_mle")
        assert "Likely mistake (n - 1 instead of n)" in message, (student, message)
        assert "✓" not in message.splitlines()[0]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("student", "grade_id", "words"),
    [
        ("rewrite_cells", "normal_mle", "no outputs were recorded"),
        ("fake_record", "normal_mle", "the recorded outputs could not be read"),
        ("fifo_outcomes", "normal_mle", "not a regular file"),
        ("exit_in_function", "normal_mle", "the kernel died while running this cell"),
        ("exit_in_cell", "normal_mle", "name 'normal_mle' is not defined"),
        ("segfault_in_function", "normal_mle", "the kernel died while running this cell"),
        ("hang_ignoring_sigint", "normal_mle", "CellTimeoutError"),
        ("memory_bomb", "normal_mle", "raised MemoryError"),
        ("renamed_function", "normal_mle", "Keep the name normal_mle from the assignment"),
        ("untouched_release", "normal_mle", "not implemented yet"),
    ],
)
def test_each_fault_is_explained_in_its_cell(attacked, student, grade_id, words):
    assert words in _messages(attacked, student, grade_id)


@pytest.mark.slow
def test_unreadable_and_missing_notebooks_are_explained_in_the_summary(attacked):
    assert "is not a valid notebook" in " ".join(attacked["outcomes"]["invalid_json"].problems)
    assert "normal_mle.ipynb was not submitted" in " ".join(attacked["outcomes"]["missing_notebook"].problems)
    assert "is not a valid notebook" in attacked["printed"]


@pytest.mark.slow
def test_a_flood_of_output_is_cut_short(attacked):
    (path,) = (attacked["course"] / "autograded" / "flood_output" / ASSIGNMENT).glob("*.ipynb")
    assert path.stat().st_size < 8 * 1024**2
    (cell,) = cells_with(read_notebook(path), {"solution_normal_mle"})
    assert "the grader dropped this cell's output beyond" in "".join(o.get("text", "") for o in cell.outputs)


@pytest.mark.slow
def test_deleted_test_cells_come_back_from_the_source(attacked):
    assert "hidden checks passed" in _messages(attacked, "deleted_tests", "normal_mle")


@pytest.mark.slow
def test_learner_code_cannot_read_write_or_call_out(attacked):
    before, after = attacked["digests"]
    assert before == after
    assert attacked["connections"] == 0
    gradebook = (attacked["course"] / "gradebook.db").read_bytes()
    assert gradebook.startswith(b"SQLite format 3")


@pytest.mark.slow
def test_no_process_outlives_its_notebook(attacked):
    found = subprocess.run(["pgrep", "-f", LINGERING], capture_output=True, text=True, check=False)
    assert found.stdout.strip() == ""


@pytest.mark.slow
def test_feedback_shows_messages_but_no_hidden_test_or_reference_value(attacked):
    feedback = attacked["course"] / "feedback"
    for student in ("dana_bessel", "patch_numpy", "hang_ignoring_sigint"):
        (html,) = (feedback / student / ASSIGNMENT).glob("*.html")
        text = html.read_text()
        assert "hidden checks of normal_mle failed" in text or "CellTimeoutError" in text
        assert "record(" not in text and "BEGIN HIDDEN TESTS" not in text
        assert "MLE_COURSE_CALLS" not in text


@pytest.mark.slow
def test_marker_records_what_was_graded(attacked):
    marker = attacked["course"] / "autograded" / "invalid_json" / ASSIGNMENT / ".course-grade.json"
    assert json.loads(marker.read_text())["problems"]


@pytest.fixture(scope="module")
def stock_graded(tmp_path_factory):
    """Stock ``nbgrader autograde``, configured by the course's nbgrader_config.py, on two cheats and Ada."""
    course = build_course(tmp_path_factory.mktemp("stock"), limits="", honest=["ada_correct"])
    add_learners(course, ATTACKS, only=["patch_numpy", "ipython_hooks"])
    code, table = stock_autograde(course)
    assert code == 0
    return {learner: tuple(row[f].score for f in FUNCTIONS) for learner, row in table.items()}


@pytest.mark.slow
def test_stock_nbgrader_autograde_gets_the_same_protections(stock_graded):
    assert stock_graded == {
        "ada_correct": EXPECTED["ada_correct"],
        "patch_numpy": EXPECTED["patch_numpy"],
        "ipython_hooks": EXPECTED["ipython_hooks"],
    }
