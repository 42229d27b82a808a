"""Settings in one place: each knob declared once, documented in the README as the code declares it, and
reaching what it limits; the course's configuration restates no default."""

from __future__ import annotations

import importlib
import inspect

import pytest
from nbgrader.preprocessors import Execute
from traitlets.config import Config, PyFileConfigLoader

from autograder.execute import HardenedExecute, sandbox_required
from autograder.folders import DEFAULT_BOUNDS, Bounds
from autograder.sandbox import Limits
from autograder.settings import (
    MIB,
    TABLE_END,
    TABLE_START,
    CourseGrading,
    NotebookLimits,
    own_settings,
    sections,
    settings_table,
    with_table,
)
from tests.conftest import ROOT


def test_the_readme_shows_the_settings_the_code_declares():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split(TABLE_START + "\n", 1)[1].split("\n" + TABLE_END, 1)[0]
    assert table == settings_table(), "run `python -m autograder.settings --write README.md`"
    assert with_table(readme) == readme


def test_every_setting_has_help_and_appears_in_the_table():
    table = settings_table()
    for section, cls in sections().items():
        for name, trait in own_settings(cls).items():
            assert len(trait.help.split()) >= 4, f"{section}.{name} needs a help text"
            assert f"`c.{section}.{name}`" in table


#: Settings the course's code declares that are not in the table, and why: each is a fixed choice of safe
#: grading, declared as a trait only to override its library's default, not a knob to tune.
NOT_LISTED = {
    "HardenedExecute.store_widget_state": "nbclient's: widget state is never kept while grading",
    "HardenedExecute.shutdown_kernel": "nbclient's: the kernel is killed once the last cell has run",
    "SanitizeNotebook.enabled": "nbconvert's switch of every preprocessor: the sanitiser is never off",
}


def test_every_setting_the_course_declares_is_in_the_table():
    """Any class of autograder/ with settings of its own is a section of the table (a new one cannot be forgotten)."""
    listed = {f"{section}.{name}" for section, cls in sections().items() for name in own_settings(cls)}
    declared = set()
    for path in sorted((ROOT / "autograder").rglob("*.py")):
        if "config=True" not in path.read_text(encoding="utf-8"):
            continue
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for cls in vars(module).values():
            if inspect.isclass(cls) and cls.__module__ == module.__name__ and hasattr(cls, "class_own_traits"):
                declared |= {f"{cls.__name__}.{name}" for name in own_settings(cls)}
    declared = {name.replace("NotebookLimits.", "HardenedExecute.", 1) for name in declared}
    assert declared - listed == set(NOT_LISTED)
    assert listed <= declared


def test_the_defaults_outside_configured_objects_are_the_settings_defaults():
    """Limits and Bounds read their defaults from the traits: built from a default configuration they agree."""
    assert Limits() == Limits.from_settings(HardenedExecute(config=Config()))
    assert Bounds() == DEFAULT_BOUNDS == CourseGrading(config=Config()).bounds()


def test_the_course_configuration_restates_no_default():
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    for section, cls in [*sections().items(), ("Execute", HardenedExecute)]:
        traits = cls.class_traits(config=True)
        for name, value in config[section].items():
            if name in traits:
                assert value != traits[name].default_value, f"c.{section}.{name} restates its default"


def test_configured_bounds_and_workers_reach_the_batch():
    config = Config()
    config.CourseGrading.max_files = 3
    config.CourseGrading.max_file_mib = 2
    config.CourseGrading.workers = 5
    grading = CourseGrading(config=config)
    assert grading.workers == 5
    bounds = grading.bounds()
    assert (bounds.files, bounds.file_bytes) == (3, 2 * MIB)
    assert bounds.total_bytes == DEFAULT_BOUNDS.total_bytes


@pytest.mark.parametrize("required", [True, False])
def test_require_sandbox_is_read_from_the_configuration(required):
    config = Config()
    if not required:
        config.HardenedExecute.require_sandbox = False
    assert sandbox_required(config) is required


def test_the_cell_time_is_nbgraders_own_setting_with_the_course_default():
    default = NotebookLimits.class_traits()["timeout"].default_value
    assert HardenedExecute(config=Config()).timeout == default != Execute.class_traits()["timeout"].default_value
    config = Config()
    config.Execute.timeout = 8  # nbgrader's own section still sets it
    assert HardenedExecute(config=config).timeout == 8
