"""A named pipe (opening it blocks), devices like /dev/zero and /dev/urandom, and a socket, beside the notebook."""

BASE = "_peek"
