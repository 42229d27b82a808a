"""nbgrader's Execute step made safe for untrusted notebooks: ``HardenedExecute``.

Registered in ``nbgrader_config.py`` in place of ``nbgrader.preprocessors.Execute``,
so stock ``nbgrader autograde`` and ``course grade`` both use it. For each
notebook it

- starts the kernel in a fresh :class:`~autograder.sandbox.Sandbox` (no course
  files, no network, memory and process limits, nothing left running after);
- limits each cell's time and the whole notebook's time;
- grades each hidden test cell itself: before the cell runs it writes the
  hidden inputs to the sandbox's inbox, the cell's ``record(...)`` writes the
  learner's outputs, and the verdict is computed here, outside the kernel,
  by :mod:`autograder.runner`; the verdict becomes the cell's first output,
  and only it (not anything the kernel printed or displayed) can pass the cell;
- survives a kernel that dies or ignores interrupts: it restarts the kernel,
  replays the cells that had run, and goes on with the next cell.
"""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path
from typing import Any

from jupyter_core.utils import run_sync
from mlelab.grading import encode
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.preprocessors import Execute
from traitlets import Bool, Enum, Integer

from autograder.cases import GradedFunction
from autograder.functions import GRADED
from autograder.hidden import report
from autograder.runner import MalformedOutcomes, Planned, argument_lists, judge, parse_outcomes, plan
from autograder.sandbox import GIB, MIB, Limits, Sandbox, SandboxedKernelManager, protections

#: The most a kernel may write as outcomes of one cell (a simulation returns 20 000 numbers).
MAX_OUTCOMES_BYTES = 64 * MIB


def error_output(name: str, message: str) -> NotebookNode:
    """An error output that nbgrader scores as a failure, with the message as its only traceback line."""
    return new_output("error", ename=name, evalue=message, traceback=[f"\x1b[0;31m{name}\x1b[0m: {message}"])


def hidden_target(cell: NotebookNode) -> tuple[GradedFunction, str] | None:
    """The graded function and part a test cell checks, from its grade id (``normal_mle_edge``)."""
    if cell.cell_type != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
        return None
    if "record(" not in cell.source:
        return None
    grade_id = cell.metadata["nbgrader"].get("grade_id", "")
    name, part = (grade_id[: -len("_edge")], "edge") if grade_id.endswith("_edge") else (grade_id, "typical")
    return (GRADED[name], part) if name in GRADED else None


def read_outcomes(path: Path) -> Any:
    """The kernel's outcomes file as JSON, refusing links, non-files and oversized files; None if absent."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise MalformedOutcomes(f"the outcomes file could not be opened ({error.strerror})") from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_OUTCOMES_BYTES:
            raise MalformedOutcomes("the outcomes file is not a regular file of a sensible size")
        try:
            return json.loads(handle.read())
        except (ValueError, RecursionError):
            raise MalformedOutcomes("the outcomes file is not valid JSON") from None


class HardenedExecute(Execute):
    """Execute a submitted notebook in a sandbox and judge its hidden test cells outside the kernel."""

    notebook_timeout = Integer(
        900, help="Seconds one notebook may run in all; cells after that are not run and score 0."
    ).tag(config=True)
    require_sandbox = Bool(
        True, help="Refuse to grade when bubblewrap is unavailable (False: grade unprotected, with warnings)."
    ).tag(config=True)
    memory_limit_mib = Integer(3 * GIB // MIB, help="Address-space limit of the kernel, in MiB.").tag(config=True)
    max_processes = Integer(256, help="Processes and threads the kernel may run at once.").tag(config=True)
    render_figures = Bool(
        False,
        help="Draw matplotlib figures into the graded notebook and feedback (slower); "
        "by default figures are built but not drawn, as nothing is graded on them.",
    ).tag(config=True)
    max_output_mib = Integer(
        4, help="Output one cell may keep, in MiB; the rest is dropped with a note, so a print loop cannot fill memory."
    ).tag(config=True)
    interrupt_grace = Integer(5, help="Seconds a kernel gets to answer after an interrupt.").tag(config=True)
    shutdown_kernel = Enum(
        ["graceful", "immediate"],
        default_value="immediate",
        help="Once the last cell has run, the kernel is killed at once: no learner code (atexit hooks) "
        "runs after grading, and the grader does not wait the 0.3 s a graceful exit takes.",
    ).tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)

    # -- one notebook ---------------------------------------------------------------------------

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> tuple[NotebookNode, Any]:
        limits = Limits(memory_bytes=self.memory_limit_mib * MIB, processes=self.max_processes)
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        self._sandbox = Sandbox(limits, files=folder, require=self.require_sandbox, figures=self.render_figures)
        if self._sandbox.bwrap is None:
            missing = ", ".join(p.name for p in protections() if not p.available)
            self.log.warning("GRADING WITHOUT THE SANDBOX: learner code is not kept from %s", missing)
        self._deadline = time.monotonic() + self.notebook_timeout
        self._replayable: list[int] = []
        self._output_used, self._output_cut = 0, False
        self.timeout_func = self._cell_timeout
        try:
            return super().preprocess(nb, resources, km)
        finally:
            self._sandbox.close()

    def create_kernel_manager(self) -> Any:
        km = super().create_kernel_manager()
        km.use_sandbox(self._sandbox)
        return km

    def _cell_timeout(self, cell: NotebookNode) -> int:
        left = int(self._deadline - time.monotonic())
        return max(1, min(self.timeout or left, left))

    # -- one cell -------------------------------------------------------------------------------

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> tuple[NotebookNode, Any]:
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, resources
        if time.monotonic() >= self._deadline:
            cell.outputs = [
                error_output(
                    "NotebookTimeout",
                    f"not run: the notebook used up its {self.notebook_timeout} seconds of grading time",
                )
            ]
            return cell, resources
        self._output_used, self._output_cut = 0, False
        target = hidden_target(cell)
        planned = self._send_hidden_inputs(*target) if target else None
        healthy = True
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
            healthy = not self._timed_out(cell) or self._responsive()
        except DeadKernelError:
            cell.outputs.append(
                error_output(
                    "KernelDied",
                    "the kernel died while running this cell (it exited, crashed or ran out of memory); "
                    "grading goes on from a restarted kernel",
                )
            )
            healthy = False
        except CellTimeoutError:
            cell.outputs.append(
                error_output("CellTimeoutError", f"the cell ran longer than {self._cell_timeout(cell)} seconds")
            )
            healthy = False
        if target is not None and planned is not None:
            self._judge(cell, target[0], target[1], planned)
        elif healthy and not utils.is_grade(cell):
            self._replayable.append(index)
        if not healthy and time.monotonic() < self._deadline:
            self._restart(resources)
        return cell, resources

    def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> NotebookNode | None:
        """nbclient's output handler, stopping a cell's output at ``max_output_mib``."""
        content = msg.get("content", {})
        data = content.get("data", {}) if isinstance(content.get("data"), dict) else {}
        self._output_used += len(content.get("text", "")) + sum(len(v) for v in data.values() if isinstance(v, str))
        if self._output_used <= self.max_output_mib * MIB:
            return super().output(outs, msg, display_id, cell_index)
        if not self._output_cut:
            self._output_cut = True
            note = f"\n[the grader dropped this cell's output beyond {self.max_output_mib} MiB]\n"
            outs.append(new_output("stream", name="stdout", text=note))
        return None

    @staticmethod
    def _timed_out(cell: NotebookNode) -> bool:
        return any(o.output_type == "error" and o.get("ename") == "CellTimeoutError" for o in cell.outputs)

    def _responsive(self) -> bool:
        """After an interrupt: does the kernel answer within the grace period?"""
        msg_id = self.kc.kernel_info()
        deadline = time.monotonic() + self.interrupt_grace
        while time.monotonic() < deadline:
            try:
                reply = run_sync(self.kc.get_shell_msg)(timeout=max(0.1, deadline - time.monotonic()))
            except Exception:
                return False
            if reply["parent_header"].get("msg_id") == msg_id:
                return True
        return False

    def _restart(self, resources: Any) -> None:
        """A new kernel in the same sandbox, with the cells that had run replayed (outputs discarded)."""
        self.log.warning("Restarting the kernel and replaying %d cells", len(self._replayable))
        self.kc.stop_channels()
        run_sync(self.km.restart_kernel)(now=True)
        run_sync(self.async_start_new_kernel_client)()
        for index in list(self._replayable):
            if time.monotonic() >= self._deadline:
                return
            original = self.nb.cells[index]
            replay = NotebookNode(dict(original, outputs=[]))
            try:
                super().preprocess_cell(replay, resources, index)
            except (DeadKernelError, CellTimeoutError):
                self._replayable.remove(index)
                self.kc.stop_channels()
                run_sync(self.km.restart_kernel)(now=True)
                run_sync(self.async_start_new_kernel_client)()
            finally:
                self.nb.cells[index] = original

    # -- hidden checks ----------------------------------------------------------------------------

    def _send_hidden_inputs(self, spec: GradedFunction, part: str) -> list[Planned]:
        """Write this cell's hidden inputs to the sandbox's read-only inbox, just before it runs."""
        planned = plan(spec, part)
        self._sandbox.outcomes_file.unlink(missing_ok=True)
        request = {
            "calls": [encode(list(arguments)) for arguments in argument_lists(planned)],
            "outcomes": str(self._sandbox.outcomes_file),
        }
        temporary = self._sandbox.calls_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(request))
        temporary.replace(self._sandbox.calls_file)
        return planned

    def _judge(self, cell: NotebookNode, spec: GradedFunction, part: str, planned: list[Planned]) -> None:
        """Compare the recorded outputs with the reference here, and make the verdict the cell's score."""
        self._sandbox.calls_file.unlink(missing_ok=True)
        try:
            raw = read_outcomes(self._sandbox.outcomes_file)
            if raw is None:
                errors = [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]
                cause = f" The cell stopped with {errors[0]}." if errors else ""
                if any(f"name '{spec.name}' is not defined" in error for error in errors):
                    cause += f" Keep the name {spec.name} from the assignment: the grader calls it by that name."
                passed, message = (
                    False,
                    f"{spec.name}: no outputs were recorded on the hidden inputs, "
                    f"so no hidden check could pass.{cause}",
                )
            else:
                outcomes = parse_outcomes(raw, len(argument_lists(planned)))
                passed, message = report(spec.name, part, judge(planned, spec, outcomes))
        except MalformedOutcomes as error:
            passed, message = False, f"{spec.name}: the recorded outputs could not be read ({error})"
        finally:
            self._sandbox.outcomes_file.unlink(missing_ok=True)
        # Only the grader's verdict may pass the cell: a number the kernel displayed as the cell's
        # result would otherwise count as partial credit in nbgrader, so it becomes a plain display.
        for output in cell.outputs:
            if output.output_type == "execute_result":
                output.output_type = "display_data"
                output.pop("execution_count", None)
        verdict = (
            new_output("stream", name="stdout", text=message + "\n")
            if passed
            else error_output("HiddenCheckFailed", message)
        )
        cell.outputs.insert(0, verdict)
