"""``course report A``: how the class did on one assignment and where it went wrong, as one HTML page.

Every number is read, never worked out again by hand:

- marks, their maximum and the written answers still to mark come from nbgrader's gradebook
  (:func:`autograder.gradebook.marks`, any ``db_url``);
- which catalogued mistakes were named and which hidden cases failed come from the verdict summaries the
  grader wrote into each autograded notebook (``autograder_verdict``, :mod:`autograder.hidden_checks`),
  counted per learner;
- the submissions that could not be graded, and why, come from what ``course grade`` recorded
  (:mod:`autograder.records`) and from submission folders the gradebook has not seen.

Autograded notebooks hold learner output, so they are read as the grader reads a submission: regular files
within the course's bounds, JSON counted before it is parsed, links never followed; a summary counts only in
the grader's shape, in a cell the gradebook marks as that function's hidden test, naming a catalogued
mistake. The page is self-contained: its histograms are inline SVG drawn here, formulas are MathML written
with the page (:mod:`autograder.formulas`), every string from the gradebook or a notebook is escaped, and its
Content-Security-Policy lets nothing run and nothing load.
"""

from __future__ import annotations

import html
import json
import math
import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
from nbformat import NotebookNode
from rich.console import Console
from rich.progress import Progress
from traitlets.config import Config

from autograder import records
from autograder.batch import assignment_notebooks
from autograder.database import gradebook_url, require_gradebook
from autograder.errors import CourseError
from autograder.folders import Bounds, json_beyond, regular_file_bytes, safe_name, shown
from autograder.formulas import render_formulas
from autograder.functions import ASSIGNMENTS
from autograder.gradebook import Mark, marks
from autograder.hidden_checks import hidden_target
from autograder.outputs import SUMMARY_KEY, summary_is_plain
from autograder.restore import UnreadableNotebook
from autograder.settings import CourseGrading
from autograder.terminal import untrusted

#: The page runs no script and loads nothing; its only style is inline (as the similarity page).
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
#: Bars of a histogram at most: one per point up to this, wider bins beyond.
MAX_BINS = 40
#: Hidden cases listed under "failed most".
TOP_CASES = 20


class NothingToReport(CourseError):
    """The assignment has no graded submission to report on; the message names what to run first."""

    exit_code = 3


@dataclass(frozen=True)
class Histogram:
    """How many learners scored in each bin of one column: ``counts[i]`` in ``[edges[i], edges[i + 1])``."""

    title: str
    max_score: float
    edges: tuple[float, ...]
    counts: tuple[int, ...]


@dataclass(frozen=True)
class MistakeCount:
    """One catalogued mistake of one graded function and the learners whose feedback named it."""

    function: str
    name: str
    advice: str
    learners: tuple[str, ...]


@dataclass(frozen=True)
class FailedCase:
    """One hidden check (a case, a bad call or a property, by its label) and the learners who failed it."""

    function: str
    part: str
    label: str
    learners: tuple[str, ...]


@dataclass(frozen=True)
class ClassReport:
    """Everything the page shows about one assignment."""

    assignment: str
    marks: dict[str, dict[str, Mark]]
    histograms: tuple[Histogram, ...]
    mistakes: tuple[MistakeCount, ...]
    failed_cases: tuple[FailedCase, ...]
    not_graded: tuple[tuple[str, str], ...]  # (student, why): not in the gradebook
    with_a_word: tuple[tuple[str, str], ...]  # (student, what): graded, but the grader said something
    pending: dict[str, tuple[str, ...]]  # column -> learners whose answer is still to mark


def histogram(title: str, scores: Sequence[float], max_score: float) -> Histogram:
    """The scores counted in bins one point wide centred on each whole point (wider past MAX_BINS points)."""
    bins = max(1, min(math.ceil(max_score) + 1, MAX_BINS))
    width = max_score / (bins - 1) if bins > 1 else 1.0
    counts, edges = np.histogram(np.asarray(scores, dtype=float), bins=bins, range=(-width / 2, max_score + width / 2))
    return Histogram(title, max_score, tuple(float(e) for e in edges), tuple(int(c) for c in counts))


def _histograms(table: dict[str, dict[str, Mark]], functions: Sequence[str]) -> tuple[Histogram, ...]:
    """One histogram per graded function (the gradebook's columns), then one of the totals."""
    found = []
    for column in functions:
        row_marks = [row[column] for row in table.values() if column in row]
        if row_marks:
            most = max(mark.max_score for mark in row_marks)
            found.append(histogram(column, [mark.score for mark in row_marks], most))
    totals = [sum(mark.score for mark in row.values()) for row in table.values()]
    most = max((sum(mark.max_score for mark in row.values()) for row in table.values()), default=0.0)
    return (*found, histogram("total", totals, most)) if table else tuple(found)


def read_autograded(path: Path, bounds: Bounds) -> list[NotebookNode]:
    """The cells of an autograded notebook, read as a submission is: bounded, counted, never through a link.

    Read as plain JSON rather than with :func:`~autograder.restore.open_submitted_notebook`, which keeps
    only nbformat's own metadata and so drops the verdict summaries. Raises UnreadableNotebook, ValueError
    or OSError when it cannot be read so.
    """
    data = regular_file_bytes(path, bounds.file_bytes)
    beyond = json_beyond(data, bounds)  # before parsing costs memory
    if beyond:
        raise UnreadableNotebook(beyond)
    try:
        notebook = json.loads(data)
    except RecursionError:
        raise UnreadableNotebook("its JSON is nested too deeply") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise UnreadableNotebook("it is not a notebook (no list of cells)")
    return [nbformat.from_dict(cell) for cell in cells if isinstance(cell, dict)]


def verdicts(cells: Sequence[NotebookNode], assignment: str) -> list[dict]:
    """The grader's verdict summaries among ``cells``: in its shape, in the hidden test cell they describe."""
    found = []
    for cell in cells:
        metadata = cell.get("metadata")
        summary = metadata.get(SUMMARY_KEY) if isinstance(metadata, dict) else None
        if not summary_is_plain(summary):
            continue
        try:
            target = hidden_target(cell, assignment)
        except (AttributeError, KeyError, TypeError):  # nbgrader metadata of another shape: not a hidden cell
            continue
        if target is not None and (target[0].name, target[1]) == (summary["function"], summary["part"]):
            found.append(summary)
    return found


def _submitted_students(root: Path, assignment: str) -> list[str]:
    """Names of the folders of ``submitted/`` that hold ``assignment``, as course grade would see them."""
    try:
        names = sorted(entry.name for entry in os.scandir(root / "submitted"))
    except OSError:
        return []
    return [name for name in names if os.path.lexists(root / "submitted" / name / assignment)]


def _count_verdicts(
    autograded: Path,
    assignment: str,
    students: Sequence[str],
    notebooks: Sequence[str],
    bounds: Bounds,
    progress: Callable[[int], None] | None,
) -> tuple[dict[tuple[str, str], set[str]], dict[tuple[str, str, str], set[str]], list[tuple[str, str]]]:
    """Who was named each (function, mistake), who failed each (function, part, check), and notebooks not read."""
    declared = {function.name: function for function in ASSIGNMENTS.get(assignment, ())}
    named: dict[tuple[str, str], set[str]] = defaultdict(set)
    failed: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    unread: list[tuple[str, str]] = []
    if progress:
        progress(len(students))
    for student in students:
        for notebook in notebooks:
            path = autograded / student / assignment / f"{notebook}.ipynb"
            if not os.path.lexists(path):
                unread.append((student, f"no autograded {notebook}.ipynb: it was graded as missing"))
                continue
            try:
                cells = read_autograded(path, bounds)
            except (UnreadableNotebook, ValueError, OSError) as error:
                why = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
                unread.append((student, f"autograded {notebook}.ipynb could not be read ({why[:200]})"))
                continue
            for summary in verdicts(cells, assignment):
                function = declared[summary["function"]]
                catalogue = {mistake.name for mistake in function.mistakes}
                for name in summary["mistakes"]:
                    if name in catalogue:
                        named[function.name, name].add(student)
                for label in summary["failed"]:
                    failed[function.name, summary["part"], label].add(student)
        if progress:
            progress(0)
    return named, failed, unread


def _not_graded(
    root: Path, assignment: str, table: dict[str, dict[str, Mark]], submitted: Sequence[str]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(student, why) of submissions not in the gradebook, and (student, what) of graded ones with a word.

    From ``course grade``'s records, and the folders of ``submitted/`` neither it nor the gradebook has seen.
    """
    kept = records.read(root, assignment)
    not_graded = [
        (r.student, r.problems[-1] if r.problems else "not recorded") for r in kept.values() if not r.recorded
    ]
    not_graded += [
        (shown(name), f"not graded yet: run `course grade {assignment}`" if safe_name(name) else "not a student id")
        for name in submitted
        if name not in table and shown(name) not in kept
    ]
    with_a_word = [(r.student, problem) for r in kept.values() if r.recorded for problem in r.problems]
    return not_graded, with_a_word


def build_report(
    root: Path,
    assignment: str,
    db_url: str,
    bounds: Bounds,
    progress: Callable[[int], None] | None = None,
) -> ClassReport:
    """Read the gradebook, the autograded notebooks and the batch's records of ``assignment``.

    Raises :class:`~autograder.errors.UnknownAssignment` if the gradebook does not know it and
    :class:`NothingToReport` if nothing of it has been graded; ``progress`` is called with the number
    of learners to read, then once per learner read.
    """
    notebooks = [Path(name).stem for name in assignment_notebooks(db_url, assignment)]  # raises if unknown
    table = marks(db_url, assignment)
    submitted = _submitted_students(root, assignment)
    if not table:
        waiting = f" ({len(submitted)} in submitted/)" if submitted else ""
        raise NothingToReport(
            f"No submission of {assignment} is in the gradebook yet{waiting}: run `course grade {assignment}` first"
        )
    autograded = root / "autograded"
    if not any(os.path.isdir(autograded / student / assignment) for student in table):
        raise NothingToReport(
            f"No autograded notebooks of {assignment} in {autograded}: run `course grade {assignment}` first"
        )
    declared = {function.name: function for function in ASSIGNMENTS.get(assignment, ())}
    named, failed, unread = _count_verdicts(autograded, assignment, list(table), notebooks, bounds, progress)
    mistakes = tuple(
        MistakeCount(function.name, mistake.name, mistake.advice, tuple(sorted(named[function.name, mistake.name])))
        for function in declared.values()
        for mistake in function.mistakes
    )
    cases = sorted(
        (
            FailedCase(function, part, label, tuple(sorted(learners)))
            for (function, part, label), learners in failed.items()
        ),
        key=lambda case: (-len(case.learners), case.function, case.part, case.label),
    )
    not_graded, with_a_word = _not_graded(root, assignment, table, submitted)
    pending: dict[str, list[str]] = defaultdict(list)
    for student, row in table.items():
        for column, mark in row.items():
            if mark.pending:
                pending[column].append(student)
    return ClassReport(
        assignment=assignment,
        marks=table,
        histograms=_histograms(table, [name for name in declared if any(name in row for row in table.values())]),
        mistakes=mistakes,
        failed_cases=tuple(cases[:TOP_CASES]),
        not_graded=tuple(sorted(not_graded)),
        with_a_word=tuple(sorted(with_a_word + [note for note in unread if note[0] not in dict(with_a_word)])),
        pending={column: tuple(students) for column, students in sorted(pending.items())},
    )


# -- the page ----------------------------------------------------------------------------------------


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _points(value: float) -> str:
    return f"{value:.3g}"


def histogram_svg(figure: Histogram, width: int = 300, height: int = 170) -> str:
    """A histogram as inline SVG: one bar per bin, its count above it, the bin's centre below it."""
    left, bottom, top = 30, 34, 24
    bars = len(figure.counts)
    step = (width - left - 8) / bars
    tallest = max(max(figure.counts), 1)
    scale = (height - bottom - top) / tallest
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img' "
        f"aria-label='histogram of {_esc(figure.title)}'>",
        f"<text x='{width / 2:.0f}' y='14' text-anchor='middle' font-size='13' font-weight='bold'>"
        f"{_esc(figure.title)} (of {_points(figure.max_score)})</text>",
        f"<line x1='{left}' y1='{height - bottom}' x2='{width - 8}' y2='{height - bottom}' stroke='#555'/>",
    ]
    label_every = max(1, math.ceil(bars / 12))
    for index, count in enumerate(figure.counts):
        x = left + index * step
        bar = count * scale
        centre = (figure.edges[index] + figure.edges[index + 1]) / 2
        parts.append(
            f"<rect class='bar' x='{x + 2:.1f}' y='{height - bottom - bar:.1f}' width='{max(step - 4, 1):.1f}' "
            f"height='{bar:.1f}' fill='#4a7ab5' data-count='{count}'/>"
        )
        if count:
            parts.append(
                f"<text x='{x + step / 2:.1f}' y='{height - bottom - bar - 3:.1f}' text-anchor='middle' "
                f"font-size='11'>{count}</text>"
            )
        if index % label_every == 0:
            parts.append(
                f"<text x='{x + step / 2:.1f}' y='{height - bottom + 14}' text-anchor='middle' font-size='11'>"
                f"{_points(centre)}</text>"
            )
    parts.append(
        f"<text x='{width / 2:.0f}' y='{height - 4}' text-anchor='middle' font-size='11' fill='#555'>points</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _learners(names: Sequence[str]) -> str:
    return ", ".join(_esc(name) for name in names) or "<span class='none'>none</span>"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], css: str = "") -> str:
    """A table of cells that are already HTML (escaped where they hold text)."""
    header = "".join(f"<th>{cell}</th>" for cell in head)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table class='{css}'><tr>{header}</tr>{body}</table>"


_STYLE = """body{font-family:sans-serif;margin:2em;max-width:75em}table{border-collapse:collapse;margin:.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}
.figures{display:flex;flex-wrap:wrap;gap:1em}.figures svg{border:1px solid #ddd}.none{color:#888}
.count{text-align:right}.advice{color:#555;font-size:90%}h2{margin-top:2em}"""


def render_page(report: ClassReport) -> str:
    """The report as a self-contained HTML page; every string from the gradebook or a notebook is escaped."""
    name = _esc(report.assignment)
    learners = len(report.marks)
    totals = [sum(mark.score for mark in row.values()) for row in report.marks.values()]
    summary = (
        f"<p>{learners} submission(s) in the gradebook; total: mean {_points(float(np.mean(totals)))}, "
        f"median {_points(float(np.median(totals)))}.</p>"
    )
    figures = "<div class='figures'>" + "".join(histogram_svg(h) for h in report.histograms) + "</div>"
    mistake_rows = [
        [
            _esc(m.function),
            _esc(m.name) + f"<div class='advice'>{render_formulas(_esc(m.advice))}</div>",
            f"<span class='count'>{len(m.learners)}</span>",
            _learners(m.learners),
        ]
        for m in report.mistakes
    ]
    case_rows = [
        [_esc(c.function), _esc(c.part), _esc(c.label), str(len(c.learners)), _learners(c.learners)]
        for c in report.failed_cases
    ]
    not_graded = [[_esc(student), _esc(why)] for student, why in report.not_graded]
    word = [[_esc(student), _esc(what)] for student, what in report.with_a_word]
    pending = [[_esc(column), str(len(students)), _learners(students)] for column, students in report.pending.items()]
    sections = [
        f"<h1>Class report: {name}</h1>",
        summary,
        "<h2 id='marks'>Marks</h2><p>Learners per mark, for each graded function and in total (from the gradebook; "
        "manual grades still to mark count as their current score).</p>",
        figures,
        "<h2 id='mistakes'>Catalogued mistakes</h2><p>How many learners' feedback named each known mistake.</p>",
        _table(["function", "mistake", "learners", "who"], mistake_rows, "mistakes")
        if mistake_rows
        else "<p class='none'>This assignment declares no graded function.</p>",
        f"<h2 id='cases'>Hidden checks that failed most</h2><p>The {TOP_CASES} most failed, by learners.</p>",
        _table(["function", "part", "check", "learners", "who"], case_rows, "cases")
        if case_rows
        else "<p class='none'>No hidden check failed.</p>",
        "<h2 id='not-graded'>Submissions that could not be graded</h2>",
        _table(["student", "why"], not_graded, "not-graded")
        if not_graded
        else "<p class='none'>Every submission was graded.</p>",
        "<h3>Graded, with a word</h3>",
        _table(["student", "what"], word, "with-a-word") if word else "<p class='none'>Nothing to say.</p>",
        "<h2 id='pending'>Written answers still to mark</h2><p>Mark them in the formgrader "
        "(<code>jupyter lab</code>, menu Nbgrader &gt; Formgrader).</p>",
        _table(["answer", "learners", "who"], pending, "pending") if pending else "<p class='none'>None.</p>",
    ]
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CONTENT_SECURITY_POLICY}\">"
        f"<title>Class report: {name}</title><style>{_STYLE}</style></head><body>"
        + "".join(sections)
        + "</body></html>"
    )


def write_report(root: Path, assignment: str, config: Config, out: Path, console: Console) -> tuple[ClassReport, Path]:
    """Build the report of ``assignment`` with a progress bar and write ``<out>/<assignment>.html``."""
    db_url = gradebook_url(config)
    require_gradebook(db_url)
    bounds = CourseGrading(config=config).bounds()
    with Progress(*Progress.get_default_columns(), console=console, transient=True) as bar:
        task = bar.add_task(f"reading {assignment}", total=None)

        def advance(total: int) -> None:
            if total:
                bar.update(task, total=total)
            else:
                bar.advance(task)

        report = build_report(root, assignment, db_url, bounds, advance)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{assignment}.html"
    path.write_text(render_page(report), encoding="utf-8")
    return report, path


def run_report(root: Path, assignment: str, config: Config, out: Path, console: Console) -> int:
    """``course report``: write the page and say in a few lines what it found."""
    report, path = write_report(root, assignment, config, out, console)
    named = sorted(report.mistakes, key=lambda m: -len(m.learners))
    console.print(f"{assignment}: {len(report.marks)} graded submission(s)")
    for mistake in [m for m in named if m.learners][:5]:
        console.print(untrusted(f"  {mistake.function}: {mistake.name}: {len(mistake.learners)} learner(s)"))
    if report.not_graded:
        console.print(f"  {len(report.not_graded)} submission(s) could not be graded: see the page")
    waiting = sum(len(students) for students in report.pending.values())
    if waiting:
        console.print(f"  {waiting} written answer(s) still to mark in the formgrader")
    console.print(f"Report: {path}")
    return 0
