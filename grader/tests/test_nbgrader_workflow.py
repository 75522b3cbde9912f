"""The instructor's nbgrader workflow, run for real on a copy of the course.

One module-scoped copy: generate the lab and its solution (they must equal what is in git),
then collect two submissions, autograde, generate feedback and export grades.
"""

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LAB = "02-retries"
NBGRADER = [sys.executable, "-m", "nbgrader"]


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    completed = subprocess.run([*NBGRADER, *args], cwd=course, capture_output=True, text=True,
                               timeout=600)
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
    nbgrader(course, "generate_assignment", LAB, "--force")
    nbgrader(course, "generate_solution", LAB, "--force")
    return course


def test_generated_labs_and_solutions_match_git(course):
    for folder in ("labs", "solutions"):
        generated = course.parent / folder / LAB / f"{LAB}.ipynb"
        committed = REPO / folder / LAB / f"{LAB}.ipynb"
        assert cells(generated) == cells(committed), (
            f"{folder}/{LAB} is out of date with grader/source: run `make labs` and commit.")


def test_release_has_no_solutions_or_hidden_tests(course):
    text = (course.parent / "labs" / LAB / f"{LAB}.ipynb").read_text()
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert "check_gives_up(" not in text and "raise NotImplementedError()" in text


def test_autograde_feedback_and_export(course):
    submissions = {"alice": course.parent / "solutions", "bob": course.parent / "labs"}
    for student, folder in submissions.items():
        target = course / "submitted" / student / LAB
        target.mkdir(parents=True)
        shutil.copy(folder / LAB / f"{LAB}.ipynb", target)
    nbgrader(course, "autograde", LAB)
    nbgrader(course, "generate_feedback", LAB)
    nbgrader(course, "export")
    with open(course / "grades.csv") as grades_file:
        scores = {row["student_id"]: float(row["score"]) for row in csv.DictReader(grades_file)}
    assert scores == {"alice": 20.0, "bob": 0.0}
    feedback = course / "feedback" / "alice" / LAB / f"{LAB}.html"
    assert "Score: 20.0 / 20.0" in feedback.read_text().replace("\n", " ")
