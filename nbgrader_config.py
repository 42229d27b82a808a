"""nbgrader configuration of the MLE course: stock nbgrader commands work from this folder.

nbgrader generate_assignment 01_normal_mle --force   # source/ -> release/
nbgrader autograde 01_normal_mle                     # submitted/ -> autograded/ + gradebook.db
nbgrader generate_feedback 01_normal_mle             # autograded/ -> feedback/
"""

from autograder.sanitize import TEMPLATE_CONF

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "mle-course"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"  # the embedded default gradebook
# A submitted web page or script is never copied into autograded/, where the formgrader would serve it in
# the instructor's session: each folder is screened before nbgrader reads it (autograder/stock.py; course
# grade reads folders the same way) and keeps regular files only, no page of any case or name. No glob per
# page suffix here: nbgrader's is_ignored lists a file's folder once per glob, so 172 of them made a folder
# of 500 files cost ~70 s of CPU on each of autograde's and generate_feedback's passes.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", ".DS_Store"]

# Learners see this where a solution goes; the hidden tests say what it must do.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Learner code runs in a sandbox (autograder/sandbox.py: bubblewrap, no course files, no network,
# memory and process limits) and hidden test cells are judged outside the learner's kernel.
# Every limit (cell and notebook time, memory, CPU, processes, disk, output, submission folder bounds,
# workers of `course grade`) has its default in autograder/settings.py and is listed in the README's
# "Settings" table (`python -m autograder.settings`). Set one here to change it, for example:
#   c.HardenedExecute.notebook_timeout = 900   # seconds a notebook may run in all
#   c.CourseGrading.workers = 4                # submissions graded at once by `course grade`

# Each learner's hidden cases are drawn from a seed of this salt, their student id and a digest of what they
# submitted, so the expected values their feedback shows are theirs alone and of no use to a changed resubmission;
# grading the same submission again draws the same ones. This salt is the demo's: a course sets a secret of its
# own, changed each term (`python -c "import secrets; print(secrets.token_hex(16))"`; course grade warns while
# none is set). `c.HiddenData.per_student = False` gives every learner the same cases,
# `c.HiddenData.per_submission = False` the same cases at every grading.
c.HiddenData.course_salt = "mle-course 2026 autumn"

# Nothing a submission says about its own cells is believed (autograder/restore.py): notebooks are read
# as plain data (at most `c.CourseGrading.max_file_mib`), then every cell's nbgrader metadata and the
# kernelspec are rebuilt from the gradebook before nbgrader checks anything; test cells a learner deleted come back.
# Built before nbgrader reads any submission folder, this exporter first screens each one as `course grade`
# reads it (autograder/stock.py): links, pipes, devices, huge or deep trees and unreadable timestamps are moved
# into a hidden .left-out-* folder beside it, and a notebook that is not a plain file is graded as missing.
c.Autograde.exporter_class = "autograder.restore.SubmissionExporter"
c.Autograde.sanitize_preprocessors = [
    "autograder.restore.RestoreMetadata",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.OverwriteCells.add_missing_cells = True

# A warning printed to stderr inside a test cell must not cost points: nbgrader scores any
# stderr output as a failure, so this step (right after execution) moves it to stdout.
c.Autograde.autograde_preprocessors = [
    "autograder.execute.HardenedExecute",
    "autograder.preprocessors.StderrToStdout",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
    "autograder.sanitize.SanitizeNotebook",  # last: learner HTML made inert once grades and checksums are saved
]
# A submission later than its assignment's due date (`nbgrader db assignment add NAME --duedate=...`; the
# time is the exchange's receipt, see below) loses points_per_hour for each hour or part of one, at most its score.
c.AssignLatePenalties.plugin_class = "autograder.late_penalty.PenaltyPerHourLate"
#   c.PenaltyPerHourLate.points_per_hour = 2.0   # default 1.0
# timestamp.txt is the learner's to write: `nbgrader collect` records when the exchange received each submission
# (the newest ctime of its inbound copy, which no learner can set back) in .grading/.receipts/<assignment>.json,
# and course grade and nbgrader autograde grade with that time (autograder/receipts.py). A submission with no
# receipt and no readable timestamp.txt is graded as submitted when its files reached submitted/, and flagged
# (`c.SubmissionTimes.untrusted = "on_time"` grades it on time instead; both are named in the summary).
c.ExchangeFactory.collect = "autograder.receipts.ReceiptCollect"

# `nbgrader export` writes a CSV that Canvas's gradebook import takes as it is, late penalties subtracted
# (autograder/lms_export.py); per_function adds a column per graded function. nbgrader's own CSV:
# `nbgrader export --exporter nbgrader.plugins.CsvExportPlugin`.
c.ExportApp.plugin_class = "autograder.lms_export.CanvasExportPlugin"
#   c.CanvasExportPlugin.per_function = True   # default False

# Feedback shows each failed check's message, never the hidden tests' code or a traceback through it.
# Its exporter sanitises learner HTML after these steps, adds a strict Content-Security-Policy, and keeps
# compiled templates in memory between learners.
c.GenerateFeedback.exporter_class = "autograder.feedback.FeedbackExporter"
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
    "autograder.preprocessors.ShortTracebacks",
]

# Nothing a learner wrote or printed runs as HTML or script in the formgrader (the page where grades are
# entered, rendered by this HTMLExporter from the autograded notebook) or in feedback: autograder/sanitize.py.
c.HTMLExporter.sanitize_html = True
c.HTMLExporter.preprocessors = ["autograder.sanitize.SanitizeNotebook"]
c.HTMLExporter.filters = {
    "markdown2html": "autograder.sanitize.SafeMarkdown2HTML",
    "clean_html": "autograder.sanitize.clean_html",
}
# Nor is it drawn outside its cell: the formgrader's page loads MathJax, which would place a formula's \raise or
# \moveright wherever the learner chose, over the score boxes. The conf.json in TEMPLATE_CONF adds the page's style
# that clips learner content to its cells (autograder.sanitize.LearnerContentStyle) after the template's own CSS.
c.HTMLExporter.extra_template_paths = [TEMPLATE_CONF]
# Raw cells are not drawn on these pages: the templates write a raw cell into the page outside any cell's box, where
# MathJax would typeset its TeX over the score boxes. They are neither graded nor part of the lessons.
c.HTMLExporter.raw_mimetypes = []
