"""A 10 GB sparse file, a tree 10 000 folders deep and 100 000 small files, beside the notebook."""

BASE = "_peek"
