"""The limits an instructor sets in nbgrader_config.py reach each notebook's sandbox."""

import nbformat
import pytest
from traitlets.config import Config

import autograder.execute as execute_module
from autograder.execute import HardenedExecute
from autograder.settings import MIB


class _Captured(Exception):
    pass


def test_configured_limits_reach_the_sandbox(monkeypatch):
    seen = {}

    def capture(limits, **kwargs):
        seen["limits"], seen["kwargs"] = limits, kwargs
        raise _Captured

    monkeypatch.setattr(execute_module, "Sandbox", capture)
    config = Config()
    config.HardenedExecute.memory_limit_mib = 1000
    config.HardenedExecute.max_processes = 17
    config.HardenedExecute.disk_limit_mib = 96
    config.HardenedExecute.cpu_limit_cores = 0.5
    config.HardenedExecute.cpu_time_limit_seconds = 70
    config.HardenedExecute.max_file_mib = 9
    config.HardenedExecute.scratch_mib = 11
    config.HardenedExecute.require_sandbox = False
    config.HardenedExecute.render_figures = True
    with pytest.raises(_Captured):
        HardenedExecute(config=config).preprocess(nbformat.v4.new_notebook(), {"metadata": {"path": "."}})
    limits = seen["limits"]
    assert (limits.memory_bytes, limits.processes) == (1000 * MIB, 17)
    assert (limits.disk_bytes, limits.cpu_cores) == (96 * MIB, 0.5)
    assert (limits.cpu_seconds, limits.file_bytes, limits.scratch_bytes) == (70, 9 * MIB, 11 * MIB)
    assert seen["kwargs"]["require"] is False and seen["kwargs"]["figures"] is True
