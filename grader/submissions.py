"""Submissions made from the course's own notebooks: a lab's solution or blank release, with
answer cells swapped or edited, and the known wrong answers.

The grader's tests grade them, and ``grader.benchmark`` grades a class of them (solved,
blank and wrong). Every function returns a fresh copy: change it freely.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
from functools import cache
from pathlib import Path
from types import ModuleType

from grader.labs import cell_grade_id, cell_source, nbgrader_metadata

REPO = Path(__file__).resolve().parent.parent
DEFAULT_LAB = "02-retries"
NOTEBOOK_FOLDERS = {
    "solution": REPO / "solutions",  # answers filled in: scores full marks
    "release": REPO / "labs",  # what learners get: answers raise NotImplementedError
    "source": REPO / "grader" / "source",  # nbgrader source: solutions and hidden tests
}
# One plausible mistake a file, wrong_answers/<lab>/<mistake>.py: its module docstring says
# what it is, EDITS turn the solution's answer cells into it ({grade_id: [(old, new), ...]}),
# EXPECTED_FAILURES name the tests it must fail ({test: a fragment of their feedback}).
WRONG_ANSWERS = REPO / "grader" / "tests" / "wrong_answers"
WRONG_ANSWER_FILES = sorted(WRONG_ANSWERS.glob("*/*.py"))
SOLUTION_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*(\n|$)", re.M)


@cache
def _read_json(path: Path) -> dict:
    """A notebook file's JSON, read once (callers get deep copies)."""
    return json.loads(path.read_text(encoding="utf-8"))


def load_notebook(lab_id: str = DEFAULT_LAB, kind: str = "solution") -> dict:
    """A fresh deep copy of one lab's notebook (``kind``: solution, release or source), as
    plain JSON data: change it freely, the next call returns an untouched copy."""
    path = NOTEBOOK_FOLDERS[kind] / lab_id / f"{lab_id}.ipynb"
    return copy.deepcopy(_read_json(path))


def _answer_cells(notebook: dict) -> dict[str, dict]:
    """The notebook's answer cells (nbgrader ``solution`` cells) by ``grade_id``."""
    return {grade_id: cell for cell in notebook["cells"]
            if cell.get("cell_type") == "code" and nbgrader_metadata(cell).get("solution")
            and (grade_id := cell_grade_id(cell)) is not None}


def with_answers(notebook: dict, replacements: dict[str, str]) -> dict:
    """A copy of ``notebook`` whose answer cells named in ``replacements`` (by grade_id) hold
    the given code instead; every other cell is unchanged. An unknown grade_id is an error,
    so that a typo cannot silently leave the solution in place."""
    submission = copy.deepcopy(notebook)
    cells = _answer_cells(submission)
    unknown = sorted(set(replacements) - set(cells))
    if unknown:
        raise KeyError(f"no answer cell with grade_id {unknown}; the notebook has {list(cells)}")
    for cell_id, source in replacements.items():
        cells[cell_id]["source"] = source.splitlines(keepends=True)  # as nbformat stores it
        cells[cell_id]["outputs"] = []
        cells[cell_id]["execution_count"] = None
    return submission


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
    cells = _answer_cells(notebook)
    return with_answers(notebook, {cell_id: edited(cell_source(cells[cell_id]), changes)
                                   for cell_id, changes in edits.items()})


def solution_answers(lab_id: str = DEFAULT_LAB) -> dict[str, str]:
    """A lab's solution code, by answer cell grade_id."""
    return {cell_id: cell_source(cell)
            for cell_id, cell in _answer_cells(load_notebook(lab_id, "solution")).items()}


def load_wrong_answer(path: Path) -> ModuleType:
    """Import one wrong-answer file by its path (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location(f"wrong_answers.{path.parent.name}."
                                                  f"{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path} is not a Python file")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
