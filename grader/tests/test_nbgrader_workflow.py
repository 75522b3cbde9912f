"""The instructor's nbgrader workflow, run for real on a copy of the course.

One module-scoped copy: generate every lab and its solution (they must equal what is in
git), then collect two submissions of each, autograde, generate feedback and export grades.
"""

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.labs import lab_ids, load_lab

REPO = Path(__file__).resolve().parents[2]
LABS = lab_ids()
NBGRADER = [sys.executable, "-m", "nbgrader"]
# One worker runs this whole module: its course copy is built once (pytest -n, loadgroup).
pytestmark = pytest.mark.xdist_group("nbgrader-course")
# nbgrader runs `alembic` by name: the environment's own scripts must come first on PATH.
ENVIRONMENT = {**os.environ,
               "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    completed = subprocess.run([*NBGRADER, *args], cwd=course, capture_output=True, text=True,
                               timeout=600, env=ENVIRONMENT)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed


def cells(path: Path) -> list:
    """What nbgrader generates that matters: the cells (metadata included)."""
    return json.loads(path.read_text())["cells"]


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("course")
    course = root / "grader"
    shutil.copytree(REPO / "grader" / "source", course / "source")
    shutil.copy(REPO / "grader" / "nbgrader_config.py", course)
    for lab in LABS:
        nbgrader(course, "generate_assignment", lab, "--force")
        nbgrader(course, "generate_solution", lab, "--force")
    return course


@pytest.mark.parametrize("lab", LABS)
def test_generated_labs_and_solutions_match_git(course, lab):
    for folder in ("labs", "solutions"):
        generated = course.parent / folder / lab / f"{lab}.ipynb"
        committed = REPO / folder / lab / f"{lab}.ipynb"
        assert cells(generated) == cells(committed), (
            f"{folder}/{lab} is out of date with grader/source: run `make labs` and commit.")


@pytest.mark.parametrize("lab", LABS)
def test_release_has_no_solutions_or_hidden_tests(course, lab):
    text = (course.parent / "labs" / lab / f"{lab}.ipynb").read_text()
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert "raise NotImplementedError()" in text
    hidden = [line.strip() for test in load_lab(lab).tests
              if "BEGIN HIDDEN TESTS" in test.source
              for line in test.source.split("### BEGIN HIDDEN TESTS")[1].splitlines()
              if line.strip().startswith("check_")]
    assert hidden and not [call for call in hidden if call in text]


def test_autograde_feedback_and_export(course):
    submissions = {"alice": course.parent / "solutions", "bob": course.parent / "labs"}
    for lab in LABS:
        for student, folder in submissions.items():
            target = course / "submitted" / student / lab
            target.mkdir(parents=True)
            shutil.copy(folder / lab / f"{lab}.ipynb", target)
        nbgrader(course, "autograde", lab)
        nbgrader(course, "generate_feedback", lab)
    nbgrader(course, "export")
    with open(course / "grades.csv") as grades_file:
        scores = {(row["assignment"], row["student_id"]): float(row["score"])
                  for row in csv.DictReader(grades_file)}
    full = {lab: load_lab(lab).max_score for lab in LABS}
    assert scores == {**{(lab, "alice"): full[lab] for lab in LABS},
                      **{(lab, "bob"): 0.0 for lab in LABS}}
    for lab in LABS:
        feedback = course / "feedback" / "alice" / lab / f"{lab}.html"
        assert f"Score: {full[lab]} / {full[lab]}" in feedback.read_text().replace("\n", " ")
