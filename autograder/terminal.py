"""Text that came from a submission, made safe to print in the instructor's terminal.

Rich parses ``[...]`` in plain strings as markup (a stray ``[/]`` raises
``MarkupError``) and passes escape sequences through to the terminal (an OSC
sequence can retitle the window, others can rewrite what is on screen). Every
string a learner can influence (student ids, file names, error messages) is
printed through :func:`untrusted`.
"""

import re

from rich.text import Text

#: C0 and C1 control characters other than newline and tab, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def untrusted(value: object, limit: int = 300) -> Text:
    """``value`` as literal text (no markup), without control characters, at most ``limit`` characters."""
    text = _CONTROL.sub("\N{REPLACEMENT CHARACTER}", str(value))
    return Text(text if len(text) <= limit else text[: limit - 1] + "…")
