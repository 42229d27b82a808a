"""The sanitising stage of ``nbgrader autograde`` as the course configures it: nothing a submission says
about its own cells is believed (autograder/restore.py).

Each test edits a copy of the released notebook the way a learner could, runs it through the
exporter and ``sanitize_preprocessors`` of ``nbgrader_config.py`` (what nbgrader does before any
cell runs), and checks that it comes out valid, with exactly the release's graded cells and
nbgrader metadata. Stock nbgrader refuses most of these notebooks, and aborts the whole run on a
``schema_version`` it does not know.
"""

import copy
import io
import json

import nbformat
import pytest
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from nbgrader.nbgraderformat import MetadataValidator

from autograder.batch import course_config
from autograder.restore import UnreadableNotebook, read_submitted_notebook
from tests.conftest import released_course

ASSIGNMENT, NOTEBOOK = "01_normal_mle", "normal_mle"
#: What restoring may change: the checksum becomes the source's (with its hidden tests).
COMPARED = ("grade", "solution", "locked", "task", "points", "grade_id", "schema_version", "cell_type")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    where = tmp_path_factory.mktemp("restore")
    return released_course(where / "course", [ASSIGNMENT])


@pytest.fixture(scope="module")
def release(course):
    return json.loads((course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").read_text())


def sanitize(course, notebook: dict | str) -> nbformat.NotebookNode:
    """The notebook as nbgrader's sanitising stage leaves it, with the course's configuration."""
    config = course_config(course)
    converter = Autograde(coursedir=CourseDirectory(config=config), config=config)
    exporter = converter.exporter_class(config=config)
    for preprocessor in converter.sanitize_preprocessors:
        exporter.register_preprocessor(preprocessor, enabled=True)
    folder = course / "submitted" / "learner" / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{NOTEBOOK}.ipynb"
    path.write_text(notebook if isinstance(notebook, str) else json.dumps(notebook))
    resources = {
        "unique_key": NOTEBOOK,
        "nbgrader": {
            "student": "learner",
            "assignment": ASSIGNMENT,
            "notebook": NOTEBOOK,
            "db_url": f"sqlite:///{course / 'gradebook.db'}",
        },
    }
    output, _ = exporter.from_filename(str(path), resources=resources)
    return nbformat.reads(output, as_version=4)


def graded(notebook) -> dict[str, dict]:
    """The nbgrader metadata of each cell that has any, by grade id (compared keys only)."""
    cells = [c for c in notebook["cells"] if c["metadata"].get("nbgrader")]
    found = {}
    for cell in cells:
        metadata = cell["metadata"]["nbgrader"]
        assert metadata["grade_id"] not in found, f"grade id {metadata['grade_id']} twice"
        found[metadata["grade_id"]] = {key: metadata.get(key) for key in COMPARED}
    return found


def cell(notebook: dict, grade_id: str) -> dict:
    (found,) = [c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id]
    return found


def assert_restored(result, release):
    """Valid for nbformat and nbgrader; every grade cell of the release, nothing else, all with its metadata.

    A solution cell (not graded itself) whose grade id was taken or deleted cannot be told from
    the learner's other cells, so it may have lost its metadata.
    """
    nbformat.validate(result)
    MetadataValidator().validate_nb(result)
    expected, found = graded(release), graded(result)
    assert {grade_id for grade_id, metadata in expected.items() if metadata["grade"]} <= found.keys()
    assert {grade_id: expected.get(grade_id) for grade_id in found} == found
    for grade_id in ("normal_mle", "normal_mle_edge"):
        assert cell(result, grade_id)["cell_type"] == "code"
        assert "record(normal_mle)" in cell(result, grade_id)["source"]  # the hidden test is back


def _set(grade_id, key, value):
    def edit(notebook):
        cell(notebook, grade_id)["metadata"]["nbgrader"][key] = value

    return edit


def _drop(grade_id, key):
    def edit(notebook):
        del cell(notebook, grade_id)["metadata"]["nbgrader"][key]

    return edit


def _metadata(grade_id, value):
    def edit(notebook):
        cell(notebook, grade_id)["metadata"]["nbgrader"] = value

    return edit


def _cell_type(grade_id, cell_type):
    def edit(notebook):
        edited = cell(notebook, grade_id)
        edited["cell_type"] = cell_type
        if cell_type != "code":
            edited.pop("outputs", None)
            edited.pop("execution_count", None)
        else:
            edited.update(outputs=[], execution_count=None)

    return edit


def _rename(grade_id, new):
    return _set(grade_id, "grade_id", new)


def _claim(grade_id, index):
    """The cell at ``index`` (not a graded one) claims ``grade_id`` too, with 1000 points."""

    def edit(notebook):
        claimed = copy.deepcopy(cell(notebook, grade_id)["metadata"]["nbgrader"])
        notebook["cells"][index]["metadata"]["nbgrader"] = {**claimed, "points": 1000}

    return edit


def _move_to_end(grade_id):
    def edit(notebook):
        moved = cell(notebook, grade_id)
        notebook["cells"].remove(moved)
        notebook["cells"].append(moved)

    return edit


def _duplicate(*grade_ids):
    def edit(notebook):
        for grade_id in grade_ids:
            original = cell(notebook, grade_id)
            notebook["cells"].insert(notebook["cells"].index(original), copy.deepcopy(original))

    return edit


def _delete(*grade_ids):
    def edit(notebook):
        for grade_id in grade_ids:
            notebook["cells"].remove(cell(notebook, grade_id))

    return edit


def _ids(value):
    def edit(notebook):
        for each in notebook["cells"]:
            if value is None:
                each.pop("id", None)
            else:
                each["id"] = value

    return edit


def _top(key, value):
    def edit(notebook):
        notebook[key] = value

    return edit


def _notebook_metadata(key, value):
    def edit(notebook):
        notebook["metadata"][key] = value

    return edit


def _all(*edits):
    def edit(notebook):
        for each in edits:
            each(notebook)

    return edit


EDITS = {
    "test cell marked as a solution": _set("normal_mle", "solution", True),
    "test cell not a grade cell": _set("normal_mle", "grade", False),
    "test cell unlocked": _set("normal_mle", "locked", False),
    "test cell made a task": _set("normal_mle", "task", True),
    "test cell worth 1000 points": _set("normal_mle", "points", 1000),
    "points not a number": _set("normal_mle", "points", "lots"),
    "checksum edited": _set("normal_mle", "checksum", "0" * 32),
    "schema_version too new": _set("normal_mle", "schema_version", 99),
    "schema_version too old": _set("normal_mle", "schema_version", 1),
    "schema_version not an int": _set("normal_mle", "schema_version", "3"),
    "schema_version removed": _drop("normal_mle", "schema_version"),
    "grade removed": _drop("normal_mle", "grade"),
    "extra keys": _set("normal_mle", "secret", {"points": 1000}),
    "nbgrader metadata a string": _metadata("normal_mle", "grade"),
    "nbgrader metadata a list": _metadata("normal_mle", [1, 2]),
    "nbgrader metadata null": _metadata("normal_mle", None),
    "cell metadata a list": lambda nb: cell(nb, "normal_mle").update(metadata=[]),
    "grade_id renamed": _rename("normal_mle", "my_own_test"),
    "grade_id not a string": _set("normal_mle", "grade_id", 7),
    "grade_id of another cell": _rename("normal_mle", "normal_score"),
    "solution cell claims the test's grade_id": _rename("solution_normal_mle", "normal_mle"),
    "grade_id duplicated further on": _claim("normal_mle", -1),
    "grade_id duplicated before": _claim("normal_mle", 0),
    "test cell made markdown": _cell_type("normal_mle", "markdown"),
    "test cell made raw": _cell_type("normal_mle", "raw"),
    "test cell of an unknown type": _cell_type("normal_mle", "javascript"),
    "written answer made code": _cell_type("bias_answer", "code"),
    "test cell moved to the end": _move_to_end("normal_mle_edge"),
    "solution and test cells duplicated": _duplicate("solution_normal_mle", "normal_mle"),
    "solution and test cells deleted": _delete("solution_normal_mle", "normal_mle", "normal_mle_edge"),
    "first graded cells deleted": _delete("solution_normal_log_likelihood", "normal_log_likelihood"),
    "written answer deleted": _delete("bias_answer"),
    "cell ids all the same": _ids("same"),
    "cell ids missing": _ids(None),
    "cell ids invalid": _ids("not a valid id!"),
    "nbformat_minor 4 without ids": _all(_top("nbformat_minor", 4), _ids(None)),
    "nbformat_minor too new": _top("nbformat_minor", 99),
    "nbformat_minor not an int": _top("nbformat_minor", "five"),
    "kernelspec pointing elsewhere": _notebook_metadata("kernelspec", {"name": "bash", "display_name": "Bash"}),
    "kernelspec not a dict": _notebook_metadata("kernelspec", "python3"),
    "language_info garbage": _notebook_metadata("language_info", "javascript"),
    "language not a string": _notebook_metadata("language", 5),
    "notebook metadata removed": lambda nb: nb.pop("metadata"),
    "a cell that is not an object": lambda nb: nb["cells"].insert(3, "print('hi')"),
    "a source that is not text": lambda nb: cell(nb, "normal_mle").update(source=12),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_nbgrader_metadata_comes_back_from_the_gradebook(course, release, edit):
    notebook = copy.deepcopy(release)
    edit(notebook)
    assert_restored(sanitize(course, notebook), release)


def test_without_any_nbgrader_metadata_the_grade_cells_come_back(course, release):
    notebook = copy.deepcopy(release)
    for each in notebook["cells"]:
        each["metadata"].pop("nbgrader", None)
    result = sanitize(course, notebook)
    wanted = {grade_id: m for grade_id, m in graded(release).items() if m["grade"]}
    assert graded(result) == wanted
    assert len(result.cells) == len(release["cells"]) + len(wanted)


def test_an_extra_grade_cell_loses_its_metadata(course, release):
    notebook = copy.deepcopy(release)
    bonus = {"grade": True, "solution": False, "locked": True, "points": 1000, "grade_id": "bonus", "schema_version": 3}
    notebook["cells"][2]["metadata"]["nbgrader"] = bonus
    result = sanitize(course, notebook)
    assert "bonus" not in graded(result)
    assert result.cells[2].metadata == {}


def test_the_last_cell_claiming_a_grade_id_keeps_it(course, release):
    notebook = copy.deepcopy(release)
    _claim("normal_mle", -1)(notebook)
    result = sanitize(course, notebook)
    assert result.cells[-1].metadata.nbgrader["grade_id"] == "normal_mle"
    assert "record(normal_mle)" in result.cells[-1].source


def test_a_deleted_test_cell_comes_back_after_the_cell_before_it(course, release):
    notebook = copy.deepcopy(release)
    _delete("solution_normal_mle", "normal_mle")(notebook)
    result = sanitize(course, notebook)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in result.cells]
    assert ids.index("normal_mle") == ids.index("normal_score_edge") + 1
    assert ids.index("normal_mle") < ids.index("normal_mle_edge")


def test_moved_cells_stay_where_the_learner_put_them(course, release):
    notebook = copy.deepcopy(release)
    _move_to_end("normal_mle_edge")(notebook)
    result = sanitize(course, notebook)
    assert result.cells[-1].metadata.nbgrader["grade_id"] == "normal_mle_edge"


def test_the_kernelspec_is_the_source_notebooks(course, release):
    notebook = copy.deepcopy(release)
    notebook["metadata"] = {"kernelspec": {"name": "bash", "display_name": "x"}, "widgets": {"state": "x" * 100}}
    result = sanitize(course, notebook)
    assert result.metadata == {"kernelspec": release["metadata"]["kernelspec"], "language_info": {"name": "python"}}


def test_cell_ids_come_out_unique_and_valid(course, release):
    notebook = copy.deepcopy(release)
    _ids("same")(notebook)
    ids = [c.id for c in sanitize(course, notebook).cells]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested more than 100 levels deep"),  # refused before parsing
        ('{"cells": [ this is not JSON', "not valid JSON"),
        ("[1, 2, 3]", "not a notebook"),
        (" " * (2 * 2**20), "larger than 1 MiB"),
    ],
    ids=["deep nesting", "invalid JSON", "not an object", "too large"],
)
def test_unreadable_notebooks_are_refused_with_a_message(text, words):
    with pytest.raises(UnreadableNotebook, match=words):
        read_submitted_notebook(io.StringIO(text), max_chars=2**20)
