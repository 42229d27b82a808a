"""Fault: the normal_mle cell plants startup code and configuration for every later kernel (IPython startup
and kernel config, Jupyter config, matplotlibrc, user site-packages, sitecustomize and a fake
ipykernel_launcher in the working folder), each of which kills a kernel as it starts; then normal_mle
kills its kernel when the grader calls it, so the grader must restart it. The restarted kernels must not
read any of it: simulate_sigma2_hat, graded after two restarts, keeps its marks."""

import os
import sys

BASE = "../../../../samples/01_normal_mle/ada_correct"

_BOMB = "import os\nos._exit(7)\n"


def _plant(path, text=_BOMB):
    path = os.path.expanduser(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)


def normal_mle(x):
    os._exit(3)


_site = f"~/.local/lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages"
for _path in (
    "~/.ipython/profile_default/startup/00-bomb.py",
    "~/.ipython/profile_default/ipython_kernel_config.py",
    "~/.ipython/profile_default/ipython_config.py",
    "~/.jupyter/ipython_kernel_config.py",
    "~/.jupyter/jupyter_config.py",
    f"{_site}/usercustomize.py",
    f"{_site}/sitecustomize.py",
    "ipykernel_launcher.py",
    "sitecustomize.py",
    "usercustomize.py",
    "/tmp/ipython/profile_default/startup/00-bomb.py",
):
    try:
        _plant(_path)
    except OSError:
        pass
try:
    _plant(f"{_site}/bomb.pth", "import os; os._exit(8)\n")
    _plant("~/.config/matplotlib/matplotlibrc", "backend: module://no_such_backend\n")
except OSError:
    pass
