"""nbgrader's configuration, read by ``course`` from where nbgrader reads it and with nbgrader's precedence.

A JupyterHub keeps settings in the Jupyter config paths (``/etc/jupyter``,
``JUPYTER_CONFIG_DIR``, ``JUPYTER_CONFIG_PATH``), a course folder in its own
``nbgrader_config.py``, and ``--config FILE`` replaces the former. Stock
nbgrader is the oracle where it can be: ``nbgrader generate_assignment`` run
under the same environment writes the gradebook that ``course grade`` must use.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jupyter_core.paths import jupyter_config_path
from nbgrader.api import Gradebook

from autograder.configuration import load_course_config
from autograder.demo import prepare_course
from autograder.errors import BadConfig, NotACourse
from autograder.nbgrader_commands import nbgrader_env
from tests.conftest import ROOT

ASSIGNMENT = "01_normal_mle"
COURSE = Path(sys.executable).parent / "course"
DB_LINE = 'c.CourseDirectory.db_url = "sqlite:///gradebook.db"'


def _setting(folder: Path, text: str, name: str = "nbgrader_config.py") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f"c = get_config()  # noqa: F821\n{text}\n")
    return folder / name


@pytest.fixture
def jupyter_paths(tmp_path, monkeypatch):
    """Empty Jupyter config folders of this test only: JUPYTER_CONFIG_DIR's and JUPYTER_CONFIG_PATH's."""
    first, second = tmp_path / "config_dir", tmp_path / "config_path"
    first.mkdir()
    second.mkdir()
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(first))
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(second))
    return first, second


@pytest.fixture
def course(tmp_path) -> Path:
    prepare_course(ROOT, tmp_path / "course")
    return tmp_path / "course"


def test_a_setting_only_in_a_jupyter_config_path_is_read(course, jupyter_paths):
    _setting(jupyter_paths[1], "c.Hub.setting = 'from /etc/jupyter'")
    assert load_course_config(course).Hub.setting == "from /etc/jupyter"


def test_the_config_path_jupyter_lists_first_wins(course, jupyter_paths):
    """jupyter_core's own order is the oracle (JUPYTER_CONFIG_PATH comes before JUPYTER_CONFIG_DIR)."""
    order = jupyter_config_path()
    first, second = sorted(jupyter_paths, key=lambda folder: order.index(str(folder)))
    _setting(first, "c.Hub.setting = 'first'")
    _setting(second, "c.Hub.setting = 'second'\nc.Hub.other = 'second'")
    config = load_course_config(course)
    assert (config.Hub.setting, config.Hub.other) == ("first", "second")


def test_the_course_s_own_configuration_wins_over_the_jupyter_paths(course, jupyter_paths):
    _setting(jupyter_paths[0], "c.CourseDirectory.course_id = 'hub'\nc.Hub.setting = 'kept'")
    config = load_course_config(course)
    assert config.CourseDirectory.course_id == "mle-course"  # the course's nbgrader_config.py says so
    assert config.Hub.setting == "kept"


def test_a_config_file_replaces_the_jupyter_paths_nbgrader_config(course, jupyter_paths, tmp_path):
    _setting(jupyter_paths[0], "c.Hub.setting = 'jupyter path'\nc.Hub.only_there = 1")
    _setting(jupyter_paths[0], "c.Hub.base = 'jupyter_config'", name="jupyter_config.py")
    chosen = _setting(tmp_path / "elsewhere", "c.Hub.setting = 'given'", name="grading.py")
    config = load_course_config(course, chosen)
    assert config.Hub.setting == "given"
    assert "only_there" not in config.Hub
    assert config.Hub.base == "jupyter_config"  # jupyter_config.py is read from the paths whatever --config says


def test_the_course_root_is_the_folder_given_whatever_a_config_says(course, jupyter_paths, tmp_path):
    _setting(jupyter_paths[0], f"c.CourseDirectory.root = {str(tmp_path / 'other')!r}")
    assert load_course_config(course).CourseDirectory.root == str(course)


def test_a_missing_or_broken_configuration_is_an_error_that_names_it(course, tmp_path, jupyter_paths):
    with pytest.raises(BadConfig, match=r"No configuration file .*nosuch\.py: check the path given to --config"):
        load_course_config(course, tmp_path / "nosuch.py")
    broken = _setting(jupyter_paths[0], "c.Hub.x = (")
    with pytest.raises(BadConfig, match=r"could not be loaded .*SyntaxError"):
        load_course_config(course)
    broken.unlink()
    with pytest.raises(NotACourse):
        load_course_config(tmp_path)


# --- course grade obeys a setting kept only outside the course folder, as stock nbgrader does -----------------


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """A course whose gradebook is named only in a Jupyter config path (JupyterHub's /etc/jupyter), released there."""
    where = tmp_path_factory.mktemp("hub")
    course = where / "course"
    prepare_course(ROOT, course)
    config = (course / "nbgrader_config.py").read_text()
    assert config.count(DB_LINE) == 1
    (course / "nbgrader_config.py").write_text(config.replace(DB_LINE, ""))
    gradebook = where / "shared" / "hub_gradebook.db"
    gradebook.parent.mkdir()
    _setting(where / "etc_jupyter", f"c.CourseDirectory.db_url = 'sqlite:///{gradebook}'")
    env = nbgrader_env() | {"JUPYTER_CONFIG_DIR": str(where / "etc_jupyter"), "JUPYTER_CONFIG_PATH": ""}
    released = subprocess.run([COURSE, "release", ASSIGNMENT], cwd=course, env=env, capture_output=True, text=True)
    assert released.returncode == 0, released.stdout + released.stderr
    assert gradebook.is_file() and not (course / "gradebook.db").exists()  # stock nbgrader obeyed the setting
    return course, gradebook, env


def _students(gradebook: Path) -> list[str]:
    with Gradebook(f"sqlite:///{gradebook}") as opened:
        return sorted(s.id for s in opened.students)


def test_course_grade_obeys_a_setting_only_in_a_jupyter_config_path(hub, tmp_path):
    course = Path(shutil.copytree(hub[0], tmp_path / "course", symlinks=True))
    _, gradebook, env = hub
    for student in ("ada", "bob"):  # no notebook: each is zeroed, without a kernel
        (course / "submitted" / student / ASSIGNMENT).mkdir(parents=True)
    done = subprocess.run([COURSE, "grade", ASSIGNMENT], cwd=course, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _students(gradebook) == ["ada", "bob"]
    assert not (course / "gradebook.db").exists()
    shown = subprocess.run(
        [COURSE, "--root", str(course), "gradebook", ASSIGNMENT], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    assert "│ ada" in shown.stdout and "│ bob" in shown.stdout


def test_course_grade_reads_a_config_file_given_with_config(hub, tmp_path):
    course = Path(shutil.copytree(hub[0], tmp_path / "course", symlinks=True))
    mine = tmp_path / "mine.db"
    shutil.copyfile(hub[1], mine)
    before = _students(hub[1])
    chosen = _setting(tmp_path, f"c.CourseDirectory.db_url = 'sqlite:///{mine}'", name="grading_config.py")
    (course / "submitted" / "cleo" / ASSIGNMENT).mkdir(parents=True)
    done = subprocess.run(
        [COURSE, "--config", str(chosen), "grade", ASSIGNMENT], cwd=course, env=hub[2], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "cleo" in _students(mine)
    assert _students(hub[1]) == before  # the Jupyter path's gradebook was not the one used
