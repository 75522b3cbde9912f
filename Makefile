# The course's two commands (see README.md). Everything installs into .venv, from PyPI.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: start test check lint benchmark mutation labs

# Set up and open the course in JupyterLab.
start: $(BIN)/.installed
	$(BIN)/jupyter lab --ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root) course/start-here.ipynb

# Set up and run every check: lint and types, notebook hygiene, unit tests, grading, the
# nbgrader pipeline, every notebook, and the browser tests.
test: lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# The fast tier, for every edit: all but the tests marked slow (browser, nbgrader pipeline,
# whole notebooks, attack batch). Under two minutes on two cores.
check: lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not slow"

# Style and types: ruff over everything, mypy over the helper package and the grader.
lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy

# Speed figures: grading time against plain nbgrader, chapter run time, widget redraws.
benchmark: $(BIN)/.installed
	$(BIN)/python -m grader.benchmark

# Mutation testing of the hidden tests: each lab's mutation score and its surviving mutants,
# over the reference answers (grader/mutation.py). About ten minutes on two cores.
mutation: $(BIN)/.installed
	$(BIN)/python -m grader.mutation

# Regenerate labs/ and solutions/ from the nbgrader source in grader/source.
labs: $(BIN)/.installed
	cd grader && export PATH="$(abspath $(BIN)):$$PATH" && \
	for lab in $$(ls source | grep -v header); do \
	  nbgrader generate_assignment $$lab --force && \
	  nbgrader generate_solution $$lab --force || exit 1; done

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@
