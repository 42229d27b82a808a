"""The process that every local grading worker is forked from: started first by ``course grade``.

It imports and warms the grader once (:mod:`autograder.warm_up`), so that no
worker pays those seconds again. It is a plain multiprocessing forkserver: a
clean process, not a fork of ``course grade``, so the workers inherit nothing
the command held. Started before ``course grade`` imports the grader itself,
it warms on one core while the command imports on the other.
"""

import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import os

from autograder.nbgrader_commands import ensure_venv_on_path

#: Imported (in this order) before the first fork; importing :mod:`autograder.warm_up` warms the process
PRELOAD = ("autograder.batch", "autograder.execute", "autograder.feedback", "scipy.stats", "autograder.warm_up")


def context() -> multiprocessing.context.BaseContext:
    """The multiprocessing context whose processes fork from the warmed server."""
    forkserver = multiprocessing.get_context("forkserver")
    forkserver.set_forkserver_preload(list(PRELOAD))
    return forkserver


#: The environment the running server was started with: workers inherit the server's, not this process's
_started_with: dict[str, str] | None = None


def start() -> None:
    """Start the server if it is not running (it warms in the background); costs this process nothing.

    ``course grade`` starts it before loading the course's configuration, which is Python and may set
    environment variables; called again after that, it starts a fresh server if the environment changed.
    """
    global _started_with
    ensure_venv_on_path()  # nbgrader runs alembic as a subprocess: the server and its workers need the venv's bin
    context()
    if _started_with is not None and _started_with != dict(os.environ):
        multiprocessing.forkserver._forkserver._stop()  # the standard library's own way to stop its server
    multiprocessing.forkserver.ensure_running()
    _started_with = dict(os.environ)
