"""nbgrader preprocessors of the course, registered in ``nbgrader_config.py``."""

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor


class StderrToStdout(NbGraderPreprocessor):
    """Move stderr output of autograded test cells to stdout, so a warning is not a failure.

    Stock nbgrader scores a test cell 0 when it printed anything to stderr,
    such as a ``RuntimeWarning`` from NumPy. Errors (failed assertions,
    exceptions) are ``error`` outputs, not stderr, and still score 0.
    """

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type == "code" and utils.is_grade(cell):
            for output in cell.outputs:
                if output.output_type == "stream" and output.name == "stderr":
                    output.name = "stdout"
        return cell, resources


class ShortTracebacks(NbGraderPreprocessor):
    """In feedback, show a failed test cell's message, not the traceback through grader code.

    The message of a hidden check already names the input, the expected and
    received values and the likely mistake; the traceback would only show
    lines of the hidden tests. Used with nbgrader's ``ClearHiddenTests`` in
    ``GenerateFeedback.preprocessors``.
    """

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type == "code" and utils.is_grade(cell):
            for output in cell.outputs:
                if output.output_type == "error":
                    output.traceback = [f"\x1b[0;31m{output.ename}\x1b[0m: {output.evalue}"]
        return cell, resources
