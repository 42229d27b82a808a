"""Hidden data of one's own: each learner's hidden cases are drawn from the course salt, their student id and
what they submitted.

The salt and the switches are settings (``c.HiddenData.course_salt``, ``per_student``, ``per_submission``) read
from ``nbgrader_config.py``; ``HardenedExecute`` takes the student from nbgrader's ``resources`` and digests the
restored notebook and the sandbox's data files (:mod:`autograder.work_digest`), so ``course grade`` and stock
``nbgrader autograde`` draw the same cases for the same submission, every time, and new ones for a changed one.
"""

import hashlib
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from nbgrader.api import Gradebook
from rich.console import Console
from traitlets.config import Config

from autograder.batch import course_config, grade_class
from autograder.cases import COURSE_WIDE, Seed, hidden_rng
from autograder.execute import HardenedExecute, NotebookRun
from autograder.functions import GRADED
from autograder.gradebook import marks
from autograder.hidden_checks import HiddenChecks
from autograder.nbgrader_commands import nbgrader
from autograder.outputs import OutputBudget
from autograder.runner import argument_lists, plan
from autograder.settings import MIB, NO_SALT, HiddenData
from autograder.work_digest import work_digest
from tests.attack_class import (
    ASSIGNMENT,
    GradedClass,
    build_course,
    grade,
    submission_folder,
    submit_notebook,
    submitted_notebook,
)
from tests.conftest import ROOT

#: Functions whose hidden cases of a part are fixed in their declaration (nothing drawn from the generator):
#: the same for every learner by design. Every other part must differ between two learners.
FIXED = {("gradient_ascent", "typical"), ("gradient_ascent", "edge"), ("newton_raphson", "edge")}
FIXED |= {("normal_fisher_information", "edge")}
CLASS = ("ada", "bob", "chen", "dana", "eve")


def _plain(value: object) -> object:
    """A value of a hidden call in full (no summarised arrays, functions by name), for comparing draws."""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.random.Generator):  # its state, not its repr (a memory address, new in every run)
        return repr(value.bit_generator.state)
    if callable(value):
        return getattr(value, "__qualname__", type(value).__name__)
    return repr(value)


def _inputs(name: str, part: str, seed: Seed) -> str:
    """The hidden calls of one part, as the grader plans them for ``seed``."""
    return json.dumps(_plain(argument_lists(plan(GRADED[name], part, seed))))


def _seed(student: str | None, submission: str | None = None, **settings: object) -> Seed:
    return HiddenData(config=Config({"HiddenData": settings})).seed(student, submission)


def test_learners_get_different_hidden_cases_in_every_drawn_part():
    """Five learners: a part with one draw for all is fixed in its declaration (a single label drawn from
    three may well agree for two learners, not for five)."""
    same = {
        (name, part)
        for name in GRADED
        for part in ("typical", "edge")
        if len({_inputs(name, part, _seed(student, course_salt="term 1")) for student in CLASS}) == 1
    }
    assert same == FIXED


def test_the_same_student_gets_the_same_cases_in_another_process():
    """No state of the process (hash randomisation, a global generator) enters the seed."""
    code = (
        "from autograder.cases import Seed; from tests.test_hidden_seeds import _inputs; "
        "print(_inputs('normal_mle', 'typical', Seed('s', 'ada')))"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=os.environ | {"PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert digests == {_inputs("normal_mle", "typical", Seed("s", "ada")) + "\n"}


def test_turning_it_off_gives_every_learner_the_course_wide_cases():
    off = {student: _seed(student, course_salt="term 1", per_student=False) for student in ("ada", "bob")}
    assert off["ada"] == off["bob"] == Seed("term 1", None)
    assert _inputs("normal_mle", "typical", off["ada"]) == _inputs("normal_mle", "typical", off["bob"])
    assert _inputs("normal_mle", "typical", off["ada"]) != _inputs(
        "normal_mle", "typical", _seed("ada", course_salt="term 1")
    )


def test_each_new_submission_draws_new_cases_in_every_drawn_part_and_the_same_one_the_same():
    """Five submissions of one learner (five digests) as five learners above; the same digest draws the same."""
    same = {
        (name, part)
        for name in GRADED
        for part in ("typical", "edge")
        if len({_inputs(name, part, _seed("ada", digest, course_salt="term 1")) for digest in "abcde"}) == 1
    }
    assert same == FIXED
    first, again = _seed("ada", "a", course_salt="term 1"), _seed("ada", "a", course_salt="term 1")
    assert _inputs("normal_mle", "typical", first) == _inputs("normal_mle", "typical", again)


def test_the_same_submission_from_two_students_draws_different_cases():
    """Copying a classmate's notebook copies none of their cases: the student id stays in the seed."""
    ada, bob = _seed("ada", "a", course_salt="term 1"), _seed("bob", "a", course_salt="term 1")
    assert _inputs("normal_mle", "typical", ada) != _inputs("normal_mle", "typical", bob)


def test_turning_per_submission_off_gives_the_seeds_of_before():
    """Off, the digest is ignored and a learner draws what salt and id alone drew: the generator keyed by
    sha256 of the JSON list [salt, student, function, part] (written out here, as it was before digests)."""
    off = [_seed("ada", digest, course_salt="term 1", per_submission=False) for digest in ("a", "b", None)]
    assert off == [Seed("term 1", "ada")] * 3
    key = json.dumps(["term 1", "ada", "normal_mle", "typical"]).encode()
    before = np.random.default_rng(np.random.SeedSequence(int.from_bytes(hashlib.sha256(key).digest(), "big")))
    assert hidden_rng("normal_mle", "typical", off[0]).random(8).tolist() == before.random(8).tolist()
    assert HiddenData().per_submission is True


def test_a_new_salt_gives_new_cases_to_the_same_learner_and_the_whole_class():
    for student in ("ada", None):
        first, second = _seed(student, course_salt="term 1"), _seed(student, course_salt="term 2")
        assert _inputs("normal_mle", "typical", first) != _inputs("normal_mle", "typical", second)


def test_per_student_is_the_default_and_the_course_sets_its_salt_in_its_configuration():
    assert HiddenData().per_student is True
    configured = HiddenData(config=course_config(ROOT))
    assert configured.course_salt  # set in nbgrader_config.py, not left to the library's empty default
    assert configured.seed("ada") == Seed(configured.course_salt, "ada")
    assert HiddenData().seed(None) == COURSE_WIDE  # in-process checks with no configuration


@pytest.mark.parametrize("salt", ["", "a secret of the course"])
def test_course_grade_warns_when_the_course_has_no_salt_of_its_own(tmp_path, salt):
    """With the library's empty salt, anyone with the grader's code can draw a learner's cases: course grade
    says so, and how to make a salt, before it grades (here: an assignment with no submissions yet)."""
    (tmp_path / "submitted").mkdir()
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        gradebook.add_assignment(ASSIGNMENT)
    config = Config({"CourseDirectory": {"root": str(tmp_path), "db_url": "sqlite:///gradebook.db"}})
    if salt:
        config.HiddenData.course_salt = salt
    printed = io.StringIO()
    assert grade_class(tmp_path, ASSIGNMENT, Console(file=printed, width=400), config=config) == []
    text = " ".join(printed.getvalue().split())
    assert ("c.HiddenData.course_salt is not set" in text) is not bool(salt)
    assert ('python -c "import secrets; print(secrets.token_hex(16))"' in text) is not bool(salt)
    assert (" ".join(NO_SALT.split()) in text) is not bool(salt)


def test_the_hidden_cases_are_drawn_from_the_generator_each_time_afresh():
    """Drawing one learner's cases does not move another's: there is no shared generator."""
    alone = _inputs("normal_mle", "typical", Seed("s", "bob"))
    _inputs("normal_mle", "typical", Seed("s", "ada"))
    assert _inputs("normal_mle", "typical", Seed("s", "bob")) == alone


def _stream(name: str, text: str) -> dict:
    return {"msg_type": "stream", "content": {"name": name, "text": text}, "header": {}, "parent_header": {}}


def test_a_print_split_by_the_kernels_flushes_is_one_output_whatever_the_timing():
    """The same submission gives the same feedback: consecutive text of one stream is one output."""
    executor = HardenedExecute(config=Config())
    executor.notebook_run = NotebookRun(None, HiddenChecks(None, None), math.inf, OutputBudget(4 * MIB, 32 * MIB))
    executor.notebook_run.running, executor.clear_before_next_output = 0, False
    outs: list = []
    for name, text in [("stdout", "Visible tests passed."), ("stdout", "\n"), ("stderr", "a warning"), ("stdout", "x")]:
        executor.output(outs, _stream(name, text), None, 0)
    assert [(out.name, out.text) for out in outs] == [
        ("stdout", "Visible tests passed.\n"),
        ("stderr", "a warning"),
        ("stdout", "x"),
    ]


def test_the_graders_notes_stay_apart_from_the_learners_text():
    """A note the grader writes for a malformed output is its own output, not joined to the learner's print."""
    executor = HardenedExecute(config=Config())
    executor.notebook_run = NotebookRun(None, HiddenChecks(None, None), math.inf, OutputBudget(4 * MIB, 32 * MIB))
    executor.notebook_run.running, executor.clear_before_next_output = 0, False
    outs: list = []
    malformed = {"msg_type": "stream", "content": {"name": "stdout", "text": 5}, "header": {}, "parent_header": {}}
    for message in (_stream("stdout", "hello\n"), malformed, malformed, _stream("stdout", "world\n")):
        executor.output(outs, message, None, 0)
    texts = [out.text for out in outs]
    assert texts[0] == "hello\n" and texts[-1] == "world\n"
    assert len(texts) == 4 and all(text.startswith("[the grader dropped a malformed") for text in texts[1:3])


def _verdicts(graded, student: str) -> str:
    return graded.messages(student, "normal_mle") + graded.messages(student, "normal_mle_edge")


@pytest.fixture(scope="module")
def graded_twins(tmp_path_factory) -> GradedClass:
    """Dana (n - 1 instead of n) and her twin, who submitted the same notebook, graded once by course grade.

    Each test that grades again does so in a copy of this course (:func:`_copy`), so both start from this run."""
    course = build_course(tmp_path_factory.mktemp("twins"), honest=("dana_bessel",))
    shutil.copytree(submission_folder(course, "dana_bessel"), submission_folder(course, "dana_twin"))
    return grade(course)


def _copy(graded: GradedClass, where) -> Path:
    """A copy of the graded course (gradebook, submissions, autograded and feedback folders) in ``where``."""
    return shutil.copytree(graded.course, where / "course", symlinks=True)


@pytest.mark.slow
def test_course_grade_and_stock_nbgrader_draw_each_learners_own_cases_and_again_the_same(graded_twins, tmp_path):
    """Dana (n - 1 instead of n) and her twin submit the same notebook: each one's feedback shows their own
    hidden inputs (those the configuration's seed draws for them and the digest of the notebook they
    submitted: the course has no data files, so the kernel received none); grading again, by course grade or
    by stock nbgrader, gives the same marks and the same feedback."""
    first = graded_twins
    course = _copy(first, tmp_path)
    pages = {student: first.feedback(student) for student in ("dana_bessel", "dana_twin")}
    seeds = HiddenData(config=course_config(course))
    digest = work_digest(first.autograded("dana_bessel"))
    assert work_digest(first.autograded("dana_twin")) == digest  # the same bytes
    for student, other in (("dana_bessel", "dana_twin"), ("dana_twin", "dana_bessel")):
        case = GRADED["normal_mle"].cases("typical", seeds.seed(student, digest))[0]
        assert case.describe() in _verdicts(first, student)
        assert case.describe() not in _verdicts(first, other)
        without_digest = GRADED["normal_mle"].cases("typical", seeds.seed(student))[0]
        assert without_digest.describe() not in _verdicts(first, student)
        assert "Likely mistake (n - 1 instead of n)" in _verdicts(first, student)
    assert first.scores("dana_bessel") == first.scores("dana_twin") == (3, 3, 0, 3)

    again = _graded(course, grade_class(course, ASSIGNMENT, _quiet(), workers=2, force=True))
    assert {student: _no_addresses(again.feedback(student)) for student in pages} == {
        student: _no_addresses(page) for student, page in pages.items()
    }
    assert again.marks == first.marks

    assert nbgrader("autograde", ASSIGNMENT, "--force", cwd=course, log=tmp_path / "stock.log") == 0
    stock = _graded(course, [])
    assert stock.marks == first.marks
    assert {student: _verdicts(stock, student) for student in pages} == {
        student: _verdicts(first, student) for student in pages
    }


#: A failed check of normal_mle in a verdict: the size of its input, then the sigma_hat expected.
_SHOWN = re.compile(r"x=(?:(?:array|list) of (\d+) values[^\n]*|\[[^\]\n]*\])\n\s*sigma_hat: expected ([0-9.e+-]+)")


def _looked_up(verdicts: str) -> dict[int, float]:
    """Dana's table from her feedback: the sigma_hat expected for each size of input it shows (a short input
    is shown in full, as ``x=[2.02]``: its size is its count of values)."""
    table = {}
    for match in _SHOWN.finditer(verdicts):
        size = int(match[1]) if match[1] else len(match[0].split("]")[0].split(","))
        table[size] = float(match[2])
    return table


#: Dana's normal_mle resubmitted: Bessel's sigma still, but any size her first feedback showed is looked up.
LOOKUP = """import numpy as np
SEEN = {table!r}
SEEN[5] = 2 ** 0.5  # the visible worked example


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must not be empty")
    return float(x.mean()), SEEN.get(x.size, float(x.std(ddof=1)) if x.size > 1 else 0.0)
"""


@pytest.mark.slow
def test_a_resubmission_that_looks_up_the_first_feedback_is_graded_on_new_cases(graded_twins, tmp_path):
    """R1's finding 2, through course grade twice: Dana (n - 1) reads every size and expected sigma_hat in her
    feedback and resubmits a normal_mle that looks them up by len(x). Her changed notebook draws new cases,
    so the table is of no use: normal_mle still scores 0 (with per_submission off it scored 3: 12/12)."""
    first = graded_twins
    course = _copy(first, tmp_path)
    assert first.scores("dana_bessel") == (3, 3, 0, 3)
    shown = _verdicts(first, "dana_bessel")
    table = _looked_up(shown)
    assert len(table) >= 6, shown  # every failed check's size: three typical, four edge (n = 1 among them)
    notebook = submitted_notebook(course, "dana_bessel")
    (cell,) = [c for c in notebook.cells if c.cell_type == "code" and "def normal_mle" in c.source]
    cell.source = LOOKUP.format(table=table)
    submit_notebook(course, "dana_bessel", notebook)

    second = grade(course)  # the changed submission is graded again, without --force
    assert second.outcomes["dana_bessel"].success
    assert second.scores("dana_bessel") == (3, 3, 0, 3)
    again = _verdicts(second, "dana_bessel")
    inputs = {line.split(": x=")[1] for line in shown.splitlines() if ": x=" in line}
    assert not {line.split(": x=")[1] for line in again.splitlines() if ": x=" in line} & inputs


def _no_addresses(page: str) -> str:
    """A feedback page without the memory addresses of objects the learner's kernel displayed: the lesson's
    widget shows as ``<mlelab.widget.MLEWidget object at 0x7f...>``, an address that changes with every kernel."""
    return re.sub(r" object at 0x[0-9a-f]+", " object at 0x...", page)


def _quiet() -> Console:
    return Console(file=io.StringIO())


def _graded(course, outcomes) -> GradedClass:
    """What is in the gradebook and the course's folders now."""
    marks_now = marks(f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT)
    return GradedClass(course, {o.student: o for o in outcomes}, marks_now, "")
