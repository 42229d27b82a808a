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
  by :mod:`autograder.verdicts`; the verdict becomes the cell's first output,
  and only it (not anything the kernel printed or displayed) can pass the cell;
- survives a kernel that dies or ignores interrupts: it restarts the kernel,
  replays the cells that had run, and goes on with the next cell;
- keeps every cell's outputs, and the notebook's, within a budget
  (:mod:`autograder.outputs`), the grader's own verdicts included;
- rebuilds every output the kernel sends as well-formed nbformat
  (:func:`~autograder.outputs.kernel_output`: a message's content can be
  any JSON), and checks the finished notebook once more, so that no later
  step (nbgrader's, the sanitiser, feedback) meets an output it cannot read.

Whatever the kernel does (its messages, its outcomes file, anything it puts
where the outcomes belong) costs at most the function concerned: any
failure to run or judge a cell becomes a failed check with a message.
"""

from __future__ import annotations

import json
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
from traitlets import Bool, Enum, Float, Integer

from autograder.cases import GradedFunction
from autograder.outputs import OutputBudget, check_notebook, execution_count, kernel_output
from autograder.runner import Planned, argument_lists, plan
from autograder.sandbox import GIB, MIB, Limits, Sandbox, SandboxedKernelManager, protections
from autograder.verdicts import MAX_OUTCOMES_BYTES, clear_path, hidden_target, read_outcomes, verdict

__all__ = ["MAX_OUTCOMES_BYTES", "HardenedExecute", "clear_path", "error_output", "hidden_target", "read_outcomes"]


def error_output(name: str, message: str) -> NotebookNode:
    """An error output that nbgrader scores as a failure, with the message as its only traceback line."""
    return new_output("error", ename=name, evalue=message, traceback=[f"\x1b[0;31m{name}\x1b[0m: {message}"])


class HardenedExecute(Execute):
    """Execute a submitted notebook in a sandbox and judge its hidden test cells outside the kernel."""

    notebook_timeout = Integer(
        600, help="Seconds one notebook may run in all; cells after that are not run and score 0."
    ).tag(config=True)
    require_sandbox = Bool(
        True, help="Refuse to grade when bubblewrap is unavailable (False: grade unprotected, with warnings)."
    ).tag(config=True)
    memory_limit_mib = Integer(3 * GIB // MIB, help="Address-space limit of the kernel, in MiB.").tag(config=True)
    max_processes = Integer(256, help="Processes and threads the kernel may run at once.").tag(config=True)
    disk_limit_mib = Integer(
        512, help="All the kernel may write, in MiB: its home, working folder, /tmp, /dev/shm and outcomes (in memory)."
    ).tag(config=True)
    cpu_limit_cores = Float(1.0, help="CPU cores the kernel's processes may use at once, together.").tag(config=True)
    render_figures = Bool(
        False,
        help="Draw matplotlib figures into the graded notebook and feedback (slower); "
        "by default figures are built but not drawn, as nothing is graded on them.",
    ).tag(config=True)
    max_output_mib = Integer(
        4,
        help="Output one cell may keep, in MiB of JSON (every output type, data and metadata, errors "
        "shortened); the rest is dropped with a note, so a print loop cannot fill memory.",
    ).tag(config=True)
    max_notebook_output_mib = Integer(
        32, help="Output the whole notebook may keep, in MiB of JSON; later cells' output is dropped with a note."
    ).tag(config=True)
    store_widget_state = Bool(
        False, help="Widget state is never kept (nothing is graded on it): comm messages are ignored."
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
        limits = Limits(
            memory_bytes=self.memory_limit_mib * MIB,
            processes=self.max_processes,
            disk_bytes=self.disk_limit_mib * MIB,
            cpu_cores=self.cpu_limit_cores,
        )
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        self._sandbox = Sandbox(limits, files=folder, require=self.require_sandbox, figures=self.render_figures)
        if self._sandbox.bwrap is None:
            missing = ", ".join(p.name for p in protections() if not p.available)
            self.log.warning("GRADING WITHOUT THE SANDBOX: learner code is not kept from %s", missing)
        self._deadline = time.monotonic() + self.notebook_timeout
        self._replayable: list[int] = []
        self._budget = OutputBudget(self.max_output_mib * MIB, self.max_notebook_output_mib * MIB)
        self._running: int | None = None  # the index of the cell whose outputs are being kept
        self._kernel_lost = False
        self.timeout_func = self._cell_timeout
        try:
            nb, resources = super().preprocess(nb, resources, km)
        finally:
            self._sandbox.close()
        check_notebook(nb)
        return nb, resources

    def create_kernel_manager(self) -> Any:
        km = super().create_kernel_manager()
        km.use_sandbox(self._sandbox)
        return km

    def handle_comm_msg(self, outs: list, msg: dict, cell_index: int) -> None:
        """Comm messages change nothing: no widget state is kept and no Output widget is mimicked, so what
        a widget captures stays ordinary, budgeted cell output (and a malformed comm message costs nothing)."""
        return None

    def _cell_timeout(self, cell: NotebookNode) -> int:
        left = int(self._deadline - time.monotonic())
        return max(1, min(self.timeout or left, left))

    # -- one cell -------------------------------------------------------------------------------

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> tuple[NotebookNode, Any]:
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, resources
        if time.monotonic() >= self._deadline:
            spent = f"not run: the notebook used up its {self.notebook_timeout} seconds of grading time"
            cell.outputs = [error_output("NotebookTimeout", spent)]
            return cell, resources
        if self._kernel_lost:
            cell.outputs = [error_output("KernelLost", "not run: no kernel could be started after the last one failed")]
            return cell, resources
        self._budget.start_cell()
        self._running = index
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
        except Exception as error:  # a kernel message the grader cannot read, or any other fault of this cell
            self.log.warning("Cell %d could not be run: %r", index, error)
            cell.outputs.append(
                error_output(
                    "GradingError",
                    f"the grader could not run this cell ({type(error).__name__}); "
                    "grading goes on from a restarted kernel",
                )
            )
            healthy = False
        self._running = None
        cell.outputs = self._budget.settle(cell.outputs)
        cell.execution_count = execution_count(cell.get("execution_count"))
        if target is not None and planned is not None:
            self._judge(cell, target[0], target[1], planned)
        elif healthy and not utils.is_grade(cell):
            self._replayable.append(index)
        if not healthy and time.monotonic() < self._deadline:
            self._restart(resources)
        return cell, resources

    def process_message(self, msg: dict, cell: NotebookNode, cell_index: int) -> NotebookNode | None:
        """nbclient's handler of one kernel message, given only the envelope fields it can read.

        The kernel's session can send any JSON: a ``transient`` display id that is not a string and an
        execution count that is not a valid count are dropped, a status without a state is ignored. A
        message whose type is not a string or whose content is not an object is one the grader cannot
        read, like one it cannot parse: the cell fails (``GradingError``) and the kernel is restarted.
        """
        msg_type, content = msg.get("msg_type"), msg.get("content")
        if not isinstance(msg_type, str) or not isinstance(content, dict):
            raise ValueError("a kernel message whose type is not a string or whose content is not an object")
        content = dict(content)
        transient = content.pop("transient", None)
        display_id = transient.get("display_id") if isinstance(transient, dict) else None
        if isinstance(display_id, str) and display_id:
            content["transient"] = {"display_id": display_id}
        if "execution_count" in content and execution_count(content["execution_count"]) is None:
            del content["execution_count"]
        if msg_type == "status" and not isinstance(content.get("execution_state"), str):
            return None
        return super().process_message({**msg, "content": content}, cell, cell_index)

    def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> NotebookNode | None:
        """nbclient's output handler: each output rebuilt by :func:`~autograder.outputs.kernel_output`,
        within the output budget; a replayed cell's outputs are not kept (no Output widget is mimicked)."""
        if self._running is None:
            return None
        if not self._budget.admit(msg.get("content")):
            outs.extend(self._budget.overflow(msg.get("msg_type"), msg.get("content")))
            return None
        try:
            out = kernel_output(msg)
        except Exception:  # a last resort: the cell fails rather than lose an error
            out = error_output("MalformedOutput", "the kernel sent an output the grader could not read")
        if out is None:
            return None
        if self.clear_before_next_output:
            outs[:] = []
            self.clear_display_id_mapping(cell_index)
            self.clear_before_next_output = False
        if display_id and "data" in out:
            self._display_id_map.setdefault(display_id, {}).setdefault(cell_index, []).append(len(outs))
        outs.append(out)
        return out

    def _update_display_id(self, display_id: str, msg: dict) -> None:
        """Display updates change the running cell's displays only, each charged to its budget and rebuilt
        by :func:`~autograder.outputs.kernel_output` (an update that is not a readable display changes nothing)."""
        if self._running is None or not self._budget.admit(msg.get("content")):
            return
        update = kernel_output({"msg_type": "display_data", "content": msg.get("content")})
        if update is None or "data" not in update:
            return
        outputs = self.nb.cells[self._running].outputs
        for index in self._display_id_map.get(display_id, {}).get(self._running, []):
            if index < len(outputs) and "data" in outputs[index]:
                outputs[index]["data"], outputs[index]["metadata"] = update.data, update.metadata

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
        """A new kernel in the same sandbox, with the cells that had run replayed (outputs discarded).

        A replayed cell that fails the kernel again is dropped from the replay; if no kernel can be
        started at all, the remaining cells are not run and say so.
        """
        self.log.warning("Restarting the kernel and replaying %d cells", len(self._replayable))
        try:
            self._new_kernel()
            for index in list(self._replayable):
                if time.monotonic() >= self._deadline:
                    return
                original = self.nb.cells[index]
                replay = NotebookNode(dict(original, outputs=[]))
                try:
                    super().preprocess_cell(replay, resources, index)
                except Exception:
                    self._replayable.remove(index)
                    self._new_kernel()
                finally:
                    self.nb.cells[index] = original
        except Exception as error:
            self.log.warning("The kernel could not be restarted: %r", error)
            self._kernel_lost = True

    def _new_kernel(self) -> None:
        self.kc.stop_channels()
        run_sync(self.km.restart_kernel)(now=True)
        run_sync(self.async_start_new_kernel_client)()

    # -- hidden checks ----------------------------------------------------------------------------

    def _send_hidden_inputs(self, spec: GradedFunction, part: str) -> list[Planned]:
        """Write this cell's hidden inputs to the sandbox's read-only inbox, just before it runs."""
        planned = plan(spec, part)
        try:
            self._sandbox.clear_run()  # whatever the kernel left there, so a folder it filled costs no later check
        except OSError:
            pass  # a race with the kernel's own processes: what they leave is refused when read
        request = {
            "calls": [encode(list(arguments)) for arguments in argument_lists(planned)],
            "outcomes": str(self._sandbox.outcomes_file),
        }
        temporary = self._sandbox.calls_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(request))
        temporary.replace(self._sandbox.calls_file)
        return planned

    def _judge(self, cell: NotebookNode, spec: GradedFunction, part: str, planned: list[Planned]) -> None:
        """Judge the recorded outputs here (:func:`~autograder.verdicts.verdict`); the verdict scores the cell."""
        self._sandbox.calls_file.unlink(missing_ok=True)
        errors = [f"{o.get('ename')}: {o.get('evalue')}" for o in cell.outputs if o.get("output_type") == "error"]
        passed, message = verdict(spec, part, planned, self._sandbox.outcomes_file, errors)
        # Only the grader's verdict may pass the cell: a number the kernel displayed as the cell's
        # result would otherwise count as partial credit in nbgrader, so it becomes a plain display.
        for output in cell.outputs:
            if output.output_type == "execute_result":
                output.output_type = "display_data"
                output.pop("execution_count", None)
        passed_output = new_output("stream", name="stdout", text=message + "\n")
        cell.outputs.insert(0, passed_output if passed else error_output("HiddenCheckFailed", message))
