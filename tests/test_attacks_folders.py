"""Hostile submission folders, graded in one class beside honest learners whose marks must not move.

A learner controls their submission folder: links out of it (breach 4: a link to ``/proc/self/mem``
stopped the batch), named pipes, devices, sockets, a 10 GB sparse file, a tree 10 000 folders deep,
100 000 files, odd names, a notebook that is a link, a pipe, a folder, 2 GB, nested past any parser's
stack or 50 MiB of ``[{},{},...]`` (2.5 GiB of the worker's memory, had it been parsed), an assignment or
student folder that is a link to another learner's. Each such submission is graded on its regular files
within bounds (honest code beside the junk earns its marks; a notebook that cannot be read earns 0; one
that breaks nbformat's schema but can be repaired is graded, as by stock nbgrader), the summary names what
was left out, no secret outside the folder reaches any autograded or feedback file, and the batch
publishes everyone. A student folder named as no student id is (HTML the formgrader would run, escape
sequences for the terminal) is not graded and never reaches the gradebook; one named like the grader's
own files (``template.db``) is graded as any other. The junk is made here in Python; the
code in the notebooks (``tests/attacks/folders/01_normal_mle/``) lists what the kernel sees and tries
to read the secret through the links.
"""

import json
import os
import shutil
import stat

import nbformat
import pytest

from autograder.folders import shown
from tests.attack_class import ASSIGNMENT, HONEST, add_learners, build_course, grade, submission_folder
from tests.conftest import ROOT, deep_tree, remove_deep_tree, unix_socket_at

ATTACKS = ROOT / "tests" / "attacks" / "folders" / ASSIGNMENT
SECRET = "the-course-salt-is-0xC0FFEE"
NOTEBOOK = "normal_mle.ipynb"
FULL, ZERO = (3, 3, 3, 3), (0, 0, 0, 0)
ROOT_ONLY = os.geteuid() == 0  # mknod

#: student -> (marks, what the summary must say of the folder)
EXPECTED = {
    **{student: (marks, []) for student, marks in HONEST.items()},
    "links": (
        FULL,
        [
            "notes.txt is a link: ignored",
            "salt.txt is a link: ignored",
            "outside is a link: ignored",
            "dangling is a link: ignored",
            "loop_a is a link: ignored",
        ],
    ),
    "special_files": (
        FULL,
        ["pipe is a named pipe: ignored", "socket is a socket: ignored"]
        + (
            ["zero is a device: ignored", "urandom is a device: ignored", "loop0 is a device: ignored"]
            if ROOT_ONLY
            else []
        ),
    ),
    "big_tree": (
        FULL,
        [
            "huge.bin is 10.0 GiB, over the 50.0 MiB a file may be: ignored",
            "is nested deeper than 8 folders: ignored",
            "the folder holds more than 500 files: the rest was ignored",
        ],
    ),
    "odd_names": (
        FULL,
        [
            "new\\nline.txt has a control character in its name: ignored",
            "bad\\xff.txt has a name that is not UTF-8: ignored",
            "has a name longer than 200 characters: ignored",
            ".course-grade.json has a name the grader keeps for its own records: ignored",
            "timestamp.txt does not hold a time nbgrader can read: ignored",
        ],
    ),
    "linked_notebook": (ZERO, [f"{NOTEBOOK} is a link: ignored, so it was graded as missing"]),
    "pipe_notebook": (ZERO, [f"{NOTEBOOK} is a named pipe: ignored, so it was graded as missing"]),
    "folder_notebook": (ZERO, [f"{NOTEBOOK} is a folder named like a notebook: ignored, so it was graded as missing"]),
    "huge_notebook": (ZERO, [f"{NOTEBOOK} is 2.0 GiB, over the 50.0 MiB a file may be: ignored, so it was graded"]),
    "nested_notebook": (ZERO, [f"{NOTEBOOK} is not a valid notebook (its JSON is nested more than 100 levels"]),
    "object_bomb": (ZERO, [f"{NOTEBOOK} is not a valid notebook (its JSON holds more than 1,000,000 values)"]),
    "repairable_notebook": (FULL, []),
    "scratch_notebook": (FULL, []),  # beside a notebook of 100 000 objects, which is not the assignment's
    "template.db": (FULL, []),  # the name of the grader's template gradebook in its staging folder
    "linked_assignment": (ZERO, [f"submitted/linked_assignment/{ASSIGNMENT} is a link, not a folder: not followed"]),
    "linked_student": (ZERO, ["submitted/linked_student is a link, not a folder: not followed"]),
}
#: Folder names that are not student ids: never graded, never in the gradebook, named in the summary.
NOT_IDS = ['<img src=x onerror="document.title=`XSS-`+document.domain">', "evil\x1b]0;OWNED\x07\x1b[1A\x1b[2K"]
if ROOT_ONLY:
    EXPECTED["device_notebook"] = (ZERO, [f"{NOTEBOOK} is a device: ignored, so it was graded as missing"])
#: Entries the kernel must never see in its working folder (it sees the regular files that were kept).
NEVER_SEEN = [
    "salt.txt",
    "outside",
    "notes.txt",
    "dangling",
    "loop_a",
    "pipe",
    "socket",
    "zero",
    "huge.bin",
    ".course-grade.json",
    "timestamp.txt",
    "new\\nline.txt",
]


def _make_junk(course, secret, undo):
    """Fill the attackers' folders; what must be undone later (a socket, a deep tree) goes into ``undo``."""
    links = submission_folder(course, "links")
    os.symlink("/proc/self/mem", links / "notes.txt")
    os.symlink(secret / "salt.txt", links / "salt.txt")
    os.symlink(secret, links / "outside")
    os.symlink(links / "nowhere", links / "dangling")
    os.symlink(links / "loop_b", links / "loop_a")
    os.symlink(links / "loop_a", links / "loop_b")

    special = submission_folder(course, "special_files")
    os.mkfifo(special / "pipe")
    server = unix_socket_at(special / "socket")
    undo.append(server.close)
    if ROOT_ONLY:
        os.mknod(special / "zero", 0o666 | stat.S_IFCHR, os.makedev(1, 5))
        os.mknod(special / "urandom", 0o666 | stat.S_IFCHR, os.makedev(1, 9))
        os.mknod(special / "loop0", 0o666 | stat.S_IFBLK, os.makedev(7, 0))

    big = submission_folder(course, "big_tree")
    with open(big / "huge.bin", "wb") as sparse:
        sparse.truncate(10 * 1024**3)
    undo.append(lambda: remove_deep_tree(big))
    deep_tree(big, 10_001)
    (big / "many").mkdir()
    for n in range(100_000):
        os.close(os.open(big / "many" / f"{n:06d}.txt", os.O_CREAT | os.O_WRONLY))

    odd = submission_folder(course, "odd_names")
    (odd / "new\nline.txt").write_text("x")
    os.close(os.open(os.fsencode(odd) + b"/bad\xff.txt", os.O_CREAT | os.O_WRONLY))
    for name in ("-rf", "--help", "[bold red]markup"):
        (odd / name).write_text("a plain file with an odd name")
    (odd / ("x" * 250)).write_text("x")
    (odd / "unreadable.txt").write_text("mode 000")
    (odd / "unreadable.txt").chmod(0)
    (odd / ".course-grade.json").write_text(json.dumps({"fingerprint": "forged", "problems": []}))
    (odd / "timestamp.txt").write_text("2024-03-01 12:00:00 ../../../../proc/self/mem")

    ada = submission_folder(course, "ada_correct")
    for student in ("linked_notebook", "pipe_notebook", "folder_notebook", "huge_notebook", "nested_notebook"):
        submission_folder(course, student).mkdir(parents=True)
    os.symlink(ada / NOTEBOOK, submission_folder(course, "linked_notebook") / NOTEBOOK)
    os.mkfifo(submission_folder(course, "pipe_notebook") / NOTEBOOK)
    (submission_folder(course, "folder_notebook") / NOTEBOOK).mkdir()
    (submission_folder(course, "folder_notebook") / NOTEBOOK / NOTEBOOK).write_bytes((ada / NOTEBOOK).read_bytes())
    with open(submission_folder(course, "huge_notebook") / NOTEBOOK, "wb") as sparse:
        sparse.truncate(2 * 1024**3)
    deep_json = '{"cells": ' + "[" * 1_000_000 + "]" * 1_000_000 + "}"
    (submission_folder(course, "nested_notebook") / NOTEBOOK).write_text(deep_json)
    if ROOT_ONLY:
        submission_folder(course, "device_notebook").mkdir(parents=True)
        os.mknod(submission_folder(course, "device_notebook") / NOTEBOOK, 0o666 | stat.S_IFCHR, os.makedev(1, 5))
    (course / "submitted" / "linked_assignment").mkdir()
    os.symlink(ada, submission_folder(course, "linked_assignment"))
    os.symlink(course / "submitted" / "ada_correct", course / "submitted" / "linked_student")
    _named_and_heavy(course, ada)


def _named_and_heavy(course, ada):
    """Ada's work under names that are not student ids or are the grader's own, and notebooks costly to read."""
    for student in ["template.db", "scratch_notebook", *NOT_IDS]:
        shutil.copytree(ada, submission_folder(course, student))
    (submission_folder(course, NOT_IDS[1]) / "notes.txt").symlink_to("/etc/passwd")
    objects = "[" + ",".join(["{}"] * 100_000) + "]"
    (submission_folder(course, "scratch_notebook") / "scratch.ipynb").write_text(objects)
    bomb = submission_folder(course, "object_bomb")
    bomb.mkdir(parents=True)
    (bomb / NOTEBOOK).write_bytes(b"[" + b"{}," * (50 * 2**20 // 3 - 1) + b"{}]")
    repairable = json.loads((ada / NOTEBOOK).read_text())  # breaks nbformat's schema where restore.py repairs it
    repairable["not_in_the_schema"] = True
    for cell in repairable["cells"]:
        cell["bogus"] = 1
        if cell["cell_type"] == "code":
            cell["execution_count"], cell["outputs"] = "one", [{"output_type": "nonsense"}]
    with pytest.raises(nbformat.ValidationError):
        nbformat.validate(repairable)
    submission_folder(course, "repairable_notebook").mkdir(parents=True)
    (submission_folder(course, "repairable_notebook") / NOTEBOOK).write_text(json.dumps(repairable))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    where = tmp_path_factory.mktemp("folder_attacks")
    secret = where / "secret"
    secret.mkdir()
    (secret / "salt.txt").write_text(SECRET)
    nbformat.write(nbformat.v4.new_notebook(), secret / NOTEBOOK)
    course = build_course(where)
    add_learners(course, ATTACKS)
    undo = []
    try:
        _make_junk(course, secret, undo)
        yield grade(course)
    finally:
        for step in reversed(undo):
            step()


@pytest.mark.slow
def test_the_batch_grades_and_publishes_everyone_with_a_student_id(graded):
    assert set(graded.outcomes) == set(EXPECTED) | {shown(name) for name in NOT_IDS}
    failed = {s for s, o in graded.outcomes.items() if not o.success}
    assert failed == {shown(name) for name in NOT_IDS}, graded.printed
    assert set(graded.marks) == set(EXPECTED)


@pytest.mark.slow
@pytest.mark.parametrize("name", NOT_IDS)
def test_a_folder_named_as_no_student_id_is_never_graded_and_the_summary_says_to_rename_it(graded, name):
    (problem,) = graded.outcomes[shown(name)].problems
    assert f"so nothing of it was graded: rename submitted/{shown(name)} to the student's id" in problem
    assert not (graded.course / "autograded" / name).exists() and not (graded.course / "feedback" / name).exists()


@pytest.mark.slow
def test_nothing_a_submission_names_reaches_the_terminal_as_a_control_character(graded):
    assert [c for c in graded.printed if c != "\n" and (ord(c) < 32 or 127 <= ord(c) <= 159)] == []


@pytest.mark.slow
def test_honest_marks_do_not_move(graded):
    assert graded.honest_marks_kept() == {}


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(set(EXPECTED) - set(HONEST)))
def test_each_folder_is_graded_on_what_it_may_hold_and_the_summary_says_what_was_left_out(graded, student):
    marks, notes = EXPECTED[student]
    assert graded.scores(student) == marks
    problems = "\n".join(graded.outcomes[student].problems)
    for note in notes:
        assert note in problems, (note, problems)
    if notes:
        assert student in graded.printed
    else:
        assert problems == ""  # of scratch.ipynb, say: another notebook is a file to copy, never parsed


@pytest.mark.slow
@pytest.mark.parametrize("student", ["links", "special_files", "big_tree", "odd_names"])
def test_the_kernel_sees_only_the_regular_files_kept(graded, student):
    shown = graded.messages(student, "solution_normal_mle")
    assert "SEEN:" in shown or "READ:" in shown, shown
    for name in NEVER_SEEN:
        assert f"SEEN: './{name}'" not in shown, (name, shown)
    assert "READ: salt.txt FileNotFoundError" in shown
    assert "READ: outside/salt.txt FileNotFoundError" in shown


@pytest.mark.slow
def test_no_secret_from_outside_a_folder_reaches_any_autograded_or_feedback_file(graded):
    for top in ("autograded", "feedback"):
        for path in (graded.course / top).rglob("*"):
            if path.is_file() and not path.is_symlink():
                assert SECRET.encode() not in path.read_bytes(), path


@pytest.mark.slow
def test_published_folders_hold_no_link_and_the_grader_s_own_marker(graded):
    for top in ("autograded", "feedback"):
        assert not [p for p in (graded.course / top).rglob("*") if p.is_symlink()]
    marker = graded.course / "autograded" / "odd_names" / ASSIGNMENT / ".course-grade.json"
    assert json.loads(marker.read_text())["fingerprint"] != "forged"
