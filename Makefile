# Two entry points: `make demo` (build the release, grade the sample class, print the
# gradebook) and `make test` (the whole suite). Each makes its own virtual environment.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# The venv's programs are run by their path; nbgrader's own subprocesses (alembic) find the venv on PATH because
# the course and the test suite put it there (autograder/nbgrader_commands.py: venv_on_path).

.PHONY: demo test lint release clean browser sandbox postgres

$(VENV)/.installed: pyproject.toml learner/pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	# uv installs the same pinned set as pip would, in parallel: ~25 s on a fresh machine, where pip took ~65 s
	$(BIN)/python -m pip install --quiet -c constraints.txt uv
	$(BIN)/uv pip install --python $(BIN)/python --quiet --compile-bytecode -c constraints.txt -e ./learner -e '.[dev]'
	# --compile-bytecode compiles site-packages, not the editable packages: where PYTHONDONTWRITEBYTECODE is set (as
	# on this machine), every grading process, CLI run and kernel would compile them again (~0.5 CPU-s each)
	$(BIN)/python -m compileall -q autograder solutions learner/src/mlelab
	touch $@

demo: $(VENV)/.installed sandbox
	$(BIN)/course demo

# --dist loadfile: a module's tests share one worker, so each expensive module fixture (a graded
# class) is built once, and the attack class's listener port is never bound twice. One test process per
# core: with two per core on 2 cores the suite took 13:48 instead of 14:29, and the attack suites' wall-clock
# limits (8 s a cell, 60 s a notebook) cut two attackers' honest functions short under that load.
test: $(VENV)/.installed browser sandbox postgres
	$(BIN)/python -m pytest -n auto --dist loadfile --durations=25

# The browser test drives Debian's chromium (never a downloaded browser). As root (CI), install it;
# elsewhere say how, and the test is skipped with that reason.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "No /usr/bin/chromium: run 'sudo apt-get install chromium' to run the browser test."; fi

# The grader runs learner code inside bubblewrap (Debian's package bubblewrap). As root (CI), install
# it; elsewhere say how. Without it, grading refuses to run unless told to grade unprotected.
sandbox:
	@if command -v bwrap >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; \
	else echo "No bwrap: run 'sudo apt-get install bubblewrap' so that grading can sandbox learner code."; fi

# The tests of a PostgreSQL gradebook start a server of their own from Debian's postgresql package (initdb in a
# temporary folder, as an unprivileged user, on a free loopback port). As root (CI), install it; elsewhere say how,
# and those tests are skipped with that reason (they fail when CI is set).
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else echo "No PostgreSQL: run 'sudo apt-get install postgresql' to run the PostgreSQL gradebook tests."; fi

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/nbstripout --keep-id --verify source/*/*.ipynb

release: $(VENV)/.installed
	$(BIN)/course release

clean:
	rm -rf $(VENV) demo gradebook.db submitted autograded feedback .grading .pytest_cache
