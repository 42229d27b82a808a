"""The workers' server: what the grading workers inherit from ``course grade``."""

import os
from concurrent.futures import ProcessPoolExecutor

from autograder import worker_server


def _probe() -> str | None:
    return os.environ.get("MLE_COURSE_PROBE")


def test_workers_get_the_environment_that_the_configuration_left(monkeypatch):
    # `course grade` starts the server before it loads the course's configuration, which is Python and may set
    # environment variables (TMPDIR, JUPYTER_PATH, ...): the workers must see them, as they did before.
    worker_server.start()
    monkeypatch.setenv("MLE_COURSE_PROBE", "set by a configuration file")
    worker_server.start()  # what grade_class does once the configuration is loaded
    with ProcessPoolExecutor(max_workers=1, mp_context=worker_server.context()) as pool:
        assert pool.submit(_probe).result() == "set by a configuration file"
