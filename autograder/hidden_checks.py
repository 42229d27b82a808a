"""The hidden-check protocol: hand a hidden test cell's calls to the kernel, judge what comes back here.

For each hidden test cell of a notebook, :class:`HiddenChecks`

1. recognises it (:func:`hidden_target`): a grade cell that is not a solution cell, whose grade id
   the assignment declares as one part of a graded function (:func:`autograder.functions.find`;
   the assignment is nbgrader's ``resources["nbgrader"]["assignment"]``), never a substring of its source: the
   gradebook restores test cells' metadata and source before execution, so a learner can neither
   hide a hidden cell nor make another cell one);
2. before the cell runs, plans its calls (:func:`autograder.runner.plan`) and writes them to the
   mailbox's read-only inbox, after emptying the folder where the outcomes belong;
3. after the cell ran, reads the outcomes the cell's ``record(...)`` wrote, with the grader's strict
   decoder (:func:`read_outcomes`: a regular file, bounded before parsing), judges them
   (:func:`autograder.runner.judge`) and writes the verdict as the cell's first output: a stdout
   stream when every check passed, a ``HiddenCheckFailed`` error otherwise. Only that verdict can pass
   the cell: a value the kernel displayed as the cell's result becomes a plain display.

Each verdict is also recorded as plain data, for class reports that must not parse prose, in the
cell's metadata under :data:`SUMMARY_KEY`::

    {"function": "normal_mle", "part": "edge", "judged": true, "passed": false, "checks": 7,
     "failed": ["n = 1", "sigma2_hat n must be at least 1"], "mistakes": ["n - 1 instead of n"]}

``judged`` is false for a hidden cell that was never run (the notebook's time was up, no kernel).
The grader removes the key from every cell before it runs any (:meth:`HiddenChecks.forget_claims`), so a
submission cannot forge one; the sanitiser keeps it only in that shape (:func:`autograder.outputs.summary_is_plain`).

The mailbox is anything with ``calls_file``, ``outcomes_file`` and ``clear_run()`` (a
:class:`~autograder.sandbox.Sandbox`); the protocol needs no kernel, so it is tested alone by writing
outcomes where a kernel would.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from mlelab.grading import encode
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader import utils

from autograder.cases import COURSE_WIDE, BadCall, Case, GradedFunction, Property, Seed
from autograder.functions import find
from autograder.hidden import report
from autograder.mistakes import likely_mistakes
from autograder.outputs import MAX_LABEL_CHARS, MAX_SUMMARY_LABELS, SUMMARY_KEY, error_output, shorten_text
from autograder.runner import CheckResult, MalformedOutcomes, Planned, argument_lists, judge, parse_outcomes, plan
from autograder.wire import MAX_BYTES, load_json

#: The most a kernel may write as outcomes of one cell (a simulation returns 20 000 numbers: 0.4 MB).
MAX_OUTCOMES_BYTES = MAX_BYTES
#: Longest verdict the grader writes into a cell, and longest error of the cell it quotes.
MAX_VERDICT_CHARS, MAX_QUOTED_CHARS = 32_000, 500


class Mailbox(Protocol):
    """Where the grader leaves a cell's calls and finds its outcomes (a sandbox's inbox and run folder)."""

    @property
    def calls_file(self) -> Path: ...

    @property
    def outcomes_file(self) -> Path: ...

    def clear_run(self) -> None: ...


@dataclass(frozen=True)
class Judgement:
    """The grader's verdict on one hidden test cell: passed, the learner's message, the plain summary."""

    passed: bool
    message: str
    summary: dict[str, Any]


def hidden_target(cell: NotebookNode, assignment: str | None) -> tuple[GradedFunction, str] | None:
    """The graded function and part a cell checks, if it is a hidden test cell of the assignment, else None."""
    if cell.get("cell_type") != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
        return None
    grade_id = cell.metadata["nbgrader"].get("grade_id")
    return find(assignment, grade_id) if isinstance(grade_id, str) else None


def read_outcomes(path: Path) -> Any:
    """The kernel's outcomes file as JSON, refusing links, non-files and oversized files; None if absent."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise MalformedOutcomes(f"the outcomes file could not be opened ({error.strerror})") from None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_OUTCOMES_BYTES:  # a folder opens too
        os.close(descriptor)
        raise MalformedOutcomes("the outcomes file is not a regular file of a sensible size")
    with os.fdopen(descriptor, "rb") as handle:
        content = handle.read(MAX_OUTCOMES_BYTES + 1)  # it may grow after fstat
        if len(content) > MAX_OUTCOMES_BYTES:
            raise MalformedOutcomes("the outcomes file is not a regular file of a sensible size")
        return load_json(content)  # the grader's own strict parser: size, depth and count bounded first


def clear_path(path: Path) -> None:
    """Remove whatever is at ``path`` (a file, link, FIFO, socket or folder), never following a link."""
    try:
        if stat.S_ISDIR(path.lstat().st_mode):
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except OSError:
        pass  # absent, or already gone; what is left there is refused when read


def label(item: Case | BadCall | Property) -> str:
    """A check's short name in a summary: a case's or property's label, or what a bad call gets wrong."""
    text = f"{item.parameter} {item.why}" if isinstance(item, BadCall) else item.label
    return text[:MAX_LABEL_CHARS]


def summary(
    spec: GradedFunction, part: str, planned: Sequence[Planned], results: Sequence[CheckResult] | None, judged: bool
) -> dict[str, Any]:
    """The plain-data summary of a verdict (see the module docstring); every check failed if ``results`` is None."""
    if results is None:
        failed, mistakes = [check.item for check in planned], []
    else:
        wrong = [(check, result) for check, result in zip(planned, results, strict=True) if not result.passed]
        failed, mistakes = [check.item for check, _ in wrong], likely_mistakes([result for _, result in wrong])
    return {
        "function": spec.name,
        "part": part,
        "judged": judged,
        "passed": results is not None and not failed,
        "checks": len(planned),
        "failed": [label(item) for item in failed][:MAX_SUMMARY_LABELS],
        "mistakes": [mistake.name for mistake in mistakes],
    }


def verdict(
    spec: GradedFunction, part: str, planned: Sequence[Planned], outcomes: Path, errors: Sequence[str]
) -> Judgement:
    """Judge the outcomes the kernel wrote at ``outcomes``; every failure is a failed verdict with a message.

    ``errors`` are the cell's errors ("Name: message"), quoted when nothing was recorded. The
    outcomes file is removed afterwards, whatever it was.
    """
    results = None
    try:
        raw = read_outcomes(outcomes)
        if raw is None:
            cause = f" The cell stopped with {shorten_text(errors[0], MAX_QUOTED_CHARS)}." if errors else ""
            if any(f"name '{spec.name}' is not defined" in error for error in errors):
                cause += f" Keep the name {spec.name} from the assignment: the grader calls it by that name."
            message = f"{spec.name}: no outputs were recorded on the hidden inputs, so no hidden check could pass."
            passed, message = False, message + cause
        else:
            results = judge(planned, spec, parse_outcomes(raw, len(argument_lists(planned))))
            passed, message = report(spec.name, part, results)
    except MalformedOutcomes as error:
        passed, message = False, f"{spec.name}: the recorded outputs could not be read ({error})"
    except Exception as error:  # the last resort: learner data the checks above did not foresee
        passed, message = False, f"{spec.name}: the recorded outputs could not be judged ({type(error).__name__})"
    finally:
        clear_path(outcomes)
    plain = summary(spec, part, planned, results, judged=True) | {"passed": passed}
    return Judgement(passed, shorten_text(message, MAX_VERDICT_CHARS), plain)


@dataclass(frozen=True)
class Pending:
    """A hidden test cell whose calls were handed to the kernel: what to judge once it has run."""

    spec: GradedFunction
    part: str
    planned: list[Planned]


class HiddenChecks:
    """The hidden-check protocol of one notebook: calls handed over before a cell, the verdict after it."""

    def __init__(self, mailbox: Mailbox, assignment: str | None, seed: Seed = COURSE_WIDE) -> None:
        self.mailbox = mailbox
        self.assignment = assignment
        self.seed = seed  # whose hidden cases: the course salt and, per student, the learner's id

    def forget_claims(self, nb: NotebookNode) -> None:
        """Drop every verdict summary a submission brought: only the grader's own may reach the gradebook."""
        for cell in nb.cells:
            cell.get("metadata", {}).pop(SUMMARY_KEY, None)

    def target(self, cell: NotebookNode) -> tuple[GradedFunction, str] | None:
        """The graded function and part of ``cell`` if it is one of this assignment's hidden test cells."""
        return hidden_target(cell, self.assignment)

    def before(self, cell: NotebookNode) -> Pending | None:
        """Hand a hidden test cell's calls to the kernel (the inbox), just before it runs; None: not hidden."""
        target = self.target(cell)
        if target is None:
            return None
        spec, part = target
        planned = plan(spec, part, self.seed)
        try:
            self.mailbox.clear_run()  # whatever the kernel left there, so a folder it filled costs no later check
        except OSError:
            pass  # a race with the kernel's own processes: what they leave is refused when read
        request = {
            "calls": [encode(list(arguments)) for arguments in argument_lists(planned)],
            "outcomes": str(self.mailbox.outcomes_file),
        }
        temporary = self.mailbox.calls_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(request))
        temporary.replace(self.mailbox.calls_file)
        return Pending(spec, part, planned)

    def after(self, cell: NotebookNode, pending: Pending) -> Judgement:
        """Judge what the cell recorded and write the verdict as its first output, and its summary."""
        self.mailbox.calls_file.unlink(missing_ok=True)
        errors = [f"{o.get('ename')}: {o.get('evalue')}" for o in cell.outputs if o.get("output_type") == "error"]
        judgement = verdict(pending.spec, pending.part, pending.planned, self.mailbox.outcomes_file, errors)
        # Only the grader's verdict may pass the cell: a number the kernel displayed as the cell's
        # result would otherwise count as partial credit in nbgrader, so it becomes a plain display.
        for output in cell.outputs:
            if output.output_type == "execute_result":
                output.output_type = "display_data"
                output.pop("execution_count", None)
        shown = (
            new_output("stream", name="stdout", text=judgement.message + "\n")
            if judgement.passed
            else error_output("HiddenCheckFailed", judgement.message)
        )
        cell.outputs.insert(0, shown)
        cell.metadata[SUMMARY_KEY] = judgement.summary
        return judgement

    def not_run(self, cell: NotebookNode) -> None:
        """Record that a hidden test cell was never run (no time or no kernel left): judged false, failed."""
        target = self.target(cell)
        if target is not None:
            spec, part = target
            cell.metadata[SUMMARY_KEY] = summary(spec, part, plan(spec, part, self.seed), None, judged=False)
