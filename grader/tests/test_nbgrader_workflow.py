"""The instructor's nbgrader workflow, run for real on a copy of the course.

One module-scoped copy: generate every lab and its solution (they must equal what is in
git), then collect submissions of each (solved, blank, and for some labs a wrong answer),
autograde, generate feedback and export grades; then grade the same ``submitted/`` folder
with ``python -m grader batch``, which must give every submission the same score.
"""

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.batch import grade_folder
from grader.labs import lab_ids, load_lab
from grader.submissions import WRONG_ANSWERS, answer_file_notebook, load_answer_file

REPO = Path(__file__).resolve().parents[2]
LABS = lab_ids()
NBGRADER = [sys.executable, "-m", "nbgrader"]
# One worker runs this whole module: its course copy is built once (pytest -n, loadgroup).
pytestmark = [pytest.mark.xdist_group("nbgrader-course"), pytest.mark.slow]
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


# Carol's and Dan's mistakes, for the labs where a partial score tests the equivalence.
MISTAKES = {"carol": {"02-retries": "no_jitter", "03-partial-failures": "resends_the_whole_batch",
                      "05-load-shedding": "shed_inverted", "07-shuffle-sharding": "salted_hash",
                      "08-idempotency": "claim_without_condition"},
            "dan": {"07-shuffle-sharding": "neighbouring_queues"}}


@pytest.fixture(scope="module")
def autograded(course):
    """Every lab autograded, with feedback, and the grades exported: nbgrader's scores."""
    submissions = {"alice": course.parent / "solutions", "bob": course.parent / "labs"}
    for lab in LABS:
        for student, folder in submissions.items():
            target = course / "submitted" / student / lab
            target.mkdir(parents=True)
            shutil.copy(folder / lab / f"{lab}.ipynb", target)
        for student, mistakes in MISTAKES.items():
            if lab in mistakes:
                wrong = load_answer_file(WRONG_ANSWERS / lab / f"{mistakes[lab]}.py")
                target = course / "submitted" / student / lab / f"{lab}.ipynb"
                target.parent.mkdir(parents=True)
                target.write_text(json.dumps(answer_file_notebook(wrong)))
        nbgrader(course, "autograde", lab)
        nbgrader(course, "generate_feedback", lab)
    nbgrader(course, "export")
    with open(course / "grades.csv") as grades_file:  # every student, every lab: keep those
        return {(row["assignment"], row["student_id"]): float(row["score"])  # submitted
                for row in csv.DictReader(grades_file)
                if (course / "submitted" / row["student_id"] / row["assignment"]).is_dir()}


def test_autograde_feedback_and_export(course, autograded):
    full = {lab: load_lab(lab).max_score for lab in LABS}
    assert {k: v for k, v in autograded.items() if k[1] in ("alice", "bob")} == {
        **{(lab, "alice"): full[lab] for lab in LABS}, **{(lab, "bob"): 0.0 for lab in LABS}}
    mistaken = {k: v for k, v in autograded.items() if k[1] in MISTAKES}
    assert len(mistaken) == 6 and all(0 <= v < full[lab] for (lab, _), v in mistaken.items())
    for lab in LABS:
        feedback = course / "feedback" / "alice" / lab / f"{lab}.html"
        assert f"Score: {full[lab]} / {full[lab]}" in feedback.read_text().replace("\n", " ")


def test_batch_grading_gives_nbgraders_scores(course, autograded, tmp_path):
    summary = grade_folder(course, tmp_path / "results", jobs=2)
    assert summary.graded == len(autograded) and summary.errors == 0
    with open(summary.scores_csv) as scores_file:
        ours = {(row["lab"], row["student"]): float(row["score"])
                for row in csv.DictReader(scores_file)}
    assert ours == autograded
