"""nbgrader's configuration of a course, loaded by nbgrader's own loader, with ``nbgrader autograde``'s precedence.

From lowest to highest priority, as an nbgrader app run in the course folder reads them:

1. ``jupyter_config.py`` and ``nbgrader_config.py`` in the Jupyter config paths, a path that
   ``jupyter --paths`` lists earlier winning (``JUPYTER_CONFIG_PATH``, the environment's,
   ``JUPYTER_CONFIG_DIR``, the system's such as ``/etc/jupyter/nbgrader_config.py`` on a JupyterHub),
   or ``--config FILE`` in place of those ``nbgrader_config.py`` files;
2. the course's own ``nbgrader_config.py`` (in its root);
3. the course root itself, which is always the folder ``course`` was given.

Nothing here re-implements that order: an :class:`~nbgrader.apps.baseapp.NbGrader` app loads the files.
"""

from __future__ import annotations

import logging
from pathlib import Path

from nbgrader.apps.baseapp import NbGrader
from traitlets.config import Config

from autograder.errors import BadConfig, NotACourse

COURSE_CONFIG = "nbgrader_config.py"


class _ConfigReader(NbGrader):
    """An nbgrader app that only loads configuration: the same files, in the same order, as ``nbgrader autograde``.

    It reads the course root's configuration rather than the current folder's
    (``course --root`` names the course), and leaves ``sys.path`` alone.
    """

    name = "course"
    load_cwd_config = False

    def init_syspath(self) -> None:
        """nbgrader puts the current folder on ``sys.path``; the course's configuration imports installed code."""


def load_course_config(root: Path, config_file: Path | None = None) -> Config:
    """The configuration of the course in ``root``, as ``nbgrader autograde`` run there would load it.

    ``config_file`` is nbgrader's ``--JupyterApp.config_file``: read in place of
    the ``nbgrader_config.py`` files of the Jupyter config paths. Raises
    :class:`NotACourse` if ``root`` has no ``nbgrader_config.py``, and
    :class:`BadConfig` if ``config_file`` does not exist or a file cannot be loaded.
    """
    root = root.resolve()
    if not (root / COURSE_CONFIG).is_file():
        raise NotACourse(f"No {COURSE_CONFIG} in {root}: run `course` in the course's folder, or pass --root")
    if config_file is not None and not config_file.is_file():
        raise BadConfig(f"No configuration file {config_file}: check the path given to --config")
    reader = _ConfigReader(raise_config_file_errors=True, log_level=logging.CRITICAL)
    if config_file is not None:
        reader.config_file = str(config_file.resolve())
    try:
        reader.initialize([f"--CourseDirectory.root={root}"], root=str(root))
    except Exception as error:  # a configuration file is Python: any error it raises is the instructor's to fix
        loaded = ", ".join(reader.loaded_config_files) or "none"
        raise BadConfig(
            f"nbgrader's configuration could not be loaded ({type(error).__name__}: {error}); files loaded before "
            f"the error: {loaded}. Fix the file it names, then run the command again"
        ) from None
    config = Config(reader.config)
    config.CourseDirectory.root = str(root)
    return config
