"""A real Dask cluster on loopback for tests and benchmarks: one ``dask scheduler`` and its ``dask worker`` processes.

Nothing assumes a port is free: the scheduler binds port 0 and writes the
address it got into its scheduler file, which the workers and the client read.
Workers run without a nanny, so a worker killed with SIGKILL stays dead (a
nanny would start it again) and its tasks must run elsewhere.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

DASK = str(Path(sys.executable).with_name("dask"))


@dataclass
class LoopbackCluster:
    """The processes of a running loopback cluster and where to reach it."""

    folder: Path
    scheduler: subprocess.Popen
    address: str = ""
    workers: list[subprocess.Popen] = field(default_factory=list)

    def add_worker(self, name: str) -> subprocess.Popen:
        """Start one worker of one thread, without a nanny, its output in ``folder/<name>.log``."""
        log = (self.folder / f"{name}.log").open("w")
        command = [DASK, "worker", "--scheduler-file", str(self.folder / "scheduler.json")]
        command += ["--nthreads", "1", "--no-nanny", "--no-dashboard", "--host", "127.0.0.1", "--name", name]
        command += ["--local-directory", str(self.folder / name)]
        worker = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=_env(), start_new_session=True)
        self.workers.append(worker)
        return worker

    def wait_for_workers(self, count: int, timeout: float = 120) -> None:
        """Wait until the scheduler knows ``count`` workers (raise with the logs' ends if it does not)."""
        from distributed import Client

        with Client(self.address, timeout="30s", set_as_default=False) as client:
            try:
                client.wait_for_workers(count, timeout=timeout)
            except TimeoutError:
                raise RuntimeError(f"{count} Dask workers did not start: {self.logs()}") from None

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.folder.glob("*.log")))

    def stop(self) -> None:
        """Stop every process this cluster started (SIGTERM, then SIGKILL), each by its own id."""
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.workers, self.scheduler]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _env() -> dict[str, str]:
    """The venv first on PATH (nbgrader runs alembic) and Dask's own warnings kept out of the logs' way."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["DASK_DISTRIBUTED__WORKER__DAEMON"] = "False"
    return env


def start_cluster(folder: Path, workers: int = 2, timeout: float = 60) -> LoopbackCluster:
    """A scheduler on 127.0.0.1 (a port the system picks) and ``workers`` workers, ready to take tasks."""
    folder.mkdir(parents=True, exist_ok=True)
    scheduler_file = folder / "scheduler.json"
    log = (folder / "scheduler.log").open("w")
    command = [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"]
    command += ["--scheduler-file", str(scheduler_file)]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=_env(), start_new_session=True)
    cluster = LoopbackCluster(folder, process)
    deadline = time.monotonic() + timeout
    while not cluster.address:
        if process.poll() is not None or time.monotonic() > deadline:
            cluster.stop()
            raise RuntimeError(f"the Dask scheduler did not start: {cluster.logs()}")
        try:
            cluster.address = json.loads(scheduler_file.read_text())["address"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.2)
    try:
        for n in range(workers):
            cluster.add_worker(f"worker-{n}")
        cluster.wait_for_workers(workers)
    except BaseException:
        cluster.stop()
        raise
    return cluster
