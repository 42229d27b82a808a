"""Copied work: pairs of submissions whose solution code is unusually alike, ranked.

Only the code of solution cells is compared: the cells the gradebook marks as
solutions (:func:`~autograder.restore.restore_cells`; nothing a submission says
about its own cells is believed), read from each submitted notebook as the
grader reads it (:func:`~autograder.restore.open_submitted_notebook`: a regular
file within bounds, never a link). The released notebooks' solution cells
(signatures, docstrings, stubs) are boilerplate and never count.

copydetect (winnowing, as MOSS does) fingerprints each learner's code after
Pygments has replaced every name by one letter, so renamed variables change
nothing; fingerprints are local, so reordered functions and lines leave most
of them in place. A pair's score is the mean of the two learners' shares of
code found in the other's.

Learner code is hostile: blank lines and trailing blanks are dropped before
lexing, lines are cut at :data:`MAX_LINE_CHARS` and a learner's code at
:data:`MAX_CODE_CHARS`, so lexing costs bounded, linear time; the HTML page
escapes every learner-written string and carries a Content-Security-Policy that
runs nothing and loads nothing.
"""

import csv
import html
import io
import itertools
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from copydetect import CodeFingerprint, compare_files
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from autograder.batch import assignment_notebooks
from autograder.errors import CourseError
from autograder.folders import DEFAULT_BOUNDS, safe_name, shown
from autograder.restore import UnreadableNotebook, open_submitted_notebook, restore_cells, source_cells
from autograder.terminal import untrusted

#: copydetect's defaults: k-grams of 25 filtered characters, one fingerprint guaranteed in every 30.
NOISE_THRESHOLD, GUARANTEE_THRESHOLD = 25, 30
#: A learner's solution code is cut at this length before it is lexed (it is shown cut, too).
MAX_CODE_CHARS = 64 * 1024
#: Lines are cut at this length: Pygments' cost grows with long lines, and no honest line is this long.
MAX_LINE_CHARS = 400
#: The report page runs no script and loads nothing; its only style is inline.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


class NoSubmissions(CourseError):
    """No submission of the assignment could be compared."""

    exit_code = 3


@dataclass(frozen=True)
class Pair:
    """Two learners, how much of each one's solution code is found in the other's, and their code."""

    first: str
    second: str
    first_share: float
    second_share: float
    first_code: str
    second_code: str

    @property
    def score(self) -> float:
        """The mean of the two shares: 1 for identical code (names and layout aside), 0 for nothing in common."""
        return (self.first_share + self.second_share) / 2


def tidy(code: str) -> str:
    """``code`` without blank lines or trailing blanks, lines cut at MAX_LINE_CHARS, all cut at MAX_CODE_CHARS."""
    lines = (line.rstrip()[:MAX_LINE_CHARS] for line in code.splitlines())
    return "\n".join(line for line in lines if line)[:MAX_CODE_CHARS]


def solution_code(notebook_cells: list, reference: list) -> str:
    """The code of the solution cells of a notebook, once the gradebook's metadata is restored."""
    restored = restore_cells(notebook_cells, reference)
    return "\n".join(
        cell.source
        for cell in restored
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")
    )


def _is_real_folder(path: Path) -> bool:
    """Whether ``path`` is a folder itself, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def submitted_code(
    root: Path, assignment: str, notebooks: Iterable[str], db_url: str
) -> tuple[dict[str, str], list[str]]:
    """Student id -> solution code of every readable submission of ``assignment``, and notes on the rest."""
    references = {notebook: source_cells(db_url, notebook, assignment)[0] for notebook in notebooks}
    submitted = root / "submitted"
    codes: dict[str, str] = {}
    notes: list[str] = []
    try:
        students = sorted(entry.name for entry in os.scandir(submitted))
    except OSError:
        students = []
    for student in students:
        folder = submitted / student / assignment
        if not os.path.lexists(folder):
            continue
        if not (safe_name(student) and _is_real_folder(submitted / student) and _is_real_folder(folder)):
            notes.append(f"{shown(student)}: not a student id or not a plain folder, left out")
            continue
        parts = []
        for notebook, reference in references.items():
            try:
                cells = open_submitted_notebook(str(folder / f"{notebook}.ipynb"), DEFAULT_BOUNDS.file_bytes)[0].cells
            except UnreadableNotebook as why:
                notes.append(f"{student}: {notebook}.ipynb left out: {shown(str(why), 200)}")
                continue
            parts.append(solution_code(cells, reference))
        if parts:  # a learner none of whose notebooks could be read is named in the notes, not compared
            codes[student] = tidy("\n".join(parts))
    return codes, notes


def released_code(release: Path, notebooks: Iterable[str]) -> str:
    """The solution cells' code as released (signatures, docstrings, stubs): boilerplate for every learner."""
    parts = []
    for notebook in notebooks:
        path = release / f"{notebook}.ipynb"
        cells = open_submitted_notebook(str(path), DEFAULT_BOUNDS.file_bytes)[0].cells
        parts += [c.source for c in cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]
    return tidy("\n".join(parts))


def _fingerprint(code: str, boilerplate: np.ndarray | None = None) -> CodeFingerprint:
    window = GUARANTEE_THRESHOLD - NOISE_THRESHOLD + 1
    return CodeFingerprint(
        "solution.py", NOISE_THRESHOLD, window, boilerplate=boilerplate, language="python", fp=io.StringIO(code)
    )


def rank_pairs(codes: dict[str, str], boilerplate: str, progress: Callable[[], None] | None = None) -> list[Pair]:
    """Every pair of learners, most alike first; ``progress`` is called once per learner fingerprinted."""
    common = np.array(sorted(_fingerprint(boilerplate).hashes)) if boilerplate.strip() else None
    prints = {}
    for student, code in codes.items():
        prints[student] = _fingerprint(code, common)
        if progress:
            progress()
    pairs = []
    for first, second in itertools.combinations(sorted(codes), 2):
        _, (share1, share2), _ = compare_files(prints[first], prints[second])
        pairs.append(Pair(first, second, float(share1), float(share2), codes[first], codes[second]))
    return sorted(pairs, key=lambda pair: (-pair.score, pair.first, pair.second))


def write_csv(pairs: list[Pair], path: Path) -> None:
    """rank, the two student ids, each one's share found in the other's code, and the pair's score."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rank", "student_1", "student_2", "share_1", "share_2", "score"])
        for rank, pair in enumerate(pairs, 1):
            row = [pair.first, pair.second, f"{pair.first_share:.3f}", f"{pair.second_share:.3f}", f"{pair.score:.3f}"]
            writer.writerow([rank, *row])


_STYLE = """body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;
padding:4px 8px;text-align:left}.pair{display:flex;gap:1em}.pair pre{flex:1;background:#f6f6f6;padding:8px;
overflow:auto;font-size:12px;max-height:40em}h2{margin-top:2em}"""


def write_html(assignment: str, pairs: list[Pair], path: Path, shown_pairs: int = 10) -> None:
    """A page listing every pair and showing the ``shown_pairs`` most alike side by side; all learner text escaped."""
    esc = html.escape
    rows = "".join(
        f"<tr><td>{rank}</td><td>{esc(p.first)}</td><td>{esc(p.second)}</td><td>{p.first_share:.0%}</td>"
        f"<td>{p.second_share:.0%}</td><td>{p.score:.2f}</td></tr>"
        for rank, p in enumerate(pairs, 1)
    )
    sides = "".join(
        f"<h2>{rank}. {esc(p.first)} and {esc(p.second)}: {p.score:.2f}</h2><div class='pair'>"
        f"<pre>{esc(p.first_code)}</pre><pre>{esc(p.second_code)}</pre></div>"
        for rank, p in enumerate(pairs[:shown_pairs], 1)
    )
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CONTENT_SECURITY_POLICY}\">"
        f"<title>Similar solutions: {esc(assignment)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>Similar solutions: {esc(assignment)}</h1><p>Solution-cell code only, the release's own code removed, "
        "names and layout ignored (copydetect). A high score is a reason to look, not proof.</p>"
        "<table><tr><th>rank</th><th>learner</th><th>learner</th><th>share of 1st in 2nd</th>"
        f"<th>share of 2nd in 1st</th><th>score</th></tr>{rows}</table>{sides}</body></html>"
    )
    path.write_text(page, encoding="utf-8")


def similarity_report(
    root: Path,
    assignment: str,
    notebooks: Iterable[str],
    db_url: str,
    out: Path,
    progress: Callable[[], None] | None = None,
) -> tuple[list[Pair], list[str], Path, Path]:
    """Rank the submissions of ``assignment`` and write ``<out>/<assignment>.csv`` and ``.html``.

    ``notebooks`` are the assignment's notebook names as the gradebook knows them (without ``.ipynb``).
    Returns the ranked pairs, notes on submissions left out, and the two files written.
    """
    notebooks = list(notebooks)
    release = root / "release" / assignment
    if not all((release / f"{name}.ipynb").is_file() for name in notebooks):
        raise NoSubmissions(f"No release of {assignment} in {release}: run `course release {assignment}` first")
    codes, notes = submitted_code(root, assignment, notebooks, db_url)
    if len(codes) < 2:
        raise NoSubmissions(
            f"{len(codes)} readable submission(s) of {assignment} in {root / 'submitted'}: collect them there first "
            f"(`nbgrader collect {assignment}`, or `course demo` for the sample class)"
        )
    pairs = rank_pairs(codes, released_code(release, notebooks), progress)
    out.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = out / f"{assignment}.csv", out / f"{assignment}.html"
    write_csv(pairs, csv_path)
    write_html(assignment, pairs, html_path)
    return pairs, notes, csv_path, html_path


def run_similarity(root: Path, assignment: str, db_url: str, out: Path, console: Console, top: int = 10) -> int:
    """``course similarity``: rank the class with a progress bar, print the most alike pairs and where files went."""
    notebooks = [Path(name).stem for name in assignment_notebooks(db_url, assignment)]  # raises if unknown
    with Progress(*Progress.get_default_columns(), console=console, transient=True) as bar:
        task = bar.add_task(f"fingerprinting {assignment}", total=None)
        pairs, notes, csv_path, html_path = similarity_report(
            root, assignment, notebooks, db_url, out, progress=lambda: bar.advance(task)
        )
    table = Table(
        title=f"Most alike solutions: {assignment}", caption="score: mean share of each one's code in the other's"
    )
    for column in ("rank", "learner", "learner", "score"):
        table.add_column(column, justify="right" if column in ("rank", "score") else "left")
    for rank, pair in enumerate(pairs[:top], 1):
        table.add_row(str(rank), untrusted(pair.first), untrusted(pair.second), f"{pair.score:.2f}")
    console.print(table)
    for note in notes:
        console.print(untrusted(note, limit=300))
    console.print(f"{len(pairs)} pairs ranked: {csv_path} and {html_path} (the code side by side)")
    return 0
