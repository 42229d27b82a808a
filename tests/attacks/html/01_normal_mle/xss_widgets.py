"""Stored script injection through widgets: Ada's right answers, and the normal_mle cell displays an
ipywidgets HTML widget and a Label whose values are the payload (a widget view in the outputs; the
widget's state, if a grader kept it, in the notebook's metadata) and an Output widget that captures HTML."""

import ipywidgets
import numpy as np
from IPython.display import HTML, display

BASE = "../../../../samples/01_normal_mle/ada_correct"


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std())


MARK = "window.name+='|xss:widget';document.title='xss:widget';console.log('XSS-RAN widget')"
display(ipywidgets.HTML(value=f'<img src=x onerror="{MARK}">'))
display(ipywidgets.HTMLMath(value=f'<svg onload="{MARK}"></svg> $x$'))
captured = ipywidgets.Output()
with captured:
    display(HTML(f'<img src=x onerror="{MARK}">'))
display(captured)
