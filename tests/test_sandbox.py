"""The sandbox and the wire: what a learner's kernel can see and do, and what the grader accepts back."""

import asyncio
import json
import math
import os
import resource
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from mlelab.grading import Formula, Opaque, call_each, decode, encode, record

import autograder.sandbox as sandbox_module
from autograder.hidden_checks import read_outcomes
from autograder.runner import MalformedOutcomes, parse_outcomes
from autograder.sandbox import (
    GIB,
    HOME,
    MIB,
    Limits,
    PromptKernelClient,
    Sandbox,
    SandboxedKernelManager,
    protections,
)
from tests.conftest import ROOT, deep_tree, remove_deep_tree

# -- the wire -------------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), st.text(max_size=20)
)
arrays = hnp.arrays(
    dtype=st.sampled_from([np.float64, np.float32, np.int64, np.int8, np.bool_]),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
)
values = st.recursive(
    st.one_of(scalars, arrays),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.tuples(inner, inner)),
    max_leaves=12,
)


def _same(a, b):
    if isinstance(a, np.ndarray):
        # NaN equals NaN here: the wire must carry it as it is.
        alike = type(b) is np.ndarray and a.dtype == b.dtype and a.shape == b.shape
        return alike and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@given(values)
def test_values_cross_the_wire_with_their_types(value):
    assert _same(value, decode(json.loads(json.dumps(encode(value)))))


def test_special_floats_numpy_scalars_and_generators_cross_the_wire():
    sent = [math.nan, math.inf, -math.inf, np.float64(2.5), np.int64(7), np.random.default_rng(3)]
    nan, inf, minus_inf, scalar, integer, generator = decode(json.loads(json.dumps(encode(sent))))
    assert math.isnan(nan) and inf == math.inf and minus_inf == -math.inf
    assert type(scalar) is np.float64 and scalar == 2.5 and type(integer) is np.int64
    assert np.array_equal(generator.normal(size=5), np.random.default_rng(3).normal(size=5))


def test_a_formula_is_rebuilt_as_the_same_function():
    score = Formula("lambda t: -bowl @ (t - centre)", bowl=np.eye(2) * 2, centre=np.array([1.0, -1.0]))
    rebuilt = decode(json.loads(json.dumps(encode(score))))
    theta = np.array([0.5, 0.5])
    np.testing.assert_array_equal(rebuilt(theta), -2 * (theta - [1.0, -1.0]))


def test_anything_else_comes_back_as_an_opaque_stand_in_with_its_type_name():
    class Estimate:
        pass

    received = decode(encode({"mu": Estimate()})["__dict__"][0][1])
    assert isinstance(received, Opaque) and type(received).__name__ == "Estimate"


@pytest.mark.parametrize(
    "data",
    [{"__pickle__": "gASV"}, {"__ndarray__": [1], "dtype": "|O", "shape": [1]}, {"a": 1, "b": 2, "c": 3, "d": 4}],
)
def test_the_grader_refuses_what_the_wire_never_writes(data):
    with pytest.raises(ValueError):
        decode(data)


def test_outcomes_must_match_the_planned_calls():
    good = call_each(lambda x: x + 1, [[1.0], [2.0]])
    assert [o.value for o in parse_outcomes(good, 2)] == [2.0, 3.0]
    for bad in (good[:1], {"value": 1}, [{"value": {"__evil__": 1}}] * 2, [{"raised": {"type": "E"}}] * 2):
        with pytest.raises(MalformedOutcomes):
            parse_outcomes(bad, 2)


def test_exceptions_and_changed_inputs_are_recorded():
    def mutate(x):
        x[0] = 99.0
        raise SystemExit("bye")

    (outcome,) = parse_outcomes(call_each(mutate, [[np.zeros(2)]]), 1)
    assert outcome.raised.type == "SystemExit" and outcome.raised.message == "bye"
    np.testing.assert_array_equal(outcome.after[0], [99.0, 0.0])


def test_record_refuses_to_pass_outside_the_grader(monkeypatch):
    monkeypatch.delenv("MLE_COURSE_CALLS", raising=False)
    with pytest.raises(RuntimeError, match="only under the course's grader"):
        record(lambda x: x)


def test_the_grader_reads_only_a_regular_outcomes_file(tmp_path):
    assert read_outcomes(tmp_path / "absent.json") is None
    (tmp_path / "secret.py").write_text("ANSWER = 42")
    (tmp_path / "link.json").symlink_to(tmp_path / "secret.py")
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "garbage.json").write_text("ANSWER = 42")
    for name in ("link.json", "pipe.json", "garbage.json"):
        with pytest.raises(MalformedOutcomes) as refused:
            read_outcomes(tmp_path / name)
        assert "42" not in str(refused.value)


# -- the sandbox ----------------------------------------------------------------------------------


def test_this_machine_offers_every_protection():
    missing = [p for p in protections() if not p.available]
    assert not missing, f"install what the Makefile's sandbox target installs: {missing}"


def test_without_bubblewrap_grading_refuses_and_says_what_is_missing(monkeypatch):
    monkeypatch.setattr(sandbox_module, "bubblewrap", lambda: None)
    with pytest.raises(RuntimeError, match="bubblewrap"):
        Sandbox()
    missing = {p.name for p in protections() if not p.available}
    assert {"course files hidden", "no network", "no process outlives its notebook"} <= missing


async def _run_in_kernel(code: str, limits: Limits | None = None, then=None) -> tuple[list[str], Sandbox]:
    """Run ``code`` in a sandboxed kernel; what it printed, and the (closed) sandbox.

    ``then(sandbox)``, if given, runs once the code is done, while the sandbox still exists.
    """
    sandbox = Sandbox(limits)
    manager = SandboxedKernelManager(kernel_name="python3")
    manager.use_sandbox(sandbox)
    printed: list[str] = []
    await manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        await client.execute_interactive(
            code,
            timeout=60,
            output_hook=lambda m: printed.append(m["content"].get("text", m["content"].get("evalue", ""))),
        )
        if then is not None:
            then(sandbox)
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)
        sandbox.close()
    return printed, sandbox


@pytest.fixture(scope="module")
def listener():
    server = socket.create_server(("127.0.0.1", 0))
    yield server.getsockname()[1]
    server.close()


class _Channel:
    """A kernel channel that hands out ``messages`` one by one, then ``after`` for ever (or Empty if None)."""

    def __init__(self, messages: list[dict], after: dict | None = None) -> None:
        self.messages, self.after, self.read = list(messages), after, 0

    async def get_msg(self, timeout: float | None = None) -> dict:
        from queue import Empty

        self.read += 1
        await asyncio.sleep(0)  # a real channel yields to the event loop
        if self.messages:
            return self.messages.pop(0)
        if self.after is None:
            await asyncio.sleep(min(timeout or 0, 0.01))
            raise Empty
        return self.after


def _client(shell: _Channel, iopub: _Channel, alive: bool = True) -> PromptKernelClient:
    client = PromptKernelClient()
    client.kernel_info = lambda: "request"  # type: ignore[method-assign]
    client._async_is_alive = lambda: asyncio.sleep(0, result=alive)  # type: ignore[method-assign]
    client._shell_channel, client._iopub_channel = shell, iopub
    return client


REPLY = {"msg_type": "kernel_info_reply", "content": {"status": "ok", "protocol_version": "5.3"}}
BUSY = {"msg_type": "status", "content": {"execution_state": "busy"}, "parent_header": {}}


def test_a_kernel_is_ready_once_both_channels_answered_however_busy_iopub_stays():
    # jupyter_client's client waits for 0.2 s of quiet on IOPub (for ever, if it never comes) and throws away
    # what it reads meanwhile; this one reads the one message that shows IOPub is connected.
    iopub = _Channel([BUSY], after=BUSY)
    asyncio.run(asyncio.wait_for(_client(_Channel([REPLY]), iopub).wait_for_ready(timeout=5), timeout=5))
    assert iopub.read == 1


def test_a_kernel_that_never_answers_is_reported_dead_or_late():
    with pytest.raises(RuntimeError, match="died"):
        asyncio.run(_client(_Channel([]), _Channel([]), alive=False).wait_for_ready(timeout=5))
    with pytest.raises(RuntimeError, match="didn't respond"):
        asyncio.run(_client(_Channel([]), _Channel([])).wait_for_ready(timeout=0))


def test_the_font_cache_is_built_without_importing_from_the_working_folder(tmp_path, monkeypatch):
    # `python -c` puts its working folder first on sys.path: a folder learners can write to, as the instructor's
    # working folder, must not supply the matplotlib that the grader imports (as root, outside any sandbox).
    planted = tmp_path / "matplotlib"
    planted.mkdir()
    (planted / "__init__.py").write_text(f"open({str(tmp_path / 'ran')!r}, 'w').close()\n")
    (planted / "font_manager.py").write_text("")
    monkeypatch.chdir(tmp_path)
    fonts = sandbox_module.matplotlib_cache.__wrapped__()
    assert not (tmp_path / "ran").exists()
    assert any(name.startswith("fontlist") for name in fonts), sorted(fonts)


def test_the_kernel_sees_nothing_of_the_course_and_has_no_network_or_debugger(listener):
    code = f"""
import os, socket, importlib.util
from ipykernel.debugger import _is_debugpy_available
print("debugger:", _is_debugpy_available)
print("course visible:", os.path.exists({str(ROOT / "solutions")!r}) or os.path.exists({str(ROOT / "source")!r}))
print("importable:", [m for m in ("solutions", "autograder") if importlib.util.find_spec(m)])
print("cwd:", os.getcwd(), os.listdir("."))
print("variables:", sorted(k for k in os.environ if "SALT" in k or "TOKEN" in k or "JPY" in k))
try:
    socket.create_connection(("127.0.0.1", {listener}), timeout=2)
    print("network: connected")
except OSError:
    print("network: refused")
try:
    open(os.environ["MLE_COURSE_CALLS"], "w")
    print("inbox: writable")
except OSError:
    print("inbox: read-only")
"""
    printed, _ = asyncio.run(_run_in_kernel(code))
    text = "".join(printed)
    assert "course visible: False" in text
    assert "importable: []" in text
    assert "cwd: /home/learner/work []" in text
    assert "variables: []" in text
    assert "network: refused" in text
    assert "inbox: read-only" in text
    assert "debugger: False" in text  # debugpy is hidden: ~75 ms less at every kernel start


def test_memory_beyond_the_limit_is_a_memory_error_in_the_kernel():
    code = "try:\n    block = bytearray(2 * 1024**3)\nexcept MemoryError:\n    print('MemoryError')"
    printed, _ = asyncio.run(_run_in_kernel(code, Limits(memory_bytes=1 * GIB)))
    assert "MemoryError" in "".join(printed)


def test_processes_started_by_the_kernel_die_with_it():
    marker = "sleep 987653"
    code = f"""
import os, subprocess
subprocess.Popen({marker.split()!r}, start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", {marker.split()!r})
    os._exit(0)
print("started")
"""
    printed, _ = asyncio.run(_run_in_kernel(code))
    assert "started" in "".join(printed)
    found = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True, check=False)
    assert found.stdout.strip() == ""


def test_a_closed_sandbox_leaves_no_process_cgroup_or_folder():
    sandbox = Sandbox()
    process = subprocess.Popen(["sleep", "987650"], preexec_fn=sandbox.apply_limits)
    sandbox.close()
    assert process.wait(timeout=5) == -signal.SIGKILL
    assert not sandbox.root.exists()
    assert sandbox.cgroup is not None and not sandbox.cgroup.exists()


def test_what_a_killed_grader_left_running_is_swept_by_the_next_sandbox():
    """SIGKILL gives a grader no chance to clean up, and bwrap's --die-with-parent is racy (bubblewrap #633).

    A grading process makes a sandbox, starts a process in it that no parent-death signal reaches
    (its own session), and is killed; the next sandbox made kills that process and deletes what is left.
    """
    marker = "sleep 987651"
    script = f"""
import subprocess, time
from autograder.sandbox import Sandbox
sandbox = Sandbox()
subprocess.Popen({marker.split()!r}, preexec_fn=sandbox.apply_limits, start_new_session=True)
print(sandbox.root, sandbox.cgroup, flush=True)
time.sleep(600)
"""
    grader = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    folder, cgroup = grader.stdout.readline().split()
    grader.kill()
    grader.wait()
    Sandbox().close()
    found = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True, check=False)
    assert found.stdout.strip() == ""
    assert not Path(folder).exists()
    assert not Path(cgroup).exists()


def test_a_fork_bomb_hits_the_process_limit():
    code = """
import os
count = 0
try:
    for _ in range(2000):
        if os.fork() == 0:
            os.execvp("sleep", ["sleep", "987652"])
        count += 1
except OSError:
    print("stopped after", count)
"""
    printed, _ = asyncio.run(_run_in_kernel(code, Limits(processes=64)))
    assert "stopped after" in "".join(printed)
    assert int("".join(printed).split()[-1]) < 64


def test_memory_backed_folders_are_small():
    code = """
for folder in ("/tmp", "/dev/shm"):
    try:
        with open(f"{folder}/filler", "wb") as handle:
            for _ in range(1024):
                handle.write(bytes(1024**2))
        print(folder, "took 1 GiB")
    except OSError as error:
        print(folder, "full:", error.strerror)
"""
    printed, _ = asyncio.run(_run_in_kernel(code))
    text = "".join(printed)
    assert "/tmp full" in text and "/dev/shm full" in text, text


def test_course_grade_refuses_loudly_without_the_sandbox(monkeypatch, tmp_path):
    import io

    from nbgrader.api import Gradebook
    from rich.console import Console

    import autograder.batch as batch
    from autograder.errors import SandboxMissing

    monkeypatch.setattr(sandbox_module, "bubblewrap", lambda: None)
    monkeypatch.setattr(batch, "bubblewrap", lambda: None)
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        gradebook.add_assignment("01_normal_mle")
    (tmp_path / "submitted" / "ada" / "01_normal_mle").mkdir(parents=True)
    printed = io.StringIO()
    with pytest.raises(SandboxMissing, match="Refusing to grade without the sandbox"):
        batch.grade_class(tmp_path, "01_normal_mle", Console(file=printed, width=200))
    assert "MISSING" in printed.getvalue() and "course files hidden" in printed.getvalue()


def test_binds_come_after_the_memory_backed_folders():
    # A course or virtual environment under /tmp or /home must stay visible inside the sandbox.
    sandbox = Sandbox()
    try:
        arguments = sandbox.command(["python"])
    finally:
        sandbox.close()
    memory_backed = ("/home", "/tmp", "/dev/shm")  # a hidden package's empty folder comes after the binds, on purpose
    last_tmpfs = max(
        i for i, argument in enumerate(arguments) if argument == "--tmpfs" and arguments[i + 1] in memory_backed
    )
    first_bind = min(
        i
        for i, argument in enumerate(arguments)
        if argument in ("--bind", "--ro-bind-try")
        or (argument == "--ro-bind" and arguments[i + 1] not in ("/usr", "/bin", "/lib", "/lib64", "/sbin"))
    )
    assert first_bind > last_tmpfs


def test_no_mount_point_lies_in_a_folder_the_kernel_keeps():
    """bubblewrap (as root) makes each mount point whenever a kernel (re)starts. In a folder the kernel
    wrote before a restart, a path to one could go through a link it planted to the host's folders."""
    sandbox = Sandbox()
    try:
        arguments = sandbox.command(["python"])
    finally:
        sandbox.close()
    kinds = ("--bind", "--ro-bind", "--ro-bind-try")
    binds = [(kind, arguments[i + 2]) for i, kind in enumerate(arguments) if kind in kinds]
    writable = [target for kind, target in binds if kind == "--bind"]
    assert writable, "the kernel has no folder of its own"
    assert [target for _, target in binds for folder in writable if target.startswith(folder + "/")] == []


PRIVILEGE_PROBE = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
WRITABLE_AGAIN = 32 | 4096 | 2 | 4  # MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV, without MS_RDONLY
points = [line.split()[4] for line in open("/proc/self/mountinfo")]
writable = [p for p in points if libc.mount(None, p.encode(), None, WRITABLE_AGAIN, None) == 0]
capabilities = open("/proc/self/status").read().split("CapEff:")[1].split()[0]
nested = libc.unshare(0x10000000) == 0  # CLONE_NEWUSER: a namespace where it would be root again
print("MOUNTS", len(points), "REMOUNTED", writable, "UID", os.getuid(), "CAPS", capabilities, "NESTED", nested)
"""


def test_the_kernel_has_no_privilege_to_remount_or_regain():
    # Run by root, bubblewrap used to leave the kernel every capability of its user namespace: it
    # remounted the venv writable and planted a .pth file that every later kernel and grader imported.
    printed, _ = asyncio.run(_run_in_kernel(PRIVILEGE_PROBE))
    report = "".join(printed)
    assert "MOUNTS" in report, report
    assert "REMOUNTED []" in report and "UID 65534" in report, report
    assert "CAPS 0000000000000000" in report and "NESTED False" in report, report


# -- bounded resources: disk, CPU, leftovers, the sweep, a submission's files ---------------------------


def test_the_kernel_writes_nowhere_but_its_bounded_space():
    """Every folder the kernel can write in stops it with ENOSPC, all of them together at the bound."""
    limits = Limits(disk_bytes=128 * MIB)
    code = f"""
import json, os
written, errors = {{}}, {{}}
for line in open("/proc/self/mountinfo"):
    point = line.split()[4]
    done = 0
    try:
        while done < {4 * limits.disk_bytes}:
            with open(os.path.join(point, f"filler-{{done}}"), "wb") as handle:
                handle.write(bytes({8 * MIB}))
            done += {8 * MIB}
    except OSError as error:
        errors[point] = error.strerror
    if done:
        written[point] = done
print(json.dumps({{"written": written, "errors": errors}}))
"""
    free: list[int] = []

    def host_free(_sandbox: Sandbox) -> None:
        free.append(shutil.disk_usage(tempfile.gettempdir()).free)

    free.append(shutil.disk_usage(tempfile.gettempdir()).free)
    printed, sandbox = asyncio.run(_run_in_kernel(code, limits, then=host_free))
    report = json.loads("".join(printed))
    written, errors = report["written"], report["errors"]
    full = {point for point, error in errors.items() if error == "No space left on device"}
    assert {HOME, "/tmp", "/dev/shm", str(sandbox.run)} <= full, errors
    assert set(written) <= full, (written, errors)  # any other folder is read-only, or not a folder
    assert sum(written.values()) <= limits.disk_bytes, written
    assert free[0] - free[1] < limits.disk_bytes, "the kernel's writes reached the host's disk"


def test_many_spinning_processes_get_the_sandbox_cpu_quota_between_them():
    """Eight shells spinning for 3 s on a tenth of a core: their CPU time stays near the quota.

    Stated loosely (a quarter of a core, plus 0.3 s), so a loaded machine cannot make it fail;
    without the quota they take what the machine has, 6 s on two idle cores.
    """
    sandbox = Sandbox(Limits(cpu_cores=0.1))
    spin = ["timeout", "3", "sh", "-c", "while :; do :; done"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    try:
        spinners = [subprocess.Popen(spin, preexec_fn=sandbox.apply_limits) for _ in range(8)]
        for spinner in spinners:
            spinner.wait(timeout=120)
    finally:
        sandbox.close()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    assert used <= 0.25 * wall + 0.3, f"{used:.1f} s of CPU in {wall:.1f} s"


def test_a_grading_process_leaves_no_folder_behind(tmp_path):
    """Sandboxes and the font cache they share leave nothing in the temporary folder."""
    script = "from autograder.sandbox import Sandbox\nfor _ in range(2):\n    Sandbox().close()"
    environment = {**os.environ, "TMPDIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, check=True)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_cgroup_limits_are_written_for_cgroup_v1_and_v2(tmp_path, version):
    """The limit files of each version, in a folder standing in for a cgroup (this machine has one version)."""
    files = {
        "v1": {"memory.limit_in_bytes": "", "memory.memsw.limit_in_bytes": "", "cpu.cfs_period_us": "50000"},
        "v2": {"cgroup.controllers": "", "memory.max": "", "memory.swap.max": "", "cpu.max": ""},
    }[version]
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    sandbox = Sandbox(Limits(memory_bytes=GIB, disk_bytes=256 * MIB, processes=64, cpu_cores=0.5))
    try:
        for controller in ("pids", "memory", "cpu"):
            sandbox._set_limit(controller, tmp_path)
    finally:
        sandbox.close()
    written = {p.name: p.read_text() for p in tmp_path.iterdir()}
    assert written["pids.max"] == "64"
    if version == "v1":
        assert written["memory.limit_in_bytes"] == written["memory.memsw.limit_in_bytes"] == str(GIB + 256 * MIB)
        assert written["cpu.cfs_quota_us"] == "25000"
    else:
        assert written["memory.max"] == str(GIB + 256 * MIB) and written["memory.swap.max"] == "0"
        assert written["cpu.max"] == "50000 100000"


@pytest.mark.skipif(sandbox_module.bounded_space() is not None, reason="mounting a tmpfs needs root")
def test_the_sweep_deletes_only_real_folders_of_its_own(tmp_path, monkeypatch):
    """Anyone can plant a name in /tmp: the sweep follows no link and deletes no other user's folder."""
    dead = subprocess.Popen(["true"])
    dead.wait()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious")
    link = tmp_path / f"{sandbox_module.FOLDER_PREFIX}{dead.pid}-link"
    link.symlink_to(victim)
    theirs = tmp_path / f"{sandbox_module.FOLDER_PREFIX}{dead.pid}-theirs"
    theirs.mkdir()
    (theirs / "work.txt").write_text("another user's")
    os.chown(theirs, 65534, 65534)
    ours = tmp_path / f"{sandbox_module.FOLDER_PREFIX}{dead.pid}-ours"
    (ours / "space").mkdir(parents=True)
    sandbox_module._mount_tmpfs(ours / "space", MIB, 64)  # what a killed grader's sandbox leaves mounted
    (ours / "space" / "escape").symlink_to(victim)
    try:
        sandbox_module.sweep_stale_sandboxes()
        assert (victim / "keep.txt").read_text() == "precious"
        assert link.is_symlink() and (theirs / "work.txt").exists()
        assert not ours.exists()
        assert sandbox_module._mounts_under(tmp_path) == []
    finally:
        sandbox_module._unmount_under(tmp_path)


def test_only_bounded_regular_files_are_copied_from_a_submission_folder(tmp_path):
    """Links, pipes, devices, a huge sparse file, a deep tree and a flood of files: no hang, nothing raised."""
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "data.csv").write_text("x\n1.5\n")
    (folder / "normal_mle.ipynb").write_text("{}")
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "old.csv").write_text("old")
    os.close(os.open(os.fsencode(folder) + b"/odd\nname\xff.csv", os.O_WRONLY | os.O_CREAT, 0o600))
    (folder / "passwd").symlink_to("/etc/passwd")
    (folder / "etc").symlink_to("/etc")
    os.mkfifo(folder / "pipe.csv")
    if os.geteuid() == 0:
        os.mknod(folder / "zero.csv", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero: never ends
    with open(folder / "sparse.csv", "wb") as sparse:
        sparse.truncate(10 * GIB)
    deep_tree(folder, 10_000, name="d")
    (folder / "many").mkdir()
    for index in range(20_000):
        (folder / "many" / str(index)).touch()
    work = tmp_path / "work"
    work.mkdir()
    budget = 64 * MIB
    notes: list[str] = []
    copying = threading.Thread(target=lambda: notes.extend(sandbox_module._copy_data_files(folder, work, budget)))
    try:
        copying.start()
        copying.join(timeout=120)
        assert not copying.is_alive(), "copying the submission's files hangs"
        copied = {os.fsencode(p.relative_to(work)) for p in work.rglob("*") if p.is_file()}
        assert {b"data.csv", b"odd\nname\xff.csv"} <= copied
        assert not copied & {b"normal_mle.ipynb", b"passwd", b"pipe.csv", b"zero.csv", b"sparse.csv"}
        assert not any(p.is_symlink() or not (p.is_file() or p.is_dir()) for p in work.rglob("*"))
        assert sum(p.stat().st_size for p in work.rglob("*") if p.is_file()) <= budget
        assert len(list(work.rglob("*"))) <= sandbox_module.MAX_DATA_ENTRIES
        assert max(len(p.relative_to(work).parts) for p in work.rglob("*")) <= sandbox_module.MAX_DATA_DEPTH + 1
        text = "\n".join(notes)
        assert "sparse.csv" in text and "pipe.csv" in text and "copying stopped" in text, text
    finally:
        remove_deep_tree(folder, name="d")
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
