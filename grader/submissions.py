"""Submissions made from the course's own notebooks: a lab's solution or blank release, with
answer cells swapped or edited, and the catalogues of known wrong and right answers.

The grader's tests grade them, and ``grader.benchmark`` grades a class of them (solved,
blank and wrong). Every function returns a fresh copy: change it freely.
"""

from __future__ import annotations

import ast
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
# One answer a file, <catalogue>/<lab>/<name>.py: its module docstring says in a line what
# it is; ANSWERS replace whole answer cells ({grade_id: code}) and EDITS change the
# solution's ({grade_id: [(old, new), ...]}). A wrong answer also says what the learner
# believed (BELIEVED), which numbered requirements it breaks (VIOLATES) and which tests must
# fail ({test: a fragment of their feedback}, EXPECTED_FAILURES); a right answer, written
# differently from the solution, must score full marks.
WRONG_ANSWERS = REPO / "grader" / "tests" / "wrong_answers"
WRONG_ANSWER_FILES = sorted(WRONG_ANSWERS.glob("*/*.py"))
RIGHT_ANSWERS = REPO / "grader" / "tests" / "right_answers"
RIGHT_ANSWER_FILES = sorted(RIGHT_ANSWERS.glob("*/*.py"))
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


def load_answer_file(path: Path) -> ModuleType:
    """Import one wrong- or right-answer file by its path (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location(f"{path.parent.parent.name}."
                                                  f"{path.parent.name}.{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path} is not a Python file")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def answer_file_changes(module: ModuleType) -> dict[str, str]:
    """The answer cells an answer file changes, by grade_id, as the code they then hold."""
    lab_id = Path(str(module.__file__)).parent.name
    solution = solution_answers(lab_id)
    changes = {cell_id: SOLUTION_MARKERS.sub("", code)
               for cell_id, code in getattr(module, "ANSWERS", {}).items()}
    for cell_id, edits in getattr(module, "EDITS", {}).items():
        changes[cell_id] = edited(solution[cell_id], edits)
    return changes


def answer_file_notebook(module: ModuleType) -> dict:
    """The solution notebook of the answer file's lab, with the file's answers in it."""
    lab_id = Path(str(module.__file__)).parent.name
    return with_answers(load_notebook(lab_id), answer_file_changes(module))


def _defined_names(source: str) -> set[str]:
    """Top-level functions, classes and assigned names of a cell."""
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def answer_file_problems(module: ModuleType) -> list[str]:
    """What is wrong with an answer file itself (empty if nothing): it must say what it is,
    and change answer cells the lab has into code that defines at least what the solution's
    cell defines (helpers of its own too, if it likes), and is not the solution's code."""
    lab_id = Path(str(module.__file__)).parent.name
    solution = solution_answers(lab_id)
    problems = [] if (module.__doc__ or "").strip() else [
        "start with a docstring saying, in a line, what the answer is"]
    changes = answer_file_changes(module)
    if not changes or not set(changes) <= set(solution):
        return problems + [f"EDITS or ANSWERS must name answer cells among {sorted(solution)}"]
    for cell_id, source in changes.items():
        original = edited(solution[cell_id], [])
        missing = _defined_names(original) - _defined_names(source)
        if missing:  # helpers of its own are the answer's business
            problems.append(f"{cell_id}: define every name the solution's cell defines "
                            f"(missing: {sorted(missing)})")
        if ast.dump(ast.parse(source)) == ast.dump(ast.parse(original)):
            problems.append(f"{cell_id}: the replacement is the solution itself")
    return problems
