# The course's two commands (see README.md). Everything installs into .venv, from PyPI.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What the course needs (pyproject's dependencies), and the test tools on top of it.
COURSE_ENV := $(BIN)/.installed-course
TEST_ENV := $(BIN)/.installed-test

# JupyterLab as a learner meets it: the repository as its root (so the start page's links
# reach course/ and labs/), the start page at the URL it prints, the solutions, the
# nbgrader course, tests and build output hidden (jupyter_server_config.py), and none of
# nbgrader's instructor tools, nor its assignment list (binder/jupyter-config/: nbgrader's
# extensions as a self-paced learner has them). The browser test runs `make serve` with
# SERVE_ROOT, a copy of course/ and labs/, and SERVE_FLAGS.
START_PAGE := course/start-here.ipynb
SERVE_ROOT ?= .
SERVE_FLAGS ?=
SERVE = JUPYTER_CONFIG_PATH=$(CURDIR)/binder/jupyter-config \
	$(BIN)/jupyter lab --config=$(CURDIR)/jupyter_server_config.py --ip=127.0.0.1 \
	--ServerApp.root_dir=$(SERVE_ROOT) --LabApp.default_url=/lab/tree/$(START_PAGE) \
	$(if $(filter 0,$(shell id -u)),--allow-root) $(SERVE_FLAGS)

.PHONY: start serve test check lint benchmark mutation labs

# Set up and open the course in JupyterLab.
start: $(COURSE_ENV)
	$(SERVE)

# The course's JupyterLab alone, in an environment already set up.
serve:
	$(SERVE)

# Set up and run every check: lint and types, notebook hygiene, unit tests, grading, the
# nbgrader pipeline, every notebook, and the browser tests.
test: lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup --durations=30

# The fast tier, for every edit: all but the tests marked slow (browser, nbgrader pipeline,
# whole notebooks, attack batch). Under two minutes on two cores.
check: lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not slow"

# Style and types: ruff over everything, mypy over the helper package and the grader.
lint: $(TEST_ENV)
	$(BIN)/ruff check .
	$(BIN)/mypy

# Speed figures: grading time against plain nbgrader, chapter run time, widget redraws.
benchmark: $(COURSE_ENV)
	$(BIN)/python -m grader.benchmark

# Mutation testing of the hidden tests: each lab's mutation score and its surviving mutants,
# over the reference answers (grader/mutation.py). About ten minutes on two cores.
mutation: $(TEST_ENV)
	$(BIN)/python -m grader.mutation

# Regenerate labs/ and solutions/ from the nbgrader source in grader/source.
labs: $(COURSE_ENV)
	cd grader && export PATH="$(abspath $(BIN)):$$PATH" && \
	for lab in $$(ls source | grep -v header); do \
	  nbgrader generate_assignment $$lab --force && \
	  nbgrader generate_solution $$lab --force || exit 1; done

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(COURSE_ENV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

# The test tools, and JupyterHub's proxy (from npm, into the venv) for the classroom test
# (grader/classroom): 5.2.0 is the newest whose dependencies all run on Debian's Node 20.
$(TEST_ENV): $(COURSE_ENV)
	$(BIN)/pip install --quiet -e ".[test]"
	npm install --silent --prefix $(VENV)/hub configurable-http-proxy@5.2.0
	touch $@
