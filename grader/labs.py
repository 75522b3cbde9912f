"""The labs as the grader knows them: read from the trusted source notebooks in
``grader/source``, never from a submission.

A submission contributes only the code of its answer cells, matched to the source by
nbgrader's ``grade_id``. Setup cells and tests always come from the source, so editing or
deleting a test in a submission changes nothing.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parent / "source"
LAB_METADATA_KEY = "resilience"  # notebook metadata: {"resilience": {"lab": "02-retries"}}
# A lab whose tests do much more work than others (the capstone runs a whole pipeline many
# times) says so in its source's metadata: {"resilience": {..., "time_scale": 4}} multiplies
# its time limits, so a busy machine cannot fail a correct answer by the clock.
TIME_SCALE_KEY = "time_scale"


@dataclass
class Test:
    """One graded test cell."""

    grade_id: str
    source: str
    points: float
    description: str


@dataclass
class Lab:
    """A lab's trusted cells, in notebook order."""

    lab_id: str
    setup: list[dict] = field(default_factory=list)  # {"label", "source"} run before answers
    answers: list[str] = field(default_factory=list)  # grade_ids of answer cells, in order
    exports: list[str] = field(default_factory=list)  # names the answer cells define
    tests: list[Test] = field(default_factory=list)
    time_scale: float = 1.0  # its time limits, as a multiple of every lab's (TIME_SCALE_KEY)

    @property
    def max_score(self) -> float:
        return sum(t.points for t in self.tests)


def nbgrader_metadata(cell) -> dict:
    """A cell's nbgrader metadata; empty for anything malformed."""
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    nbgrader = meta.get("nbgrader") if isinstance(meta, dict) else None
    return nbgrader if isinstance(nbgrader, dict) else {}


def cell_source(cell) -> str:
    """A cell's code, whether stored as one string or as a list of lines."""
    source = cell.get("source", "") if isinstance(cell, dict) else ""
    return "".join(map(str, source)) if isinstance(source, list) else str(source)


def cell_grade_id(cell) -> str | None:
    """A cell's nbgrader ``grade_id`` if it is a string (a submission may hold anything)."""
    grade_id = nbgrader_metadata(cell).get("grade_id")
    return grade_id if isinstance(grade_id, str) else None


def _defined_names(source: str) -> list[str]:
    """Top-level names a cell defines (functions, classes, assignments)."""
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def _description(source: str) -> str:
    """The first line of a test cell's docstring: what the test checks, in a sentence."""
    body = ast.parse(source).body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        return str(body[0].value.value).strip().splitlines()[0]
    return ""


def load_lab(lab_id: str) -> Lab:
    """Read one lab's trusted source notebook."""
    # Plain JSON: importing nbformat would cost 2 s of the grader's start-up.
    path = SOURCE_DIR / lab_id / f"{lab_id}.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    lab = Lab(lab_id, time_scale=float(notebook.get("metadata", {}).get(
        LAB_METADATA_KEY, {}).get(TIME_SCALE_KEY, 1.0)))
    for cell in notebook["cells"]:
        meta, source = nbgrader_metadata(cell), cell_source(cell)
        if cell["cell_type"] != "code":
            continue
        if meta.get("grade"):
            lab.tests.append(Test(meta["grade_id"], source, float(meta.get("points", 0)),
                                  _description(source)))
        elif meta.get("solution"):
            lab.answers.append(meta["grade_id"])
            lab.exports += _defined_names(source)
        elif meta.get("locked") and "setup" in cell["metadata"].get("tags", []):
            lab.setup.append({"label": meta.get("grade_id", "setup"), "source": source})
    return lab


def largest_time_scale() -> float:
    """The largest ``time_scale`` of any lab: what a limit over mixed labs must allow."""
    return max((load_lab(lab_id).time_scale for lab_id in lab_ids()), default=1.0)


def lab_ids() -> list[str]:
    """Every lab the grader knows, in course order."""
    return sorted(p.name for p in SOURCE_DIR.iterdir() if (p / f"{p.name}.ipynb").is_file())


def identify(submission) -> str | None:
    """Which lab a submitted notebook is, whatever its file is called: by its metadata, or
    else by the lab whose cell ids it shares most."""
    known = lab_ids()
    metadata = submission.get("metadata")
    claimed = metadata.get(LAB_METADATA_KEY) if isinstance(metadata, dict) else None
    if isinstance(claimed, dict) and claimed.get("lab") in known:
        return claimed["lab"]
    ids = {grade_id for c in submission.get("cells", []) if (grade_id := cell_grade_id(c))}
    overlaps = {lab_id: len(ids & set(load_lab(lab_id).answers)) for lab_id in known}
    best = max(overlaps, key=overlaps.__getitem__, default=None)
    return best if best and overlaps[best] > 0 else None


def answer_cells(lab: Lab, submission) -> list[dict]:
    """The submission's code for each answer cell, in the source's order (empty if the
    learner deleted the cell)."""
    by_id: dict[str | None, str] = {}
    for cell in _answer_cells_found(lab, submission):
        by_id.setdefault(cell_grade_id(cell), cell_source(cell))
    return [{"label": grade_id, "source": by_id.get(grade_id, "")} for grade_id in lab.answers]


def _answer_cells_found(lab: Lab, submission) -> list[dict]:
    """The submission's code cells that are answer cells of ``lab``, copies included."""
    return [cell for cell in submission.get("cells", [])
            if isinstance(cell, dict) and cell.get("cell_type") == "code"
            and cell_grade_id(cell) in lab.answers]


def duplicated_answers(lab: Lab, submission) -> list[str]:
    """Answer cells that appear more than once in the submission (only the first counts)."""
    seen = [cell_grade_id(cell) for cell in _answer_cells_found(lab, submission)]
    return sorted({grade_id for grade_id in seen if grade_id and seen.count(grade_id) > 1})
