"""Names with a newline, bytes that are not UTF-8, leading dashes, rich markup, 250 characters; an unreadable
file; a forged grader's marker and a timestamp.txt nbgrader cannot read."""

BASE = "_peek"
