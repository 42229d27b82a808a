"""Attacks on the grading machine's resources, graded in one class beside honest learners (issue 11).

A disk filler (in its function, and in its cell) and two hundred spinning processes: each sandbox has
a bounded, memory-backed space of its own and a CPU quota, so every submission is graded and
published, the honest marks do not move, and the attacker loses only the function concerned.
Expected marks are per graded function of 01_normal_mle (see tests/attack_class.py).
"""

import shutil
import tempfile

import pytest

from tests.attack_class import ASSIGNMENT, HONEST, add_learners, build_course, grade
from tests.conftest import ROOT

ATTACKS = ROOT / "tests" / "attacks" / "resources" / ASSIGNMENT

EXPECTED = {
    **HONEST,
    # normal_mle fills every folder it can write, the outcomes folder last: its outcomes find no room
    "fill_disk_in_function": (3, 3, 0, 3),
    # the normal_mle cell fills every folder and leaves the files: the grader empties its outcomes folder
    "fill_disk_in_cell": (3, 3, 3, 3),
    # simulate_sigma2_hat starts 200 spinning processes and spins: both its cells time out
    "spin_processes": (3, 3, 3, 0),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = build_course(tmp_path_factory.mktemp("resources"))
    add_learners(course, ATTACKS)
    free_before = shutil.disk_usage(tempfile.gettempdir()).free
    graded = grade(course)
    graded.disk_used = free_before - shutil.disk_usage(tempfile.gettempdir()).free
    return graded


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
        ("fill_disk_in_function", "normal_mle", "No space left on device"),
        ("fill_disk_in_function", "normal_mle_edge", "No space left on device"),
        ("fill_disk_in_cell", "solution_normal_mle", "is full: No space left on device"),
        ("spin_processes", "simulate_sigma2_hat", "ran longer than"),
    ],
)
def test_the_attack_is_explained_in_its_cell(graded, student, grade_id, words):
    assert words in graded.messages(student, grade_id)


@pytest.mark.slow
def test_the_disk_fillers_never_reached_the_hosts_disk(graded):
    # Two fillers tried to write everything they could (each 512 MiB in memory); loosely stated, as
    # other work on this machine writes to its disk too.
    assert graded.disk_used < 256 * 1024**2
