"""nbgrader's Execute step made safe for untrusted notebooks: ``HardenedExecute``.

Registered in ``nbgrader_config.py`` in place of ``nbgrader.preprocessors.Execute``,
so stock ``nbgrader autograde`` and ``course grade`` both use it. This module is
sandboxed execution; the hidden-check protocol (what a hidden test cell is, the
calls handed to the kernel, the verdict) is :mod:`autograder.hidden_checks`,
which it calls before and after each cell. For each notebook it

- starts the kernel in a fresh :class:`~autograder.sandbox.Sandbox` (no course
  files, no network, memory and process limits, nothing left running after);
- limits each cell's time and the whole notebook's time;
- survives a kernel that dies or ignores interrupts: it restarts the kernel,
  replays the cells that had run, and goes on with the next cell;
- keeps every cell's outputs, and the notebook's, within a budget
  (:mod:`autograder.outputs`), the grader's own verdicts included;
- rebuilds every output the kernel sends as well-formed nbformat
  (:func:`~autograder.outputs.kernel_output`: a message's content can be
  any JSON), and checks the finished notebook once more, so that no later
  step (nbgrader's, the sanitiser, feedback) meets an output it cannot read.

Its settings (limits, times, output caps) are declared once, with their
defaults and help, in :class:`autograder.settings.NotebookLimits`, and set as
``c.HardenedExecute.<name>``. Whatever the kernel does costs at most the cell
concerned: any failure to run a cell becomes an error output with a message.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import Execute
from traitlets import Bool, Enum
from traitlets.config import Config

from autograder.cases import COURSE_WIDE, Seed
from autograder.hidden_checks import HiddenChecks
from autograder.outputs import OutputBudget, check_notebook, error_output, execution_count, joins, kernel_output
from autograder.sandbox import Limits, Sandbox, SandboxedKernelManager, protections
from autograder.settings import MIB, HiddenData, NotebookLimits
from autograder.work_digest import work_digest

__all__ = ["HardenedExecute", "NotebookRun", "sandbox_required"]


def sandbox_required(config: Config) -> bool:
    """Whether the loaded configuration refuses to grade without the sandbox (``require_sandbox``)."""
    return HardenedExecute(config=config).require_sandbox


@dataclass
class NotebookRun:
    """The state of one notebook's execution: its sandbox, hidden checks, deadline and output budget."""

    sandbox: Sandbox
    checks: HiddenChecks
    deadline: float  # time.monotonic() at which the notebook's time is up
    budget: OutputBudget
    replayable: list[int] = field(default_factory=list)  # cells that ran well: replayed in a restarted kernel
    running: int | None = None  # the index of the cell whose outputs are being kept
    kernel_lost: bool = False  # no kernel could be started: the remaining cells are not run

    @classmethod
    def start(
        cls, settings: NotebookLimits, folder: Path, assignment: str | None, seed: Seed = COURSE_WIDE
    ) -> NotebookRun:
        """A fresh sandbox for the notebook in ``folder`` (its data files copied in), its clock started.

        ``seed`` says whose hidden cases its hidden test cells check (:class:`~autograder.settings.HiddenData`).
        """
        limits = Limits.from_settings(settings)
        sandbox = Sandbox(limits, files=folder, require=settings.require_sandbox, figures=settings.render_figures)
        return cls(
            sandbox=sandbox,
            checks=HiddenChecks(sandbox, assignment, seed),
            deadline=time.monotonic() + settings.notebook_timeout,
            budget=OutputBudget(settings.max_output_mib * MIB, settings.max_notebook_output_mib * MIB),
        )


class HardenedExecute(NotebookLimits, Execute):
    """Execute a submitted notebook in a sandbox; its hidden test cells are judged outside the kernel."""

    store_widget_state = Bool(
        False, help="Widget state is never kept (nothing is graded on it): comm messages are ignored."
    ).tag(config=True)
    shutdown_kernel = Enum(
        ["graceful", "immediate"],
        default_value="immediate",
        help="Once the last cell has run, the kernel is killed at once: no learner code (atexit hooks) "
        "runs after grading, and the grader does not wait the 0.3 s a graceful exit takes.",
    ).tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)
        self.notebook_run: NotebookRun | None = None  # made for each notebook by preprocess

    # -- one notebook ---------------------------------------------------------------------------

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> tuple[NotebookNode, Any]:
        resources = resources if resources is not None else {}
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        assignment = resources.get("nbgrader", {}).get("assignment")  # set by nbgrader's converters
        student = resources.get("nbgrader", {}).get("student")  # the submission's folder name, as nbgrader found it
        self.notebook_run = run = NotebookRun.start(self, folder, assignment)
        # Whose cases: the student, and what they wrote as the kernel will see it (the sandbox's copy of the data
        # files): grading the same bytes again draws the same cases, any change new ones (c.HiddenData).
        student = student if isinstance(student, str) else None
        run.checks.seed = HiddenData(config=self.config).seed(student, work_digest(nb, run.sandbox.work))
        if run.sandbox.bwrap is None:
            missing = ", ".join(p.name for p in protections() if not p.available)
            self.log.warning("GRADING WITHOUT THE SANDBOX: learner code is not kept from %s", missing)
        run.checks.forget_claims(nb)
        self.timeout_func = self._cell_timeout
        try:
            nb, resources = super().preprocess(nb, resources, km)
        finally:
            run.sandbox.close()
        check_notebook(nb)
        return nb, resources

    def create_kernel_manager(self) -> Any:
        km = super().create_kernel_manager()
        km.use_sandbox(self.notebook_run.sandbox)
        return km

    def handle_comm_msg(self, outs: list, msg: dict, cell_index: int) -> None:
        """Comm messages change nothing: no widget state is kept and no Output widget is mimicked, so what
        a widget captures stays ordinary, budgeted cell output (and a malformed comm message costs nothing)."""
        return None

    def _cell_timeout(self, cell: NotebookNode) -> int:
        left = int(self.notebook_run.deadline - time.monotonic())
        return max(1, min(self.timeout or left, left))

    # -- one cell -------------------------------------------------------------------------------

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> tuple[NotebookNode, Any]:
        run = self.notebook_run
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, resources
        if time.monotonic() >= run.deadline:
            spent = f"not run: the notebook used up its {self.notebook_timeout} seconds of grading time"
            cell.outputs = [error_output("NotebookTimeout", spent)]
            run.checks.not_run(cell)
            return cell, resources
        if run.kernel_lost:
            cell.outputs = [error_output("KernelLost", "not run: no kernel could be started after the last one failed")]
            run.checks.not_run(cell)
            return cell, resources
        run.budget.start_cell()
        run.running = index
        pending = run.checks.before(cell)
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
        run.running = None
        cell.outputs = run.budget.settle(cell.outputs)
        cell.execution_count = execution_count(cell.get("execution_count"))
        if pending is not None:
            run.checks.after(cell, pending)
        elif healthy and not utils.is_grade(cell):
            run.replayable.append(index)
        if not healthy and time.monotonic() < run.deadline:
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
        if self.notebook_run.running is None:
            return None
        if not self.notebook_run.budget.admit(msg.get("content")):
            outs.extend(self.notebook_run.budget.overflow(msg.get("msg_type"), msg.get("content")))
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
        if outs and joins(outs[-1], out):  # one text however the kernel's flushes split it: the same feedback
            outs[-1].text += out.text  # every time a submission is graded (``print`` may arrive in two parts)
            return outs[-1]
        if display_id and "data" in out:
            self._display_id_map.setdefault(display_id, {}).setdefault(cell_index, []).append(len(outs))
        outs.append(out)
        return out

    def _update_display_id(self, display_id: str, msg: dict) -> None:
        """Display updates change the running cell's displays only, each charged to its budget and rebuilt
        by :func:`~autograder.outputs.kernel_output` (an update that is not a readable display changes nothing)."""
        if self.notebook_run.running is None or not self.notebook_run.budget.admit(msg.get("content")):
            return
        update = kernel_output({"msg_type": "display_data", "content": msg.get("content")})
        if update is None or "data" not in update:
            return
        outputs = self.nb.cells[self.notebook_run.running].outputs
        for index in self._display_id_map.get(display_id, {}).get(self.notebook_run.running, []):
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
        self.log.warning("Restarting the kernel and replaying %d cells", len(self.notebook_run.replayable))
        try:
            self._new_kernel()
            for index in list(self.notebook_run.replayable):
                if time.monotonic() >= self.notebook_run.deadline:
                    return
                original = self.nb.cells[index]
                replay = NotebookNode(dict(original, outputs=[]))
                try:
                    super().preprocess_cell(replay, resources, index)
                except Exception:
                    self.notebook_run.replayable.remove(index)
                    self._new_kernel()
                finally:
                    self.nb.cells[index] = original
        except Exception as error:
            self.log.warning("The kernel could not be restarted: %r", error)
            self.notebook_run.kernel_lost = True

    def _new_kernel(self) -> None:
        self.kc.stop_channels()
        run_sync(self.km.restart_kernel)(now=True)
        run_sync(self.async_start_new_kernel_client)()
