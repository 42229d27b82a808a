"""Fault: the normal_mle cell sends, through the kernel's own session, outputs whose fields have shapes later
steps do not expect: a stream's text as a list of lines (nbformat accepts it, nbgrader's LimitOutput calls
``text.split`` on it and stock nbgrader grades nothing), as a number, an object or null; a stream named
neither stdout nor stderr; display data as a list, with nested lists, numbers, NaN and a lone surrogate
(which no UTF-8 file can hold) as values; metadata that is a string; execution counts that are a string, a
boolean or huge; an error whose fields are not strings; odd display ids; a status with no state; a type no
frontend knows. Each becomes a well-formed output or a short note: Ada's right answers keep every mark."""

import numpy as np
from IPython import get_ipython

BASE = "../../../../samples/01_normal_mle/ada_correct"


def _send(msg_type, content):
    kernel = get_ipython().kernel
    kernel.session.send(kernel.iopub_socket, msg_type, content=content, parent=kernel.get_parent())


def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    return float(x.mean()), float(x.std())


_send("clear_output", {"wait": [1]})  # clears the cell before its next output: nothing yet
_send("stream", {"name": "stdout", "text": ["hello\n", "world\n"]})
_send("stream", {"name": "stdout", "text": 5})
_send("stream", {"name": "stderr", "text": {"a": [1]}})
_send("stream", {"name": "stdout", "text": None})
_send("stream", {"name": "<b>stdin</b>", "text": "a stream of another name\n"})
_send("stream", {"name": ["stdout"], "text": ["a", 1]})
_send("stream", {"output_type": "error", "text": "a stream that says it is an error\n"})
_send("display_data", {"data": ["text/plain", "x"], "metadata": {}})
_send("display_data", {"data": {"text/plain": [["nested"]], "text/html": 5, "image/png": None}, "metadata": []})
_send("display_data", {"data": {"text/plain": "shown", "application/json": [1, {"a": None}]}, "metadata": "odd"})
_send("display_data", {"data": {"text/plain": "first"}, "metadata": {}, "transient": {"display_id": "d"}})
_send("update_display_data", {"data": ["updated"], "metadata": {}, "transient": {"display_id": "d"}})
_send("update_display_data", {"data": {"text/plain": ["up", "dated"]}, "metadata": 5, "transient": {"display_id": "d"}})
_send("display_data", {"data": {"text/plain": "x"}, "metadata": {}, "transient": {"display_id": ["a", "list"]}})
_send("display_data", {"data": {"text/plain": "x"}, "metadata": {}, "transient": "not an object"})
_send("execute_result", {"data": {"text/plain": "1"}, "metadata": {}, "execution_count": "7"})
_send("execute_result", {"data": {"text/plain": "2"}, "metadata": {}, "execution_count": True})
_send("execute_result", {"data": {"text/plain": "3"}, "metadata": {}, "execution_count": 10**30})
_send("error", {"ename": 5, "evalue": None, "traceback": "not a list"})
_send("error", {"ename": ["E"], "evalue": {"v": 1}, "traceback": [1, None, ["x"]]})
_send("status", {})
_send("no_such_type", {"text": "x", "data": {"text/plain": "y"}})
# Raw JSON text, as the session sends it: NaN and a lone surrogate, which Python's own encoder refuses.
_send("stream", b'{"name": "stdout", "text": "a lone surrogate: \\ud800\\n"}')
_send("display_data", b'{"data": {"text/plain": "\\udfff", "application/json": {"x": NaN}}, "metadata": {"m": NaN}}')
_send("execute_result", b'{"data": {"text/plain": "4"}, "metadata": {}, "execution_count": -Infinity}')
