"""What a submission's text can do to the instructor's terminal: nothing."""

import io

from rich.console import Console
from rich.table import Table

from autograder.gradebook import Mark, render
from autograder.terminal import untrusted


def _printed(renderable) -> str:
    console = Console(file=io.StringIO(), width=200, force_terminal=True, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


def test_markup_and_escape_sequences_are_printed_as_inert_text():
    hostile = "ok [/] [link=file:///etc/passwd]x[/link] \x1b]0;owned\x07 \x1b[2J\x9b31m end"
    table = Table()
    table.add_column("what happened")
    table.add_row(untrusted(hostile))
    shown = _printed(table)
    assert "[/]" in shown and "[link=file:///etc/passwd]" in shown  # literal, not markup
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown


def test_long_text_is_cut():
    assert len(untrusted("x" * 10_000, limit=50).plain) == 50


def test_the_gradebook_prints_hostile_student_ids_literally():
    table = {"[/]\x1b]0;owned\x07": {"normal_mle": Mark(3, 3)}}
    shown = _printed(render("01_normal_mle", table))
    assert "[/]" in shown and "\x1b]0" not in shown
