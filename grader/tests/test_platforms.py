"""The grader on Gradescope and PrairieLearn: the result in their shapes, the bundles, and the
bundles' scripts run end to end in a temporary root.

The end-to-end tests run the bundle's own ``run_autograder`` (Gradescope) and ``run.sh``
(PrairieLearn) with this project's ``.venv`` Python standing in for what ``setup.sh`` and
the grading image install (``GRADER_PYTHON``), and the platform's root moved to a temporary
folder (``AUTOGRADER_ROOT``, ``GRADE_ROOT``). Each ``results.json`` is checked against a
schema written from the platform's documented format.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import stat
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import jsonschema
import pytest

from grader import platforms
from grader.__main__ import main
from grader.grade import CannotGrade
from grader.result import GradeResult, TestResult
from grader.submissions import (
    DEFAULT_LAB,
    WRONG_ANSWERS,
    answer_file_notebook,
    load_answer_file,
    load_notebook,
)

VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
TEXT_FORMAT = {"enum": ["text", "simple_format", "html", "md", "ansi"]}
# https://gradescope-autograders.readthedocs.io/en/latest/specs/#output-format: every key
# the page documents, and no other; a score on top, or on every test.
GRADESCOPE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "score": {"type": "number"}, "execution_time": {"type": "number"},
        "output": {"type": "string"}, "output_format": TEXT_FORMAT,
        "test_output_format": TEXT_FORMAT, "test_name_format": TEXT_FORMAT,
        "visibility": VISIBILITY, "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "score": {"type": "number"}, "max_score": {"type": "number"},
                "status": {"enum": ["passed", "failed"]}, "name": {"type": "string"},
                "name_format": TEXT_FORMAT, "number": {"type": "string"},
                "output": {"type": "string"}, "output_format": TEXT_FORMAT,
                "tags": {"type": "array", "items": {"type": "string"}},
                "visibility": VISIBILITY, "extra_data": {"type": "object"}}}},
        "leaderboard": {"type": "array"}},
    "anyOf": [{"required": ["score"]},
              {"required": ["tests"],
               "properties": {"tests": {"items": {"required": ["score"]}}}}],
}
# https://prairielearn.readthedocs.io/en/latest/externalGrading/#grading-results: a score in
# [0, 1] unless not gradable; any other key is allowed; tests as the results element reads.
PRAIRIELEARN_SCHEMA = {
    "type": "object",
    "properties": {
        "gradable": {"type": "boolean"},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "message": {"type": "string"}, "output": {"type": "string"},
        "format_errors": {"anyOf": [{"type": "string"},
                                    {"type": "array", "items": {"type": "string"}}]},
        "tests": {"type": "array", "items": {
            "type": "object",
            "required": ["name", "points", "max_points"],
            "properties": {
                "name": {"type": "string"}, "description": {"type": "string"},
                "points": {"type": "number"}, "max_points": {"type": "number"},
                "message": {"type": "string"}, "output": {"type": "string"}}}}},
    "if": {"not": {"properties": {"gradable": {"const": False}}, "required": ["gradable"]}},
    "then": {"required": ["score"]},
}
WRONG_ANSWER = WRONG_ANSWERS / DEFAULT_LAB / "budget_ignored.py"
OTHER_LAB = "01-timeouts"
CONFINEMENT_LAYERS = {"files", "network", "tcp", "signals", "user namespace", "processes"}


def _result(passed: bool = False) -> dict:
    """A small graded result of the default lab: one test passed, one as ``passed`` says."""
    tests = (TestResult("test_exponential_backoff", "Backoff doubles.", 1.0, 1.0, True, ""),
             TestResult("test_full_jitter", "Full jitter draws.", 2.0 if passed else 0.0, 2.0,
                        passed, "" if passed else "Your delay was <b>negative</b>."))
    return GradeResult(DEFAULT_LAB, sum(t.score for t in tests), 3.0, tests,
                       ("Your cell 'backoff' raised ValueError",)).to_json()


# -- Shapes ------------------------------------------------------------------------------------

def test_gradescope_shape_is_documented_text_with_visibility_per_test():
    results = platforms.gradescope_results(
        _result(), {"test_exponential_backoff": "visible", "test_full_jitter": "hidden"})
    jsonschema.validate(results, GRADESCOPE_SCHEMA)
    first, second = results["tests"]
    assert (results["score"], first["visibility"], second["visibility"]) == \
        (1.0, "visible", "hidden")
    assert (first["status"], second["status"], second["score"]) == ("passed", "failed", 0.0)
    # A learner's message is shown as text, never rendered as HTML.
    assert second["output"] == "Your delay was <b>negative</b>."
    assert {results["output_format"], second["output_format"], second["name_format"]} == {"text"}
    # A test hidden: so is the total, as Gradescope hides it; the notes are still shown.
    assert results["output"] == "Note: Your cell 'backoff' raised ValueError"
    everything_visible = platforms.gradescope_results(
        _result(), dict.fromkeys(("test_exponential_backoff", "test_full_jitter"), "visible"))
    assert everything_visible["output"].startswith("02-retries: 1 / 3 points")


def test_prairielearn_shape_scores_a_share_of_the_maximum():
    results = platforms.prairielearn_results(_result())
    jsonschema.validate(results, PRAIRIELEARN_SCHEMA)
    assert (results["gradable"], results["score"]) == (True, pytest.approx(1 / 3))
    assert [(t["name"], t["points"], t["max_points"]) for t in results["tests"]] == \
        [("test_exponential_backoff", 1.0, 1.0), ("test_full_jitter", 0.0, 2.0)]


def test_not_graded_is_score_zero_with_its_reason_in_every_shape():
    result = GradeResult.not_graded(DEFAULT_LAB, "this is lab 01's notebook", 20.0).to_json()
    gradescope = platforms.gradescope_results(result)
    prairielearn = platforms.prairielearn_results(result)
    jsonschema.validate(gradescope, GRADESCOPE_SCHEMA)
    jsonschema.validate(prairielearn, PRAIRIELEARN_SCHEMA)
    assert (gradescope["score"], gradescope["output"]) == (0.0, "Not graded: this is lab 01's "
                                                                "notebook")
    assert (prairielearn["gradable"], prairielearn["score"]) == (False, 0.0)
    assert prairielearn["format_errors"] == ["this is lab 01's notebook"]


def test_visibility_comes_from_the_source_and_is_configurable():
    """A test cell holding hidden tests waits for the due date; one the learner has in full
    is visible; an instructor's table overrides either, and a typo is refused."""
    assert platforms.default_visibility("03-partial-failures")["test_burst_lands_once"] == \
        "visible"
    assert platforms.default_visibility(DEFAULT_LAB)["test_full_jitter"] == "after_due_date"
    table = platforms.lab_visibility(DEFAULT_LAB, {"test_full_jitter": "visible"})
    assert table["test_full_jitter"] == "visible"
    with pytest.raises(ValueError, match="no test 'test_ful_jitter'"):
        platforms.lab_visibility(DEFAULT_LAB, {"test_ful_jitter": "visible"})
    with pytest.raises(ValueError, match="is not one of"):
        platforms.lab_visibility(DEFAULT_LAB, {"test_full_jitter": "after_deadline"})


@pytest.mark.parametrize("format_name", platforms.FORMATS)
def test_grade_prints_one_result_in_each_shape(format_name, monkeypatch, capsys, tmp_path):
    """``grade --format``: the same result, in the shape asked for (grading itself is the
    grading tests' business: here it returns a known result)."""
    result = _result(passed=True)
    monkeypatch.setattr("grader.grade.grade_file", lambda path: _as_grade_result(result))
    assert main(["grade", str(tmp_path / "any.ipynb"), "--format", format_name]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == platforms.shaped(result, format_name)
    schema = {"gradescope": GRADESCOPE_SCHEMA, "prairielearn": PRAIRIELEARN_SCHEMA}
    if format_name in schema:
        jsonschema.validate(printed, schema[format_name])
    else:
        assert printed == result


def _as_grade_result(result: dict) -> GradeResult:
    tests = tuple(TestResult(**t) for t in result["tests"])
    return GradeResult(result["lab"], result["score"], result["max_score"], tests,
                       tuple(result["notes"]))


# -- Finding the submission --------------------------------------------------------------------

def test_find_notebook_takes_the_one_notebook_and_refuses_anything_else(tmp_path):
    with pytest.raises(CannotGrade, match="no submission folder"):
        platforms.find_notebook(tmp_path / "missing")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "lab-checkpoint.ipynb").write_text("{}")
    with pytest.raises(CannotGrade, match="no notebook"):
        platforms.find_notebook(tmp_path)
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "lab.ipynb").write_text("{}")
    assert platforms.find_notebook(tmp_path) == tmp_path / "work" / "lab.ipynb"
    (tmp_path / "copy.ipynb").write_text("{}")
    with pytest.raises(CannotGrade, match=r"2 notebooks \(copy.ipynb, work/lab.ipynb\)"):
        platforms.find_notebook(tmp_path)


def test_a_link_is_not_graded_whatever_it_points_at(tmp_path):
    """A link to the hidden tests' source notebook would score full marks: refused."""
    source = platforms.REPO / "grader" / "source" / DEFAULT_LAB / f"{DEFAULT_LAB}.ipynb"
    (tmp_path / f"{DEFAULT_LAB}.ipynb").symlink_to(source)
    with pytest.raises(CannotGrade, match="is a link"):
        platforms.find_notebook(tmp_path)


# -- The bundles -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gradescope_bundle(tmp_path_factory) -> Path:
    """The default lab's Gradescope bundle, one test visible by the instructor's choice."""
    out = tmp_path_factory.mktemp("gradescope")
    platforms.write_gradescope_bundle(DEFAULT_LAB, out, {"test_exponential_backoff": "visible"})
    return out


@pytest.fixture(scope="module")
def prairielearn_course(tmp_path_factory) -> Path:
    """The default lab's PrairieLearn question, with the shared grader and image files."""
    out = tmp_path_factory.mktemp("prairielearn")
    platforms.write_prairielearn_question(DEFAULT_LAB, out, "example/resilience-grader:1")
    return out


def test_gradescope_zip_has_its_scripts_at_the_root_and_no_tests(gradescope_bundle):
    with zipfile.ZipFile(gradescope_bundle / "autograder.zip") as archive:
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    for script in ("setup.sh", "run_autograder"):
        assert modes[script] & stat.S_IXUSR, f"{script} must be executable"
    assert "code/grader/source/02-retries/02-retries.ipynb" in modes
    assert "code/resilience/checks/retries.py" in modes
    assert not [name for name in modes if "/tests/" in name or "__pycache__" in name]
    config = tomllib.loads((gradescope_bundle / "grader.toml").read_text())
    assert config["lab"] == DEFAULT_LAB
    assert config["visibility"]["test_exponential_backoff"] == "visible"
    assert config["visibility"]["test_full_jitter"] == "after_due_date"
    pins = (gradescope_bundle / "requirements.txt").read_text().split()
    assert "boto3==1.44.5" in pins and all("==" in pin for pin in pins)


def test_prairielearn_question_is_an_externally_graded_upload(prairielearn_course):
    question = prairielearn_course / "questions" / f"resilience-{DEFAULT_LAB}"
    info = json.loads((question / "info.json").read_text())
    options = info["externalGradingOptions"]
    assert (info["gradingMethod"], options["enabled"], options["image"]) == \
        ("External", True, "example/resilience-grader:1")
    assert options["entrypoint"] == "/grade/serverFilesCourse/resilience_grader/run.sh"
    assert options["serverFilesCourse"] == ["resilience_grader/"]
    assert options["timeout"] <= 600  # PrairieLearn's maximum
    assert f'file-names="{DEFAULT_LAB}.ipynb"' in (question / "question.html").read_text()
    entrypoint = prairielearn_course / "serverFilesCourse" / "resilience_grader" / "run.sh"
    assert entrypoint.stat().st_mode & stat.S_IXUSR
    assert "FROM python:3.12" in (prairielearn_course / "grading-image" / "Dockerfile").read_text()


@pytest.mark.parametrize("argv, message", [
    (["gradescope", "99-nothing", "--out", "x"], "no such lab: 99-nothing"),
    (["gradescope", DEFAULT_LAB, "--out", "x", "--visibility", "test_full_jitter=soon"],
     "is not one of"),
    (["prairielearn", "99-nothing", "--out", "x"], "no such lab: 99-nothing")])
def test_a_bundle_for_a_bad_lab_or_visibility_is_refused(argv, message, capsys, tmp_path,
                                                         monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


# -- End to end: the platform's script, in a temporary root -------------------------------------

def _write_submission(folder: Path, kind: str) -> None:
    """Put one kind of submission in ``folder`` (created unless ``kind`` is ``missing``)."""
    if kind == "missing":
        return
    folder.mkdir(parents=True, exist_ok=True)
    notebooks = {"solved": lambda: load_notebook(DEFAULT_LAB, "solution"),
                 "blank": lambda: load_notebook(DEFAULT_LAB, "release"),
                 "wrong": lambda: answer_file_notebook(load_answer_file(WRONG_ANSWER)),
                 "another lab": lambda: load_notebook(OTHER_LAB, "solution")}
    if kind in notebooks:
        (folder / f"{DEFAULT_LAB}.ipynb").write_text(json.dumps(notebooks[kind]()))
    elif kind == "malformed":
        (folder / f"{DEFAULT_LAB}.ipynb").write_text('{"cells": [{"cell_type": "code", ')
    elif kind == "unreadable":
        (folder / f"{DEFAULT_LAB}.ipynb").mkdir()  # a folder by a notebook's name
    elif kind == "several":
        for name in (f"{DEFAULT_LAB}.ipynb", "scratch.ipynb"):
            (folder / name).write_text(json.dumps(load_notebook(DEFAULT_LAB, "solution")))


def _run(script: Path, cwd: Path, root_variable: str, root: Path) -> None:
    done = subprocess.run([str(script)], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, root_variable: str(root),
                               "GRADER_PYTHON": sys.executable})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "confinement on this machine:" in done.stdout


SUBMISSIONS = {  # kind: (its score, or None for "some points lost"; why it is not graded)
    "solved": (20.0, None),
    "blank": (0.0, None),
    "wrong": (None, None),
    "malformed": (0.0, "02-retries.ipynb is not a notebook (not JSON"),
    "missing": (0.0, "no submission was found"),
    "unreadable": (0.0, "02-retries.ipynb could not be read"),
    "several": (0.0, "the submission holds 2 notebooks"),
    "another lab": (0.0, "this is lab 01-timeouts's notebook, submitted as lab 02-retries"),
}


def _check_score(kind: str, score: float, text: str) -> None:
    """The score ``kind`` deserves (of 20), and, when it is not graded, the reason in one
    line of ``text``."""
    expected, reason = SUBMISSIONS[kind]
    if expected is None:
        assert 0 < score < 20.0
    else:
        assert score == expected
    assert text.startswith("Not graded: ") is (reason is not None)
    if reason is not None:
        assert reason in text and "\n" not in text


@pytest.mark.slow
@pytest.mark.parametrize("kind", SUBMISSIONS)
def test_gradescope_run_autograder_end_to_end(kind, gradescope_bundle, tmp_path):
    root = tmp_path / "autograder"
    shutil.copytree(gradescope_bundle, root / "source")
    shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")
    _write_submission(root / "submission", kind)
    _run(root / "run_autograder", root, "AUTOGRADER_ROOT", root)
    results = json.loads((root / "results" / "results.json").read_text())
    jsonschema.validate(results, GRADESCOPE_SCHEMA)
    _check_score(kind, results["score"], results["output"])
    assert set(results["extra_data"]["confinement"]) <= CONFINEMENT_LAYERS
    if kind == "wrong":
        failed = {t["extra_data"]["grade_id"] for t in results["tests"]
                  if t["status"] == "failed"}
        assert failed == set(load_answer_file(WRONG_ANSWER).EXPECTED_FAILURES)
        visible = {t["extra_data"]["grade_id"]: t["visibility"] for t in results["tests"]}
        assert visible["test_exponential_backoff"] == "visible"  # the instructor's choice
        assert visible["test_wrapper_respects_budget"] == "after_due_date"


@pytest.mark.slow
@pytest.mark.parametrize("kind", SUBMISSIONS)
def test_prairielearn_entrypoint_end_to_end(kind, prairielearn_course, tmp_path):
    root = tmp_path / "grade"
    shutil.copytree(prairielearn_course / "serverFilesCourse", root / "serverFilesCourse")
    shutil.copytree(prairielearn_course / "questions" / f"resilience-{DEFAULT_LAB}" / "tests",
                    root / "tests")
    (root / "data").mkdir(parents=True)
    (root / "data" / "data.json").write_text(json.dumps({"params": {}, "submitted_answers": {}}))
    _write_submission(root / "student", kind)
    _run(root / "serverFilesCourse" / "resilience_grader" / "run.sh", tmp_path, "GRADE_ROOT",
         root)
    results = json.loads((root / "results" / "results.json").read_text())
    jsonschema.validate(results, PRAIRIELEARN_SCHEMA)
    _check_score(kind, results["score"] * 20.0, results["message"])
    assert results["gradable"] is (SUBMISSIONS[kind][1] is None)


@pytest.mark.slow
def test_prairielearn_reads_the_files_in_data_json_when_student_is_empty(prairielearn_course,
                                                                         tmp_path):
    root = tmp_path / "grade"
    shutil.copytree(prairielearn_course / "serverFilesCourse", root / "serverFilesCourse")
    shutil.copytree(prairielearn_course / "questions" / f"resilience-{DEFAULT_LAB}" / "tests",
                    root / "tests")
    notebook = json.dumps(load_notebook(DEFAULT_LAB, "solution")).encode()
    files = [{"name": f"../{DEFAULT_LAB}.ipynb", "contents": base64.b64encode(notebook).decode()}]
    (root / "data").mkdir(parents=True)
    (root / "data" / "data.json").write_text(json.dumps({"submitted_answers": {"_files": files}}))
    _run(root / "serverFilesCourse" / "resilience_grader" / "run.sh", tmp_path, "GRADE_ROOT",
         root)
    results = json.loads((root / "results" / "results.json").read_text())
    assert (results["gradable"], results["score"]) == (True, 1.0)
    assert (root / "student" / f"{DEFAULT_LAB}.ipynb").is_file()  # the name, no folder


def test_a_broken_bundle_still_writes_a_result(tmp_path, capsys):
    """A bundle without its configuration: score 0 and the reason, not a traceback."""
    assert main(["gradescope-run", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    jsonschema.validate(results, GRADESCOPE_SCHEMA)
    assert results["score"] == 0.0
    assert results["output"].startswith("Not graded: the autograder is misconfigured")
    assert "misconfigured" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can grade as another user")
def test_as_root_the_grading_runs_as_the_bundles_user(tmp_path, monkeypatch):
    """Gradescope and PrairieLearn start the bundle as root: the grading process is then
    the bundle's unprivileged user, and owns the copy it grades. (The end-to-end tests
    cannot show it: the user cannot run this project's Python, which lives in root's home.)"""
    import pwd

    nobody = pwd.getpwnam("nobody")
    started = {}

    def run(argv, **options):
        started.update(options, owner=Path(argv[-2]).stat().st_uid)
        return subprocess.CompletedProcess(argv, 0, stdout='{"result": {"tests": []}}')

    monkeypatch.setenv("GRADER_USER", "nobody")
    monkeypatch.setattr(platforms.subprocess, "run", run)
    (tmp_path / "lab.ipynb").write_text("{}")
    platforms._grade_in_child(tmp_path / "lab.ipynb", DEFAULT_LAB, 10.0)
    assert (started["user"], started["group"], started["extra_groups"], started["owner"]) == \
        (nobody.pw_uid, nobody.pw_gid, [], nobody.pw_uid)
