"""What a kernel's outputs become (autograder/outputs.py): well-formed nbformat whatever the kernel sent, and
within a budget per cell and per notebook, every output type counted.

The property test sends hypothesis's hostile messages of every type through ``HardenedExecute``'s message
handling (no kernel: the messages are fed to it as nbclient would), then runs the course's autograde
preprocessors, writes and reads the notebook, and renders feedback, as ``nbgrader autograde`` and
``generate_feedback`` would.
"""

import math
from dataclasses import dataclass

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbclient.exceptions import CellExecutionComplete
from nbformat import validate
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader.api import Gradebook
from nbgrader.preprocessors import LimitOutput
from nbgrader.server_extensions.formgrader import handlers
from nbgrader.utils import determine_grade
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader
from traitlets.utils.importstring import import_item

from autograder.execute import HardenedExecute, NotebookRun
from autograder.feedback import FeedbackExporter
from autograder.hidden_checks import HiddenChecks
from autograder.outputs import (
    MIB,
    OutputBudget,
    check_notebook,
    clean_output,
    json_size,
    kernel_output,
    shorten_error,
    shorten_text,
)
from tests.conftest import ROOT

KIB = 1024


def _stream(size):
    return new_output("stream", name="stdout", text="x" * size)


def _json_display(numbers):
    return new_output("display_data", data={"application/json": {"values": list(range(numbers))}})


def test_non_string_data_is_measured_as_json():
    output = _json_display(10_000)
    assert json_size(output) > 10_000 * 4
    assert not OutputBudget(cell_limit=10 * KIB, notebook_limit=10**9).admit(output)


def test_every_message_is_charged_so_replacements_cannot_flood():
    budget = OutputBudget(cell_limit=100 * KIB, notebook_limit=10**9)
    update = {"data": {"text/plain": "y" * KIB}, "metadata": {}, "transient": {"display_id": "a"}}
    admitted = [budget.admit(update) for _ in range(1000)]
    assert admitted.count(True) < 100 and not admitted[-1]


def test_metadata_counts_too():
    budget = OutputBudget(cell_limit=10 * KIB, notebook_limit=10**9)
    assert not budget.admit({"data": {}, "metadata": {"x": "m" * 20 * KIB}})


def test_a_cell_keeps_what_fits_and_says_it_dropped_the_rest():
    budget = OutputBudget(cell_limit=10 * KIB, notebook_limit=10**9)
    kept = budget.settle([_stream(4 * KIB), _stream(4 * KIB), _stream(4 * KIB)])
    assert len(kept) == 3 and "the grader dropped this cell's output" in kept[-1].text
    assert sum(json_size(o) for o in kept) < 10 * KIB + 200


def test_the_notebook_cap_holds_across_cells():
    budget = OutputBudget(cell_limit=10 * KIB, notebook_limit=25 * KIB)
    kept = [budget.settle([_stream(9 * KIB)]) for _ in range(5)]
    assert [len(outputs) for outputs in kept] == [1, 1, 1, 1, 1]
    assert "dropped" in kept[2][0].text and "dropped" in kept[4][0].text
    assert budget.notebook_used <= 25 * KIB + 3 * 200


def test_a_huge_error_is_shortened_and_kept_so_the_cell_still_fails():
    error = new_output("error", ename="E" * 10**6, evalue="v" * 20 * 2**20, traceback=["t" * 10**5] * 10**4)
    budget = OutputBudget(cell_limit=10 * KIB, notebook_limit=10 * KIB)
    kept = budget.settle([_stream(9 * KIB), error])
    assert json_size(kept) < 120 * KIB
    cell = new_code_cell("check()", outputs=kept)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 2, "locked": True}
    assert determine_grade(cell) == (0, 2)


def test_errors_with_non_text_fields_become_plain_text():
    error = shorten_error({"output_type": "error", "ename": 5, "evalue": {"a": 1}, "traceback": "not a list"})
    assert (error.ename, error.evalue, error.traceback) == ("5", "{'a': 1}", [])


def test_beyond_the_room_one_note_and_one_error_are_kept():
    budget = OutputBudget(cell_limit=KIB, notebook_limit=10**9)
    budget.admit({"text": "x" * 2 * KIB})
    first = budget.overflow("stream", {})
    errors = [budget.overflow("error", {"ename": "E", "evalue": "v" * 10**6, "traceback": []}) for _ in range(100)]
    assert len(first) == 1 and sum(map(len, errors)) == 1
    assert len(errors[0][0].evalue) < 3000


def test_grader_text_is_shortened_with_a_note():
    short = shorten_text("z" * 20 * 2**20, 500)
    assert len(short) < 600 and short.endswith("more characters cut by the grader]")
    assert shorten_text("fine", 500) == "fine"


def test_settled_outputs_are_valid_nbformat():
    budget = OutputBudget(cell_limit=10 * KIB, notebook_limit=10**9)
    kept = budget.settle([_stream(20 * KIB), new_output("error", ename="E", evalue="v", traceback=["t"])])
    validate(new_notebook(cells=[new_code_cell("x", outputs=kept)]))


# -- outputs made well formed -------------------------------------------------------------------------


def _message(msg_type, content):
    return {"msg_type": msg_type, "content": content, "header": {"msg_type": msg_type}, "parent_header": {}}


def test_a_stream_whose_text_is_a_list_becomes_one_string_that_nbgrader_can_cut():
    # the red team's reproducer: nbformat accepts a list of lines, nbgrader's LimitOutput calls text.split
    out = kernel_output(_message("stream", {"name": "stdout", "text": ["hello\n", "world\n"]}))
    assert (out.name, out.text) == ("stdout", "hello\nworld\n")
    cell = new_code_cell("x", outputs=[out])
    LimitOutput().preprocess_cell(cell, {}, 0)
    assert cell.outputs[0].text == "hello\nworld\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"name": "stdin", "text": "x"}, ("stdout", "x")),  # a stream that is neither stdout nor stderr
        ({"name": ["stderr"], "text": "x"}, ("stdout", "x")),
        ({"name": "stderr", "text": "a\ud800b"}, ("stderr", "a?b")),  # a lone surrogate no UTF-8 file holds
        ({"name": "stdout", "text": 5}, ("stdout", "[the grader dropped a malformed stream output of the kernel]\n")),
        ({"text": {"a": 1}}, ("stdout", "[the grader dropped a malformed stream output of the kernel]\n")),
        (
            {"name": "stdout", "text": ["a", None]},
            ("stdout", "[the grader dropped a malformed stream output of the kernel]\n"),
        ),
    ],
)
def test_stream_fields_become_a_known_name_and_one_string(content, expected):
    out = kernel_output(_message("stream", content))
    assert (out.output_type, out.name, out.text) == ("stream", *expected)


def test_display_data_keeps_only_well_formed_mimetypes():
    data = {
        "text/plain": ["a", "b"],
        "text/html": [["nested"]],
        "image/png": 7,
        "application/json": {"values": [1, 2.5, None]},
        "application/vnd.x+json": {"bad": math.nan},
        5: "a number as a mimetype",
    }
    out = kernel_output(_message("display_data", {"data": data, "metadata": "not a dict"}))
    assert out.data == {"text/plain": "ab", "application/json": {"values": [1, 2.5, None]}}
    assert out.metadata == {}


@pytest.mark.parametrize("data", [["text/plain", "x"], None, {"text/plain": 1}, "text"])
def test_data_with_nothing_readable_leaves_a_note(data):
    out = kernel_output(_message("display_data", {"data": data, "metadata": {}}))
    assert out.output_type == "stream" and "malformed display_data output" in out.text


@pytest.mark.parametrize("count", ["3", True, -1, 2**80, 1.5, None, [1]])
def test_an_execution_count_that_is_no_count_becomes_none(count):
    out = kernel_output(
        _message("execute_result", {"data": {"text/plain": "1"}, "metadata": {}, "execution_count": count})
    )
    assert out.execution_count is None and out.data == {"text/plain": "1"}


def test_error_fields_become_short_strings_and_the_error_is_kept():
    out = kernel_output(_message("error", {"ename": {"a": 1}, "evalue": None, "traceback": [1, "x\udfff"]}))
    assert (out.output_type, out.ename, out.evalue, out.traceback) == ("error", "{'a': 1}", "None", ["1", "x?"])
    assert kernel_output(_message("error", "not an object")).ename == "Error"


@pytest.mark.parametrize("msg_type", ["update_display_data", "clear_output", "status", "comm_msg", "x", 5, None])
def test_messages_that_are_not_outputs_give_none(msg_type):
    assert kernel_output(_message(msg_type, {"name": "stdout", "text": "x"})) is None


@pytest.mark.parametrize("output", [{"name": "stdout", "text": "x"}, {"output_type": "widget"}, ["stream"], None])
def test_an_output_of_no_known_type_becomes_a_note(output):
    assert "the grader dropped a malformed unknown output" in clean_output(output).text


def test_an_output_still_invalid_at_the_end_becomes_an_error():
    notebook = new_notebook(cells=[new_code_cell("x", outputs=[new_output("stream", name="stdout", text="fine")])])
    cell = notebook.cells[0]
    cell.outputs.append({"output_type": "stream", "name": "stdout", "text": 5})
    cell.outputs.append({"output_type": "display_data", "data": {"application/json": math.inf}, "metadata": {}})
    cell.execution_count = True
    check_notebook(notebook)
    assert [o.get("ename") for o in cell.outputs] == [None, "MalformedOutput", "MalformedOutput"]
    assert cell.execution_count is None
    validate(notebook)


# -- hostile messages of every type, through grading and feedback ------------------------------------

LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.just(10**400)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["\ud800", "a\udfffb", "stdout", "stderr", "text/plain", "a"])
)
JSON = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
TEXT = st.text(max_size=20) | st.lists(st.text(max_size=8), max_size=3)  # nbformat's multiline strings
MIMETYPES = st.sampled_from(
    ["text/plain", "text/html", "image/png", "application/json", "application/x+json", "\ud800"]
)
DISPLAY_ID = st.sampled_from(["a", "b"])
#: What a well-behaved kernel sends, by message type: each message then gets some fields of ``HOSTILE``.
WELL_FORMED = {
    "stream": st.fixed_dictionaries({"name": st.sampled_from(["stdout", "stderr"]), "text": TEXT}),
    "display_data": st.fixed_dictionaries(
        {"data": st.dictionaries(MIMETYPES, TEXT, max_size=2), "metadata": st.just({})},
        optional={"transient": st.fixed_dictionaries({"display_id": DISPLAY_ID})},
    ),
    "update_display_data": st.fixed_dictionaries(
        {
            "data": st.dictionaries(MIMETYPES, TEXT, max_size=2),
            "metadata": st.just({}),
            "transient": st.fixed_dictionaries({"display_id": DISPLAY_ID}),
        }
    ),
    "execute_result": st.fixed_dictionaries(
        {
            "data": st.fixed_dictionaries({"text/plain": TEXT}),
            "metadata": st.just({}),
            "execution_count": st.integers(0, 99),
        }
    ),
    "error": st.fixed_dictionaries(
        {
            "ename": st.text(max_size=12),
            "evalue": st.text(max_size=12),
            "traceback": st.lists(st.text(max_size=12), max_size=3),
        }
    ),
    "clear_output": st.fixed_dictionaries({"wait": st.booleans()}),
    "status": st.fixed_dictionaries({"execution_state": st.just("busy")}),
    "execute_input": st.fixed_dictionaries({"code": st.just("x"), "execution_count": st.integers(0, 99)}),
    "comm_msg": st.fixed_dictionaries({"comm_id": st.just("c"), "data": st.just({})}),
    "shutdown_reply": st.just({}),
    "anything": st.just({}),
}
#: Fields of any JSON for any message type (data may also have keys that are not strings).
HOSTILE = st.fixed_dictionaries(
    {},
    optional={
        **dict.fromkeys(
            ["name", "text", "metadata", "execution_count", "ename", "evalue", "traceback", "output_type", "wait"], JSON
        ),
        "data": st.dictionaries(MIMETYPES | st.integers(), JSON, max_size=3) | JSON,
        "transient": st.fixed_dictionaries({"display_id": JSON}) | JSON,
        "execution_state": st.just("idle") | JSON,
    },
)
MESSAGES = st.sampled_from(sorted(WELL_FORMED)).flatmap(
    lambda msg_type: st.builds(
        lambda base, hostile: _message(msg_type, {**base, **hostile}), WELL_FORMED[msg_type], HOSTILE
    )
)
#: One message list per code cell of the notebook below: a solution cell, a test cell, a plain cell.
CELL_MESSAGES = st.lists(st.lists(MESSAGES, max_size=6), min_size=3, max_size=3)
ASSIGNMENT, NOTEBOOK, STUDENT = "ps1", "hostile", "learner"


def _notebook():
    def nbgrader(cell, grade_id, grade, solution):
        points = {"points": 2} if grade else {}
        metadata = {"grade": grade, "solution": solution, "grade_id": grade_id, "locked": not solution}
        cell.metadata.nbgrader = {**metadata, **points, "schema_version": 3}
        return cell

    return new_notebook(
        cells=[
            new_markdown_cell("# Hostile outputs"),
            nbgrader(new_code_cell("def answer(): ..."), "answer", grade=False, solution=True),
            nbgrader(new_code_cell("assert answer() is None"), "check", grade=True, solution=False),
            new_code_cell("answer()"),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )


@dataclass(repr=False)
class Course:
    config: Config
    db_url: str


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The course's config, and a gradebook that knows the notebook above and its learner."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('hostile-outputs') / 'gradebook.db'}"
    with Gradebook(db_url) as gradebook:
        gradebook.add_assignment(ASSIGNMENT)
        gradebook.add_notebook(NOTEBOOK, ASSIGNMENT)
        gradebook.add_solution_cell("answer", NOTEBOOK, ASSIGNMENT)
        gradebook.add_grade_cell("check", NOTEBOOK, ASSIGNMENT, max_score=2, cell_type="code")
        gradebook.add_student(STUDENT)
        gradebook.add_submission(ASSIGNMENT, STUDENT)
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    config.FeedbackExporter.template_name = "feedback"
    config.FeedbackExporter.extra_template_basedirs = [handlers.template_path]
    config.FeedbackExporter.extra_template_paths = [f"{handlers.static_path}/node_modules/bootstrap/dist/css"]
    return Course(config, db_url)


def _execute(notebook, messages):
    """The notebook "run" by HardenedExecute on ``messages`` (one list per code cell) instead of a kernel."""
    executor = HardenedExecute(config=Config())
    executor.nb = notebook
    executor.reset_execution_trackers()
    # no sandbox and no hidden test cell: the execution side alone
    executor.notebook_run = NotebookRun(None, HiddenChecks(None, None), math.inf, OutputBudget(4 * MIB, 32 * MIB))
    executor._restart = lambda resources: None  # a cell that failed would restart the kernel: there is none
    code = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"]

    def execute_cell(cell, index, **kwargs):  # nbclient's loop over the cell's iopub messages
        cell.outputs, cell.metadata.execution, executor.clear_before_next_output = [], {}, False
        for msg in messages[code.index(index)]:
            try:
                executor.process_message(msg, cell, index)
            except CellExecutionComplete:
                break
        return cell

    executor.execute_cell = execute_cell
    for index, cell in enumerate(notebook.cells):
        executor.preprocess_cell(cell, {}, index)
    check_notebook(notebook)  # as HardenedExecute.preprocess ends


@settings(max_examples=60)
@given(messages=CELL_MESSAGES)
def test_no_message_a_kernel_sends_stops_grading_or_feedback(course, messages):
    config, db_url = course.config, course.db_url
    notebook = _notebook()
    _execute(notebook, messages)
    validate(notebook)
    nbgrader = {"db_url": db_url, "assignment": ASSIGNMENT, "notebook": NOTEBOOK, "student": STUDENT}
    resources = {"nbgrader": nbgrader, "config_dir": str(ROOT)}
    for name in config.Autograde.autograde_preprocessors[1:]:  # after HardenedExecute, the course's steps
        notebook, resources = import_item(name)(config=config).preprocess(notebook, resources)
    notebook = nbformat.reads(nbformat.writes(notebook).encode("utf-8"), as_version=4)  # autograded/, on disk
    validate(notebook)
    for name in config.GenerateFeedback.preprocessors:
        notebook, resources = import_item(name)(config=config).preprocess(notebook, resources)
    html, _ = FeedbackExporter(config=config).from_notebook_node(notebook, resources=resources)
    assert "Hostile outputs" in html
