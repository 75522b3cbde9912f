"""Shared helpers for the grader's tests: the course's notebooks, and submissions made from
them by swapping the code of answer cells.

Use the plain functions anywhere, or the fixtures in a test::

    def test_something(solution_notebook, with_answers):
        submission = with_answers(solution_notebook, {"backoff": "def exponential_backoff..."})
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEFAULT_LAB = "02-retries"
NOTEBOOK_FOLDERS = {
    "solution": REPO / "solutions",  # answers filled in: scores full marks
    "release": REPO / "labs",  # what learners get: answers raise NotImplementedError
    "source": REPO / "grader" / "source",  # nbgrader source: solutions and hidden tests
}


@cache
def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def load_notebook(lab_id: str = DEFAULT_LAB, kind: str = "solution") -> dict:
    """A fresh deep copy of one lab's notebook (``kind``: solution, release or source), as
    plain JSON data: change it freely, the next call returns an untouched copy."""
    path = NOTEBOOK_FOLDERS[kind] / lab_id / f"{lab_id}.ipynb"
    return copy.deepcopy(_read_json(path))


def grade_id(cell: dict) -> str | None:
    """A cell's nbgrader ``grade_id``, or None."""
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def answer_cells(notebook: dict) -> dict[str, dict]:
    """The notebook's answer cells (nbgrader ``solution`` cells) by ``grade_id``."""
    return {grade_id(cell): cell for cell in notebook["cells"]
            if cell.get("cell_type") == "code"
            and cell.get("metadata", {}).get("nbgrader", {}).get("solution")}


def cell_source(cell: dict) -> str:
    """A cell's code, whether stored as one string or as a list of lines."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def with_answers(notebook: dict, replacements: dict[str, str]) -> dict:
    """A copy of ``notebook`` whose answer cells named in ``replacements`` (by grade_id) hold
    the given code instead; every other cell is unchanged. An unknown grade_id is an error,
    so that a typo cannot silently leave the solution in place."""
    submission = copy.deepcopy(notebook)
    cells = answer_cells(submission)
    unknown = sorted(set(replacements) - set(cells))
    if unknown:
        raise KeyError(f"no answer cell with grade_id {unknown}; the notebook has {list(cells)}")
    for cell_id, source in replacements.items():
        cells[cell_id]["source"] = source.splitlines(keepends=True)  # as nbformat stores it
        cells[cell_id]["outputs"] = []
        cells[cell_id]["execution_count"] = None
    return submission


SOLUTION_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*(\n|$)", re.M)


def edited(source: str, edits: list[tuple[str, str]]) -> str:
    """An answer cell's code with nbgrader's solution markers removed and each ``(old, new)``
    edit applied. Each ``old`` must occur exactly once, so a wrong answer cannot silently
    stop applying when the solution changes."""
    source = SOLUTION_MARKERS.sub("", source)
    for old, new in edits:
        if source.count(old) != 1:
            raise ValueError(f"{old!r} occurs {source.count(old)} times in the cell, not once")
        source = source.replace(old, new)
    return source


def with_edits(notebook: dict, edits: dict[str, list[tuple[str, str]]]) -> dict:
    """A copy of ``notebook`` whose answer cells (by grade_id) carry the given edits."""
    cells = answer_cells(notebook)
    return with_answers(notebook, {cell_id: edited(cell_source(cells[cell_id]), changes)
                                   for cell_id, changes in edits.items()})


@pytest.fixture
def solution_notebook() -> dict:
    """A deep copy of the default lab's solution notebook (full marks)."""
    return load_notebook(DEFAULT_LAB, "solution")


@pytest.fixture
def release_notebook() -> dict:
    """A deep copy of the default lab's blank release notebook (what learners start from)."""
    return load_notebook(DEFAULT_LAB, "release")


def solution_answers(lab_id: str = DEFAULT_LAB) -> dict[str, str]:
    """A lab's solution code, by answer cell grade_id."""
    return {cell_id: cell_source(cell)
            for cell_id, cell in answer_cells(load_notebook(lab_id, "solution")).items()}


@pytest.fixture(name="with_answers")
def with_answers_fixture():
    """The ``with_answers(notebook, replacements)`` function, for tests that take fixtures."""
    return with_answers
