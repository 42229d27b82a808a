"""Where learner code runs while it is graded: a bubblewrap sandbox with resource limits.

Each notebook gets a fresh :class:`Sandbox`: a folder holding only what the
notebook needs (its working copy of the assignment's data files), a socket
folder for the kernel, and a read-only inbox for the hidden inputs. The
kernel starts inside ``bwrap`` (bubblewrap, from the distribution's
``bubblewrap`` package) where it sees Python, its libraries and those
folders, nothing of the course (``source/``, ``solutions/``, ``autograder/``,
the gradebook, other submissions, feedback), and no network. It runs in its
own PID namespace, so every process it starts, daemons included, dies with
it; rlimits cap each process's memory, CPU time and file sizes; cgroups cap
the whole sandbox's processes, memory and CPU share where the machine lets us
create them.

Everything the kernel can write is bounded per sandbox, in memory, never on
the host's disk: its home, working folder and ``/dev/shm`` share a tmpfs the
grader mounts, its socket and outcomes folder has a small one of its own,
``/tmp`` is a small tmpfs of bubblewrap's, and every other folder is
read-only. That space is memory, so it counts against the sandbox's memory
cgroup too.

:func:`protections` says which of these the machine offers. The grader
refuses to run without the sandbox unless told to, and then says loudly what
is missing.
"""

from __future__ import annotations

import ctypes
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from queue import Empty
from typing import Any

import mlelab
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from mlelab.grading import CALLS_VARIABLE, DRAW_VARIABLE
from traitlets import Any as AnyTrait
from traitlets import default as trait_default

from autograder.settings import MIB, NotebookLimits, default

GIB = 1024**3
HOME = "/home/learner"
#: No privilege inside the sandbox. bubblewrap started by root keeps every capability in the sandbox's
#: user namespace, with which a kernel could remount its read-only binds writable (the venv, the inbox)
#: and plant code that the grader and later kernels import. So the kernel runs as nobody, with no
#: capability, and can make no user namespace of its own to regain one.
NOBODY = 65534
UNPRIVILEGED = ["--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY), "--disable-userns", "--cap-drop", "ALL"]
WORKDIR = f"{HOME}/work"
#: Names of a sandbox's folder and cgroup: the prefix, then the grading process's PID, so that
#: what a killed grader left behind can be told from what a running one uses.
FOLDER_PREFIX = "mle-sandbox-"
CGROUP_PREFIX = "mle-course-"
#: The limit file of each cgroup controller a sandbox uses, on cgroup v1 and on cgroup v2.
CONTROLLERS = {
    "pids": ("pids.max", "pids.max"),
    "memory": ("memory.limit_in_bytes", "memory.max"),
    "cpu": ("cpu.cfs_quota_us", "cpu.max"),
}
#: Room for the outcomes the grader reads back (execute.MAX_OUTCOMES_BYTES, 64 MiB) and the kernel's sockets.
OUTCOMES_SPACE = 65 * MIB
#: Bounds on the data files copied from a submission folder into the sandbox.
MAX_DATA_ENTRIES = 2000
MAX_DATA_DEPTH = 16


@dataclass(frozen=True)
class Limits:
    """Resource limits of one notebook's kernel.

    ``disk_bytes`` is all the kernel may write, everywhere: up to 65 MiB of it for its outcomes, a
    quarter for /tmp, the rest for its home, working folder and /dev/shm. ``scratch_bytes`` sizes /tmp
    only where that bounded space is unavailable (no root).
    The memory cgroup allows ``memory_bytes + disk_bytes``: the space is memory, and a full disk must
    not leave the kernel without memory. The defaults are
    :class:`~autograder.settings.NotebookLimits`' (``c.HardenedExecute.*``), where an instructor sets them.
    """

    memory_bytes: int = default(NotebookLimits, "memory_limit_mib") * MIB
    cpu_seconds: int = default(NotebookLimits, "cpu_time_limit_seconds")
    processes: int = default(NotebookLimits, "max_processes")
    file_bytes: int = default(NotebookLimits, "max_file_mib") * MIB
    scratch_bytes: int = default(NotebookLimits, "scratch_mib") * MIB
    disk_bytes: int = default(NotebookLimits, "disk_limit_mib") * MIB
    cpu_cores: float = default(NotebookLimits, "cpu_limit_cores")

    @classmethod
    def from_settings(cls, settings: NotebookLimits) -> Limits:
        """The limits a configured :class:`~autograder.settings.NotebookLimits` (a HardenedExecute) sets."""
        return cls(
            memory_bytes=settings.memory_limit_mib * MIB,
            cpu_seconds=settings.cpu_time_limit_seconds,
            processes=settings.max_processes,
            file_bytes=settings.max_file_mib * MIB,
            scratch_bytes=settings.scratch_mib * MIB,
            disk_bytes=settings.disk_limit_mib * MIB,
            cpu_cores=settings.cpu_limit_cores,
        )


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
        [path, "--ro-bind", "/", "/", "--unshare-all", *UNPRIVILEGED, "--die-with-parent", "--", "/bin/true"],
        capture_output=True,
        check=False,
    )
    return path if probe.returncode == 0 else None


def _own_cgroup(controller: str) -> str:
    """The grader's own cgroup for a controller, relative to its hierarchy (v1), or its v2 cgroup ("")."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        if (controller and controller in names.split(",")) or (not controller and not names):
            return path.lstrip("/")
    return ""


@cache
def cgroup_parent(controller: str) -> Path | None:
    """Where a sandbox's cgroup for ``controller`` (pids, memory or cpu) can be made, or None.

    Under the grader's own cgroup if possible, so that what the machine counts against the grader
    keeps counting its sandboxes (a container's memory limit, say), else under the hierarchy's
    root; cgroup v1 (one hierarchy per controller) or v2 (one for all, where the controller is
    enabled for children). Needs root, or a delegated cgroup.
    """
    v1_file, v2_file = CONTROLLERS[controller]
    if (Path("/sys/fs/cgroup") / controller / "cgroup.procs").exists():
        root, limit_file, own = Path("/sys/fs/cgroup") / controller, v1_file, _own_cgroup(controller)
    elif Path("/sys/fs/cgroup/cgroup.controllers").exists():
        root, limit_file, own = Path("/sys/fs/cgroup"), v2_file, _own_cgroup("")
    else:
        return None
    for candidate in dict.fromkeys((root / own, root)):
        if not os.access(candidate, os.W_OK):
            continue
        probe = candidate / f"{CGROUP_PREFIX}probe-{uuid.uuid4().hex[:8]}"
        try:
            probe.mkdir()
        except OSError:
            continue
        usable = (probe / limit_file).exists()
        probe.rmdir()
        if usable:
            return candidate
    return None


# -- mounts ---------------------------------------------------------------------------------------

_libc = ctypes.CDLL(None, use_errno=True)
MS_NOSUID, MS_NODEV, MNT_DETACH, UMOUNT_NOFOLLOW = 2, 4, 2, 8


def _mount_tmpfs(folder: Path, size: int, inodes: int) -> None:
    """Mount a tmpfs of ``size`` bytes and ``inodes`` files on ``folder``, readable by its owner only."""
    options = f"size={size},nr_inodes={inodes},mode=0700".encode()
    if _libc.mount(b"tmpfs", os.fsencode(folder), b"tmpfs", MS_NOSUID | MS_NODEV, options) != 0:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error), str(folder))


def _mounts_under(folder: Path) -> list[str]:
    """Mount points at or below ``folder`` (from /proc/self/mountinfo), deepest first."""
    prefix = os.fsencode(folder)
    found = []
    for line in Path("/proc/self/mountinfo").read_bytes().splitlines():
        point = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m[1], 8)]), line.split()[4])
        if point == prefix or point.startswith(prefix + b"/"):
            found.append(os.fsdecode(point))
    return sorted(found, key=len, reverse=True)


def _unmount_under(folder: Path) -> None:
    """Detach every mount at or below ``folder``, never following a link."""
    for point in _mounts_under(folder):
        _libc.umount2(os.fsencode(point), MNT_DETACH | UMOUNT_NOFOLLOW)


@cache
def bounded_space() -> str | None:
    """None if the grader can mount a sandbox's own tmpfs here (root), else why it cannot."""
    if os.geteuid() != 0:
        return "mounting a tmpfs needs root"
    folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-probe-"))
    try:
        _mount_tmpfs(folder, MIB, 16)
    except OSError as error:
        return f"mounting a tmpfs failed ({error.strerror})"
    finally:
        _unmount_under(folder)
        folder.rmdir()
    return None


def protections() -> list[Protection]:
    """What this machine lets the grader enforce on learner code."""
    wrapped = bubblewrap() is not None
    pids, memory, cpu = (cgroup_parent(name) for name in ("pids", "memory", "cpu"))
    space = bounded_space()
    missing = "missing: install bubblewrap (apt-get install bubblewrap) and allow user namespaces"
    no_cgroup = "missing: no writable {} cgroup (run as root; on cgroup v2 enable the controller for children)"
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
            f"cgroup {pids}" if pids else ("RLIMIT_NPROC" if os.geteuid() != 0 else no_cgroup.format("pids")),
        ),
        Protection(
            "memory limit of the whole sandbox",
            memory is not None,
            f"cgroup {memory}: processes and the files they write" if memory else no_cgroup.format("memory"),
        ),
        Protection("CPU share per sandbox", cpu is not None, f"cgroup {cpu}" if cpu else no_cgroup.format("cpu")),
        Protection(
            "disk space per sandbox",
            space is None and wrapped,
            "a tmpfs of its own; the rest of its filesystem read-only"
            if space is None and wrapped
            else f"missing: {space or 'no bubblewrap'}; the kernel writes to the host's disk, capped per file only",
        ),
        Protection("time limits per cell and per notebook", True, "enforced by the grader"),
    ]


@cache
def matplotlib_cache() -> dict[str, bytes]:
    """A matplotlib font cache built once per grading process, written into each sandbox's home.

    Without it every kernel would scan the system's fonts again on its first plot. It is kept
    in memory: the folder it is built in is deleted at once (and carries this process's PID, so
    the sweep deletes it if this process is killed meanwhile).
    """
    with tempfile.TemporaryDirectory(prefix=f"{FOLDER_PREFIX}{os.getpid()}-fonts-") as folder:
        built = subprocess.run(
            [sys.executable, "-c", "import matplotlib.font_manager"],
            cwd=folder,  # `python -c` imports from its working folder first: an empty one, not the instructor's
            env={**os.environ, "MPLCONFIGDIR": folder},
            capture_output=True,
            check=False,
        )
        if built.returncode != 0:
            return {}
        return {path.name: path.read_bytes() for path in Path(folder).iterdir() if path.is_file()}


#: Packages installed beside the kernel that a grading kernel does not get: ipykernel imports debugpy at every
#: start (~75 ms of CPU) to offer a debugger no one attaches while grading, and a debugger is no help to learner code.
HIDDEN_PACKAGES = ("debugpy",)


@cache
def _hidden_package_folders() -> list[str]:
    """The folders of :data:`HIDDEN_PACKAGES` (each is covered by an empty read-only folder in the sandbox)."""
    from importlib.util import find_spec

    folders = []
    for name in HIDDEN_PACKAGES:
        spec = find_spec(name)
        folders += list(spec.submodule_search_locations or []) if spec is not None else []
    return folders


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
        self.cgroups: dict[str, Path] = {}
        try:
            self._make_folders()
            self.data_notes = _copy_data_files(files, self.work, self.limits.disk_bytes // 2) if files else []
            fonts = self.home / ".config" / "matplotlib"
            fonts.mkdir(parents=True)
            for name, content in matplotlib_cache().items():
                (fonts / name).write_bytes(content)
            self._make_cgroups()
        except BaseException:
            self.close()
            raise

    @property
    def calls_file(self) -> Path:
        return self.inbox / "calls.json"

    @property
    def outcomes_file(self) -> Path:
        return self.run / "outcomes.json"

    @property
    def cgroup(self) -> Path | None:
        """The sandbox's pids cgroup (on cgroup v2, its only one)."""
        return self.cgroups.get("pids")

    def _make_folders(self) -> None:
        """The sandbox's folders: what the kernel writes goes to tmpfs mounts of its own where possible.

        ``space`` (home, work, shm) and ``run`` (sockets, outcomes) are separate, so a kernel that
        fills its folders can still record its outcomes; ``inbox`` stays on the grader's side,
        read-only for the kernel, so the grader can always write the hidden inputs. /tmp is
        bubblewrap's, fresh at each kernel start: the run and inbox folders are mounted below it,
        and a folder the kernel keeps across a restart must hold no mount point, or a link it
        planted there would lead bubblewrap (root) to make folders outside the sandbox.
        """
        self.space, self.run, self.inbox = self.root / "space", self.root / "run", self.root / "inbox"
        for folder in (self.space, self.run, self.inbox):
            folder.mkdir(mode=0o700)
        self.bounded = bounded_space() is None and self.bwrap is not None
        if self.bounded:
            run_bytes = min(OUTCOMES_SPACE, self.limits.disk_bytes // 4)
            self.tmp_bytes = self.limits.disk_bytes // 4
            _mount_tmpfs(self.run, run_bytes, 1024)
            _mount_tmpfs(self.space, self.limits.disk_bytes - run_bytes - self.tmp_bytes, 16384)
        else:
            self.tmp_bytes = self.limits.scratch_bytes
        self.home = self.space / "home"
        self.work = self.home / "work"
        for folder in (self.home, self.work, self.space / "shm"):
            folder.mkdir(mode=0o700)

    def _make_cgroups(self) -> None:
        """One cgroup per hierarchy (one in all on cgroup v2) with this sandbox's process, memory and CPU limits."""
        name = f"{CGROUP_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}"
        for controller in CONTROLLERS:
            parent = cgroup_parent(controller)
            if parent is not None:
                self.cgroups[controller] = group = parent / name
                group.mkdir(exist_ok=True)
                self._set_limit(controller, group)

    def _set_limit(self, controller: str, group: Path) -> None:
        """Write one controller's limit into ``group``, on cgroup v1 or v2."""
        v2 = (group / "cgroup.controllers").exists()  # every cgroup v2 folder has it, no v1 folder does
        if controller == "pids":
            (group / "pids.max").write_text(str(self.limits.processes))
        elif controller == "memory":
            allowed = str(self.limits.memory_bytes + self.limits.disk_bytes)  # the space is memory too
            (group / ("memory.max" if v2 else "memory.limit_in_bytes")).write_text(allowed)
            swap = group / ("memory.swap.max" if v2 else "memory.memsw.limit_in_bytes")
            if swap.exists():  # memory and swap together (v1), no swap (v2): the space never reaches a disk
                swap.write_text("0" if v2 else allowed)
        elif v2:
            (group / "cpu.max").write_text(f"{max(1000, int(self.limits.cpu_cores * 100_000))} 100000")
        else:
            period = int((group / "cpu.cfs_period_us").read_text())
            try:
                (group / "cpu.cfs_quota_us").write_text(str(max(1000, int(self.limits.cpu_cores * period))))
            except OSError:
                pass  # v1 refuses a quota above the grader's own: that tighter quota bounds the sandbox

    def clear_run(self, sockets: bool = False) -> None:
        """Empty the socket and outcomes folder of what the kernel left there, its live sockets too if asked.

        A kernel that filled this folder could otherwise record no outcomes, or a restarted kernel
        find no room for its sockets. Never follows a link.
        """
        with os.scandir(self.run) as entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        shutil.rmtree(entry.path, ignore_errors=True)
                    elif sockets or not stat.S_ISSOCK(entry.stat(follow_symlinks=False).st_mode):
                        os.unlink(entry.path)
                except OSError:
                    pass  # gone meanwhile: the kernel may still be running

    def environment(self) -> dict[str, str]:
        """The kernel's whole environment: nothing of the grader's (no salts, tokens or paths)."""
        home = HOME if self.bwrap else str(self.home)
        drawing = {} if self.figures else {"MPLBACKEND": "agg", DRAW_VARIABLE: "0"}  # figures built, never drawn
        # No startup code or configuration the kernel can write is read when a kernel (re)starts: IPython's
        # and Jupyter's folders do not exist and cannot be made (the inbox is read-only; IPython then uses a
        # fresh temporary folder), the working folder is not on sys.path (a learner's ipykernel_launcher.py
        # would replace the kernel), no user site-packages, matplotlib's own defaults over ~/.config's.
        from importlib.util import find_spec

        config, matplotlib = self.inbox / "config", find_spec("matplotlib")
        startup = {
            "IPYTHONDIR": f"{config}/ipython",
            "JUPYTER_CONFIG_DIR": f"{config}/jupyter",
            "JUPYTER_DATA_DIR": f"{config}/jupyter-data",
            "PYTHONSAFEPATH": "1",
            "PYTHONNOUSERSITE": "1",
        }
        if matplotlib is not None and matplotlib.origin:
            startup["MATPLOTLIBRC"] = str(Path(matplotlib.origin).parent / "mpl-data" / "matplotlibrc")
        return (
            drawing
            | startup
            | {
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
        )

    def command(self, kernel_command: list[str]) -> list[str]:
        """The kernel command line, wrapped in bubblewrap when it is available."""
        if self.bwrap is None:
            return kernel_command
        arguments = [self.bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--hostname", "grader"]
        arguments += UNPRIVILEGED
        for name in ("usr", "bin", "lib", "lib64", "sbin"):
            path = Path("/") / name
            if path.is_symlink():
                arguments += ["--symlink", os.readlink(path), str(path)]
            elif path.is_dir():
                arguments += ["--ro-bind", str(path), str(path)]
        # Memory-backed folders first (what a kernel writes there escapes its rlimits); every bind
        # comes after them, so a course or venv under /tmp or /home stays visible.
        arguments += ["--proc", "/proc", "--dev", "/dev", "--size", str(MIB), "--tmpfs", "/home"]
        arguments += ["--size", str(self.tmp_bytes), "--tmpfs", "/tmp"]
        if self.bounded:  # /dev/shm is a folder of the sandbox's own bounded space
            arguments += ["--bind", str(self.space / "shm"), "/dev/shm"]
        else:
            arguments += ["--size", str(64 * MIB), "--tmpfs", "/dev/shm"]
        for root in _python_roots():
            arguments += ["--ro-bind", str(root), str(root)]
        for folder in _hidden_package_folders():  # an empty namespace package: `import debugpy.server` fails
            arguments += ["--size", str(resource.getpagesize()), "--tmpfs", folder, "--remount-ro", folder]
        for path in ("/etc/fonts", "/etc/ld.so.cache"):
            arguments += ["--ro-bind-try", path, path]
        arguments += ["--bind", str(self.home), HOME]
        arguments += ["--bind", str(self.run), str(self.run), "--ro-bind", str(self.inbox), str(self.inbox)]
        # Then the root, /dev and /home (bubblewrap's own tmpfs, unbounded) become read-only: the
        # kernel writes only in the folders above.
        arguments += ["--remount-ro", "/home", "--remount-ro", "/dev", "--remount-ro", "/"]
        # The kernel's parent is the namespace's init (PID 1) here, which ipykernel would take for
        # an orphaned kernel; --die-with-parent ties the kernel to the grader instead.
        arguments += ["--unsetenv", "JPY_PARENT_PID", "--chdir", WORKDIR, "--", *kernel_command]
        return arguments

    def working_directory(self) -> str:
        """The kernel's working directory as the launcher sees it (outside the sandbox)."""
        return str(self.work)

    def apply_limits(self) -> None:
        """Runs in the child between fork and exec: join the cgroups, then set the rlimits."""
        for group in dict.fromkeys(self.cgroups.values()):
            (group / "cgroup.procs").write_text(str(os.getpid()))
        if self.cgroup is None and os.geteuid() != 0:
            running = len([p for p in Path("/proc").iterdir() if p.name.isdigit()])
            resource.setrlimit(resource.RLIMIT_NPROC, (running + self.limits.processes,) * 2)
        resource.setrlimit(resource.RLIMIT_AS, (self.limits.memory_bytes,) * 2)
        resource.setrlimit(resource.RLIMIT_CPU, (self.limits.cpu_seconds, self.limits.cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.limits.file_bytes,) * 2)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    def kill_everything(self) -> None:
        """Kill every process left in the notebook's cgroups and remove them."""
        for group in dict.fromkeys(self.cgroups.values()):
            _kill_cgroup(group)

    def close(self) -> None:
        """Kill what is left, unmount the sandbox's space and delete its folders."""
        self.kill_everything()
        _unmount_under(self.root)
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

    Anyone can create a name in /tmp, so a folder is swept only if it is a real folder (not a
    link) owned by this user; its mounts are detached, then it is deleted without following links.
    """
    swept = 0
    for parent in dict.fromkeys(filter(None, (cgroup_parent(name) for name in CONTROLLERS))):
        for group in parent.glob(f"{CGROUP_PREFIX}*"):
            if group.is_dir() and _owner_is_gone(group.name, CGROUP_PREFIX):
                swept += _kill_cgroup(group)
    with os.scandir(tempfile.gettempdir()) as entries:
        stale = [e for e in entries if e.name.startswith(FOLDER_PREFIX) and _owner_is_gone(e.name, FOLDER_PREFIX)]
    for entry in stale:
        info = entry.stat(follow_symlinks=False)
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid():
            _unmount_under(Path(entry.path))
            shutil.rmtree(entry.path, ignore_errors=True)
            swept += 1
    return swept


def _copy_data_files(source: Path, destination: Path, budget: int) -> list[str]:
    """Copy the assignment's data files (regular files but notebooks and checkpoints) within bounds.

    A submission folder is the learner's: links are never followed, only regular files are
    opened (a FIFO or a device could hang or never end), and copying stops at
    ``MAX_DATA_ENTRIES`` entries, ``MAX_DATA_DEPTH`` folders deep or ``budget`` bytes. A folder's
    files are copied before its subfolders, so a flood in a subfolder cannot crowd out the data
    beside the notebook. Never raises; returns a note per thing left out.
    """
    notes: list[str] = []
    seen = 0

    def note(relative: str, why: str) -> None:
        if len(notes) < 20:
            notes.append(f"{relative!r} not copied: {why}")

    def copy_folder(source_fd: int, target_fd: int, relative: str, depth: int) -> None:
        nonlocal seen, budget
        folders = []
        with os.scandir(source_fd) as entries:
            for entry in entries:
                seen += 1
                if seen > MAX_DATA_ENTRIES:
                    raise _Stop(f"more than {MAX_DATA_ENTRIES} entries in the submission folder")
                path = f"{relative}{entry.name}"
                if entry.name == ".ipynb_checkpoints" or entry.name.endswith(".ipynb"):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.name)
                elif entry.is_file(follow_symlinks=False):
                    copied, skipped = _copy_file(entry.name, source_fd, target_fd, budget)
                    budget -= copied
                    if skipped:
                        note(path, skipped)
                else:
                    note(path, "not a regular file (a link, pipe, socket or device)")
        for name in folders:
            if depth >= MAX_DATA_DEPTH:
                note(f"{relative}{name}", f"deeper than {MAX_DATA_DEPTH} folders")
                continue
            os.mkdir(name, 0o700, dir_fd=target_fd)
            inner_source = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=source_fd)
            inner_target = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=target_fd)
            try:
                copy_folder(inner_source, inner_target, f"{relative}{name}/", depth + 1)
            finally:
                os.close(inner_source)
                os.close(inner_target)

    try:
        top = os.open(source, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as error:
        return [f"no data files copied: the submission folder could not be opened ({error.strerror})"]
    try:
        target = os.open(destination, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            copy_folder(top, target, "", 0)
        finally:
            os.close(target)
    except _Stop as stop:
        notes.append(f"copying stopped: {stop}")
    except OSError as error:
        notes.append(f"copying stopped: {error.strerror}")
    finally:
        os.close(top)
    return notes


class _Stop(Exception):
    """Copying the data files reached one of its bounds."""


def _copy_file(name: str, source_fd: int, target_fd: int, budget: int) -> tuple[int, str | None]:
    """Copy one file if, once opened, it is regular and fits in ``budget``: the bytes copied, or why not."""
    try:
        source = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=source_fd)
    except OSError as error:
        return 0, error.strerror
    with os.fdopen(source, "rb") as reader:
        info = os.fstat(source)
        if not stat.S_ISREG(info.st_mode):
            return 0, "not a regular file"
        if info.st_size > budget:
            return 0, f"{info.st_size} bytes, more than the {budget} left for data files"
        target = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=target_fd)
        with os.fdopen(target, "wb") as writer:
            copied = 0
            while copied < info.st_size and (block := reader.read(min(MIB, info.st_size - copied))):
                writer.write(block)
                copied += len(block)
    return copied, None


class PromptKernelClient(AsyncKernelClient):
    """jupyter_client's kernel client, ready as soon as the kernel has answered on its shell and IOPub channels.

    jupyter_client's ``wait_for_ready`` then listens to IOPub until it has been quiet for 0.2 s: idle
    time at every kernel start, a notebook's or a restart's (~6% of a grading worker's time). Nothing
    needs that quiet: nbclient matches every IOPub message to its cell by the request's id, so the
    readiness check's late status messages are ignored.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.2)  # IOPub is connected once a message comes
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel inside a :class:`Sandbox`.

    The kernel talks to the grader over Unix sockets in the sandbox's socket
    folder (the sandbox has no network), is interrupted by a message rather
    than a signal (signals do not cross into the PID namespace), and is
    started with the sandbox's environment, limits and working directory.
    """

    sandbox = AnyTrait(None, allow_none=True, help="The Sandbox this kernel runs in.")

    @trait_default("client_factory")
    def _prompt_client(self) -> type[PromptKernelClient]:
        return PromptKernelClient  # its clients; not a setting (the manager's client_class is not read)

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
        self.sandbox.clear_run(sockets=True)  # a restarted kernel needs room for its sockets
        await super()._async_launch_kernel(self.sandbox.command(kernel_cmd), **kw)

    async def _async_interrupt_kernel(self) -> None:
        if self.has_kernel:
            message = self.session.msg("interrupt_request", content={})
            self._connect_control_socket()
            self.session.send(self._control_socket, message)

    interrupt_kernel = _async_interrupt_kernel
