"""Where learner code runs while it is graded: a bubblewrap sandbox with resource limits.

Each notebook gets a fresh :class:`Sandbox`: a folder holding only what the
notebook needs (its working copy of the assignment's data files), a socket
folder for the kernel, and a read-only inbox for the hidden inputs. The
kernel starts inside ``bwrap`` (bubblewrap, from the distribution's
``bubblewrap`` package) where it sees Python, its libraries and those
folders, nothing of the course (``source/``, ``solutions/``, ``autograder/``,
the gradebook, other submissions, feedback), and no network. It runs in its
own PID namespace, so every process it starts, daemons included, dies with
it; rlimits cap its memory, CPU time and file sizes; a cgroup caps its number
of processes where the machine lets us create one.

:func:`protections` says which of these the machine offers. The grader
refuses to run without the sandbox unless told to, and then says loudly what
is missing.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import mlelab
from jupyter_client.manager import AsyncKernelManager
from mlelab.grading import CALLS_VARIABLE, DRAW_VARIABLE
from traitlets import Any as AnyTrait

GIB = 1024**3
MIB = 1024**2
HOME = "/home/learner"
WORKDIR = f"{HOME}/work"
#: Names of a sandbox's folder and cgroup: the prefix, then the grading process's PID, so that
#: what a killed grader left behind can be told from what a running one uses.
FOLDER_PREFIX = "mle-sandbox-"
CGROUP_PREFIX = "mle-course-"


@dataclass(frozen=True)
class Limits:
    """Resource limits of one notebook's kernel."""

    memory_bytes: int = 3 * GIB
    cpu_seconds: int = 900
    processes: int = 256
    file_bytes: int = 256 * MIB
    scratch_bytes: int = 256 * MIB


@dataclass(frozen=True)
class Protection:
    """One protection of the grader, whether this machine offers it, and what it means."""

    name: str
    available: bool
    detail: str


@cache
def bubblewrap() -> str | None:
    """The ``bwrap`` executable if it exists and can create namespaces here, else None."""
    path = shutil.which("bwrap")
    if path is None:
        return None
    probe = subprocess.run(
        [path, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "--", "/bin/true"],
        capture_output=True,
        check=False,
    )
    return path if probe.returncode == 0 else None


@cache
def pids_cgroup_root() -> Path | None:
    """A cgroup folder where a per-notebook process limit can be created (root, cgroup v1 or v2)."""
    for candidate in (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")):
        if (candidate / "cgroup.procs").exists() and os.access(candidate, os.W_OK):
            if candidate.name == "pids" or "pids" in (candidate / "cgroup.controllers").read_text(errors="ignore"):
                probe = candidate / f"{CGROUP_PREFIX}probe-{uuid.uuid4().hex[:8]}"
                try:
                    probe.mkdir()
                    probe.rmdir()
                except OSError:
                    continue
                return candidate
    return None


def protections() -> list[Protection]:
    """What this machine lets the grader enforce on learner code."""
    wrapped = bubblewrap() is not None
    pids = pids_cgroup_root()
    missing = "missing: install bubblewrap (apt-get install bubblewrap) and allow user namespaces"
    return [
        Protection(
            "course files hidden",
            wrapped,
            "bubblewrap: the kernel sees Python and its own folder" if wrapped else missing,
        ),
        Protection("no network", wrapped, "bubblewrap: a network namespace of its own" if wrapped else missing),
        Protection("no process outlives its notebook", wrapped, "bubblewrap: a PID namespace" if wrapped else missing),
        Protection("memory, CPU and file size limits", True, "rlimits on the kernel's process tree"),
        Protection(
            "process count limit",
            pids is not None or os.geteuid() != 0,
            f"cgroup {pids}" if pids else ("RLIMIT_NPROC" if os.geteuid() != 0 else "missing: no writable pids cgroup"),
        ),
        Protection("time limits per cell and per notebook", True, "enforced by the grader"),
    ]


@cache
def matplotlib_cache() -> Path | None:
    """A matplotlib font cache built once per grading process, copied into each sandbox's home.

    Without it every kernel would scan the system's fonts again on its first plot.
    """
    folder = Path(tempfile.mkdtemp(prefix="mle-mplcache-"))
    built = subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager"],
        env={**os.environ, "MPLCONFIGDIR": str(folder)},
        capture_output=True,
        check=False,
    )
    return folder if built.returncode == 0 else None


def _python_roots() -> list[Path]:
    """Folders the kernel needs to import Python, numpy, ipykernel and mlelab (read-only)."""
    roots = {Path(sys.base_prefix), Path(sys.prefix), Path(mlelab.__file__).resolve().parent.parent}
    return sorted(root for root in roots if root.exists())


class Sandbox:
    """One notebook's sandbox: fresh folders, a bwrap command line and the limits to apply."""

    def __init__(
        self, limits: Limits | None = None, files: Path | None = None, require: bool = True, figures: bool = True
    ) -> None:
        self.limits = limits or Limits()
        self.figures = figures
        self.bwrap = bubblewrap()
        if self.bwrap is None and require:
            raise RuntimeError(
                "The grader's sandbox is unavailable: bubblewrap (bwrap) is missing or cannot create "
                "namespaces on this machine. Install it (`make sandbox`, or apt-get install bubblewrap) "
                "or, knowing that learner code could then read and change the course's files, set "
                "c.HardenedExecute.require_sandbox = False."
            )
        sweep_stale_sandboxes()
        self.root = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
        self.work = self.root / "work"
        self.run = self.root / "run"
        self.inbox = self.root / "inbox"
        self.home = self.root / "home"
        for folder in (self.work, self.run, self.inbox, self.home):
            folder.mkdir()
        if files is not None:
            _copy_data_files(files, self.work)
        fonts = matplotlib_cache()
        if fonts is not None:
            shutil.copytree(fonts, self.home / ".config" / "matplotlib")
        self.cgroup = self._make_cgroup()

    @property
    def calls_file(self) -> Path:
        return self.inbox / "calls.json"

    @property
    def outcomes_file(self) -> Path:
        return self.run / "outcomes.json"

    def _make_cgroup(self) -> Path | None:
        root = pids_cgroup_root()
        if root is None:
            return None
        group = root / f"{CGROUP_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}"
        group.mkdir()
        (group / "pids.max").write_text(str(self.limits.processes))
        return group

    def environment(self) -> dict[str, str]:
        """The kernel's whole environment: nothing of the grader's (no salts, tokens or paths)."""
        home = HOME if self.bwrap else str(self.home)
        drawing = {} if self.figures else {"MPLBACKEND": "agg", DRAW_VARIABLE: "0"}  # figures built, never drawn
        return drawing | {
            "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
            "HOME": home,
            "LANG": "C.UTF-8",
            "MPLCONFIGDIR": f"{home}/.config/matplotlib",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            CALLS_VARIABLE: str(self.calls_file),
        }

    def command(self, kernel_command: list[str]) -> list[str]:
        """The kernel command line, wrapped in bubblewrap when it is available."""
        if self.bwrap is None:
            return kernel_command
        arguments = [self.bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--hostname", "grader"]
        for name in ("usr", "bin", "lib", "lib64", "sbin"):
            path = Path("/") / name
            if path.is_symlink():
                arguments += ["--symlink", os.readlink(path), str(path)]
            elif path.is_dir():
                arguments += ["--ro-bind", str(path), str(path)]
        # Fresh, small memory-backed folders first (what a kernel writes there escapes its rlimits);
        # every bind comes after them, so a course or venv under /tmp or /home stays visible.
        arguments += ["--proc", "/proc", "--dev", "/dev", "--size", str(64 * MIB), "--tmpfs", "/dev/shm"]
        arguments += ["--size", str(self.limits.scratch_bytes), "--tmpfs", "/tmp"]
        arguments += ["--size", str(MIB), "--tmpfs", "/home"]
        for root in _python_roots():
            arguments += ["--ro-bind", str(root), str(root)]
        for path in ("/etc/fonts", "/etc/ld.so.cache"):
            arguments += ["--ro-bind-try", path, path]
        arguments += ["--bind", str(self.home), HOME, "--bind", str(self.work), WORKDIR]
        arguments += ["--bind", str(self.run), str(self.run), "--ro-bind", str(self.inbox), str(self.inbox)]
        # The kernel's parent is the namespace's init (PID 1) here, which ipykernel would take for
        # an orphaned kernel; --die-with-parent ties the kernel to the grader instead.
        arguments += ["--unsetenv", "JPY_PARENT_PID", "--chdir", WORKDIR, "--", *kernel_command]
        return arguments

    def working_directory(self) -> str:
        """The kernel's working directory as the launcher sees it (outside the sandbox)."""
        return str(self.work)

    def apply_limits(self) -> None:
        """Runs in the child between fork and exec: join the cgroup, then set the rlimits."""
        if self.cgroup is not None:
            (self.cgroup / "cgroup.procs").write_text(str(os.getpid()))
        elif os.geteuid() != 0:
            running = len([p for p in Path("/proc").iterdir() if p.name.isdigit()])
            resource.setrlimit(resource.RLIMIT_NPROC, (running + self.limits.processes,) * 2)
        resource.setrlimit(resource.RLIMIT_AS, (self.limits.memory_bytes,) * 2)
        resource.setrlimit(resource.RLIMIT_CPU, (self.limits.cpu_seconds, self.limits.cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.limits.file_bytes,) * 2)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    def kill_everything(self) -> None:
        """Kill every process left in the notebook's cgroup and remove the cgroup."""
        if self.cgroup is not None:
            _kill_cgroup(self.cgroup)

    def close(self) -> None:
        """Kill what is left and delete the sandbox's folders."""
        self.kill_everything()
        shutil.rmtree(self.root, ignore_errors=True)


def _kill_cgroup(group: Path, patience: float = 5.0) -> bool:
    """SIGKILL every process in a cgroup until none is left, then remove it; whether it is gone.

    Killed processes leave the cgroup only once they have exited, so this waits for them
    (a fork may also race a pass), for at most ``patience`` seconds.
    """
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        try:
            pids = [int(p) for p in (group / "cgroup.procs").read_text().split()]
        except OSError:
            return not group.exists()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if not pids:
            try:
                group.rmdir()
                return True
            except OSError:
                pass  # its last processes are still exiting
        time.sleep(0.01)
    return False


def _owner_is_gone(name: str, prefix: str) -> bool:
    """Whether the grading process named in a sandbox folder's or cgroup's name has ended."""
    owner = name.removeprefix(prefix).split("-", 1)[0]
    if not owner.isdigit():
        return False  # not a name this module gave
    try:
        os.kill(int(owner), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, another user's
    return False


def sweep_stale_sandboxes() -> int:
    """Kill and delete what sandboxes of ended grading processes left behind; return how many.

    A grader killed with SIGKILL cannot clean up. bubblewrap's ``--die-with-parent`` takes its
    kernel down with it, but not always (bubblewrap issue #633: a grader killed while bwrap
    starts leaves the sandbox running), so the cgroup, which holds every process of the
    sandbox, is the record this sweep trusts. Called before each new sandbox is made.
    """
    swept = 0
    root = pids_cgroup_root()
    if root is not None:
        for group in root.glob(f"{CGROUP_PREFIX}*"):
            if group.is_dir() and _owner_is_gone(group.name, CGROUP_PREFIX):
                swept += _kill_cgroup(group)
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        if folder.is_dir() and _owner_is_gone(folder.name, FOLDER_PREFIX):
            shutil.rmtree(folder, ignore_errors=True)
            swept += 1
    return swept


def _copy_data_files(source: Path, destination: Path) -> None:
    """The assignment's data files (everything but notebooks and checkpoints), as plain copies."""
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if path.is_symlink() or path.suffix == ".ipynb" or ".ipynb_checkpoints" in relative.parts:
            continue
        if path.is_dir():
            (destination / relative).mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            (destination / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination / relative)


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel inside a :class:`Sandbox`.

    The kernel talks to the grader over Unix sockets in the sandbox's socket
    folder (the sandbox has no network), is interrupted by a message rather
    than a signal (signals do not cross into the PID namespace), and is
    started with the sandbox's environment, limits and working directory.
    """

    sandbox = AnyTrait(None, allow_none=True, help="The Sandbox this kernel runs in.")

    def use_sandbox(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.transport = "ipc"
        self.ip = str(sandbox.run / "kernel")
        self.connection_file = str(sandbox.inbox / "connection.json")  # read-only for the kernel

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        if self.sandbox is None:
            raise RuntimeError("SandboxedKernelManager needs use_sandbox(...) before the kernel starts")
        kw["env"] = self.sandbox.environment()
        kw["cwd"] = self.sandbox.working_directory()
        kw["preexec_fn"] = self.sandbox.apply_limits
        kw["stdout"] = kw["stderr"] = subprocess.DEVNULL  # the kernel's own chatter, not the notebook's output
        await super()._async_launch_kernel(self.sandbox.command(kernel_cmd), **kw)

    async def _async_interrupt_kernel(self) -> None:
        if self.has_kernel:
            message = self.session.msg("interrupt_request", content={})
            self._connect_control_socket()
            self.session.send(self._control_socket, message)

    interrupt_kernel = _async_interrupt_kernel
