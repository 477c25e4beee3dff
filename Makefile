# Stateless by design: the course and its tests.
#
#   make lab     start the course in JupyterLab (embedded fakeredis: no Redis server needed)
#   make test    lint, format check, then every test (PYTEST_ARGS="-k ..." to narrow)
#
# For contributors: `make test-quick` (unit tests + the fast catalogue of the notebooks
# you changed) and `make test-all` (make test, with every catalogue case graded end to end).
#
# Both create .venv from the pinned requirements on first use, and update it when
# requirements*.txt or pyproject.toml change. Another interpreter: make PYTHON=python3.12 test

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LEARNER_MODE := $(VENV)/.learner-mode
START_NOTEBOOK := notebooks/00-start-here.ipynb
PYTEST_ARGS ?=
LAB_ARGS ?=

# The venv is recreated (--clear) when it was made by another Python than $(PYTHON),
# e.g. after `make PYTHON=python3.12 test` on a checkout that had a 3.11 venv.
PY_VERSION = import sys; print("%d.%d.%d" % sys.version_info[:3])
WANT_VERSION := $(shell $(PYTHON) -c '$(PY_VERSION)' 2>/dev/null)
HAVE_VERSION := $(shell $(BIN)/python -c '$(PY_VERSION)' 2>/dev/null)
ifneq ($(HAVE_VERSION),$(WANT_VERSION))
VENV_REBUILD := FORCE
VENV_FLAGS := $(if $(HAVE_VERSION),--clear)
endif

# Programs the tests start (jupyter, nbgrader, ...) come from the venv too.
RUN := PATH="$(CURDIR)/$(BIN):$$PATH"

# Jupyter refuses to start as root unless told; containers and CI machines run as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

.PHONY: venv lab test test-all test-quick lint format notebooks bench clean FORCE

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml $(VENV_REBUILD)
	@test -n "$(WANT_VERSION)" || { echo "error: '$(PYTHON)' is not a working Python; try make PYTHON=python3.11 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV_FLAGS) $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements-dev.txt -e .
	@touch $@

# Same step as Binder's postBuild: hide nbgrader's instructor tools from learners.
$(LEARNER_MODE): $(STAMP) scripts/learner-mode.sh
	$(RUN) scripts/learner-mode.sh
	@touch $@

lab: $(LEARNER_MODE)
	@test -f $(START_NOTEBOOK) || { echo "error: $(START_NOTEBOOK) is missing." \
	  "'make notebooks' regenerates notebooks/ from course/source (and overwrites your work there)." >&2; exit 1; }
	$(RUN) $(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" $(ALLOW_ROOT) $(LAB_ARGS) $(START_NOTEBOOK)

# One pytest worker per core (pytest-xdist); tests/conftest.py starts the slow modules
# first and keeps modules that share a fixture on one worker. The run ends with a time
# report per group and per notebook (tests/timing.py).
XDIST := -n auto --dist loadscope
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(RUN) $(BIN)/pytest $(XDIST) --durations=20 $(PYTEST_ARGS)

# Every catalogue case through the real `nbgrader autograde` (make test grades a fixed
# sample per notebook: docs/design.md, "Where each fact is proved"). Run it before
# closing any change to checks. It also runs every reason of every exercise under the
# pseudo-locale (make test: the reference and first wrong answer of each).
test-all: $(STAMP)
	E2E_ALL=1 $(MAKE) test

# The inner loop: the unit tests, then the fast catalogue of the notebooks your change
# touches (scripts/changed_notebooks.py; NB="03-scale-out 05-sessions" to choose).
NB ?=
QUICK_NOTEBOOKS = $(or $(NB),$(shell $(BIN)/python scripts/changed_notebooks.py))
test-quick: $(STAMP)
	$(BIN)/ruff check .
	$(RUN) $(BIN)/pytest $(XDIST) -m "not slow" --ignore=tests/test_catalogue.py \
	  --ignore=tests/test_notebooks.py $(PYTEST_ARGS)
	$(if $(strip $(QUICK_NOTEBOOKS)),$(RUN) $(BIN)/pytest $(XDIST) tests/test_catalogue.py \
	  -k "$(subst $(space), or ,$(strip $(QUICK_NOTEBOOKS)))",@echo "no notebook changed: no catalogue to run")

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate notebooks/ and solutions/ from course/source, and notebooks/cs/ and
# solutions/cs/ from the same plus the Czech catalogues (course/locale/cs/, kept in step).
notebooks: $(STAMP)
	$(RUN) $(BIN)/python -m autograder.build

# The translations (docs/translating.md): entries per catalogue that are stale (the
# English changed since) or untranslated, and any translation that breaks a placeholder,
# an nbgrader marker or the code of a cell. `make notebooks` brings the catalogues in step.
.PHONY: translations
translations: $(STAMP)
	$(BIN)/python -m autograder.translate status

# Regenerate docs/dashboard.png (the README's picture) in headless Chromium, with the code
# of tests/test_browser.py. Needs Debian's chromium (.ci/run installs it).
.PHONY: screenshot
screenshot: $(STAMP)
	$(RUN) $(BIN)/python scripts/screenshot.py

# The learners' edition for a graded class: notebooks and the package, no solutions, no
# sources, no hidden seeds (docs/instructors.md). make release [RELEASE_DIR=build/class]
RELEASE_DIR ?= build/class
.PHONY: release
release: $(STAMP)
	$(RUN) $(BIN)/python -m autograder.class_build $(RELEASE_DIR)

# Benchmarks are not tests: they print ratios measured in one run.
bench: $(STAMP)
	$(RUN) $(BIN)/python benchmarks/run.py

# Autograde a whole class in parallel, merged into course/gradebook.db, then the CSV of
# `nbgrader export` (docs/instructors.md). make grade ASSIGNMENT=01-one-process [JOBS=4]
ASSIGNMENT ?=
JOBS ?=
.PHONY: grade
grade: $(STAMP)
	@test -n "$(ASSIGNMENT)" || { echo "usage: make grade ASSIGNMENT=NN-slug [JOBS=N]" >&2; exit 1; }
	$(RUN) $(BIN)/python -m autograder grade $(ASSIGNMENT) --course course $(if $(JOBS),--jobs $(JOBS))

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info

FORCE:

space := $(subst ,, )
