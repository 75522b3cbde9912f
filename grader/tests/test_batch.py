"""Batch grading: a class's folder in, one result, one feedback page and one CSV row per
submission out; malformed submissions get a one-line reason; reruns grade only what
changed; an interrupted run loses nothing it had finished."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from grader.batch import Submission, find_submissions, grade_folder
from grader.submissions import REPO, load_notebook, with_answers, with_edits

pytestmark = pytest.mark.slow  # grades a whole class in worker processes

LAB = "02-retries"
LIMITS = {"time_limit_s": 30, "test_time_limit_s": 5}


def _write(path: Path, content) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def _old_nbformat(notebook: dict) -> str:
    return nbformat.writes(nbformat.convert(nbformat.reads(json.dumps(notebook), 4), 3))


MALFORMED = {  # file name: (content, what the one-line reason says)
    "empty": ("", "is empty"),
    "not-json": ("print('hello')\n", "not JSON"),
    "json-not-a-notebook": ('{"name": "my homework"}', "no list of cells"),
    "a-list": ("[1, 2, 3]", "no list of cells"),
    "cells-of-nothing": ('{"cells": [1, "two", null]}', "not one of the course's labs"),
    "truncated": ('{"cells": [{"cell_type": "code", "sour', "not JSON"),
}


@pytest.fixture(scope="module")
def flat_class(tmp_path_factory):
    """A flat folder: honest, blank, broken and malformed notebooks of one lab."""
    root = tmp_path_factory.mktemp("flat")
    folder, out = root / "submissions", root / "out"
    solved, blank = load_notebook(LAB), load_notebook(LAB, "release")
    _write(folder / "ada.ipynb", solved)
    _write(folder / "bea.ipynb", blank)
    _write(folder / "cy.ipynb", _old_nbformat(solved))
    _write(folder / "dee.ipynb", with_answers(solved, {"is_retryable": "def oops(:\n"}))
    _write(folder / "eve.ipynb", with_edits(solved, {"is_retryable": [
        ("def is_retryable(error):", "def is_transient(error):")]}))
    _write(folder / "fay.ipynb", {**solved, "cells": [
        c for c in solved["cells"]
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") != "retry_budget"]})
    _write(folder / "gus.ipynb", with_edits(solved, {"save_order": [(
        "    return call_with_retries(", "    print('<script>alert(1)</script>')\n"
        "    raise ValueError('<b>bold</b> & co')\n    return call_with_retries(")]}))
    _write(folder / "hal.ipynb", load_notebook("07-shuffle-sharding"))
    for name, (content, _) in MALFORMED.items():
        _write(folder / f"{name}.ipynb", content)
    summary = grade_folder(folder, out, jobs=2, limits=LIMITS)
    return {"folder": folder, "out": out, "summary": summary}


def _result(out: Path, student: str, name: str | None = None) -> dict:
    return json.loads((out / "results" / student / f"{name or student}.json").read_text())


def test_every_submission_gets_a_result_a_page_and_a_row(flat_class):
    out, summary = flat_class["out"], flat_class["summary"]
    students = sorted(p.stem for p in flat_class["folder"].glob("*.ipynb"))
    assert summary.submissions == summary.graded == len(students) == 14
    rows = list(csv.DictReader((out / "scores.csv").open()))
    assert [r["student"] for r in rows] == students
    assert {r["student"]: r["score"] for r in rows}["ada"] == "20"
    for student in students:
        result = _result(out, student)
        assert {"lab", "score", "max_score", "tests", "notes", "student", "submission",
                "sha256", "grader"} <= set(result)
        assert (out / "feedback" / student / f"{student}.html").read_text().startswith(
            "<!doctype html>")


def test_stored_results_keep_the_contracts_key_order(flat_class):
    origin = ["student", "submission", "sha256", "grader"]
    assert list(_result(flat_class["out"], "ada")) == [
        "lab", "score", "max_score", "tests", "notes", *origin]
    assert list(_result(flat_class["out"], "empty")) == [
        "lab", "score", "max_score", "tests", "notes", "error", *origin]


def test_results_are_those_of_the_grading_command(flat_class):
    from grader.grade import grade_notebook

    single = grade_notebook(load_notebook(LAB)).to_json()
    batch = _result(flat_class["out"], "ada")
    assert {k: batch[k] for k in single} == single


@pytest.mark.parametrize("student, score, said", [
    ("bea", 0, "Not implemented yet"),
    ("cy", 20, ""),  # nbformat 3, upgraded as Jupyter would
    ("dee", None, "SyntaxError"),
    ("eve", None, "check it still has that name"),
    ("fay", None, "check it still has that name"),
    ("hal", 22, ""),  # another lab, in a flat folder: graded as the lab it is
])
def test_broken_submissions_earn_what_they_earn_with_a_reason(flat_class, student, score, said):
    result = _result(flat_class["out"], student)
    if score is not None:
        assert result["score"] == score
    else:
        assert 0 < result["score"] < result["max_score"]
    told = "\n".join(result["notes"] + [t["feedback"] for t in result["tests"]])
    assert said in told


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_files_score_zero_with_one_line(flat_class, name):
    result = _result(flat_class["out"], name)
    reason = MALFORMED[name][1]
    assert result["score"] == 0 and result["tests"] == []
    assert reason in result["error"] and "\n" not in result["error"]
    assert "Traceback" not in result["error"]


def test_feedback_pages_escape_the_learners_text_and_hide_the_tests(flat_class):
    page = (flat_class["out"] / "feedback" / "gus" / "gus.html").read_text()
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in page and "<b>bold" not in page
    assert "save_order stores an order" in page  # the test's one-line description
    for hidden in ("check_", "HIDDEN TESTS", "resilience.checks", "import "):
        assert hidden not in page


def test_a_rerun_grades_nothing_and_changes_nothing(flat_class):
    out = flat_class["out"]
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    summary = grade_folder(flat_class["folder"], out, jobs=2, limits=LIMITS)
    assert summary.graded == 0 and summary.skipped == 14
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_changed_submission_is_graded_again_alone(flat_class, tmp_path):
    folder = tmp_path / "class"
    out = tmp_path / "out"
    _write(folder / "ada.ipynb", load_notebook(LAB))
    _write(folder / "bea.ipynb", load_notebook(LAB, "release"))
    grade_folder(folder, out, jobs=2, limits=LIMITS)
    ada_before = (out / "results" / "ada" / "ada.json").read_bytes()
    _write(folder / "bea.ipynb", load_notebook(LAB))  # Bea finished her lab
    summary = grade_folder(folder, out, jobs=2, limits=LIMITS)
    assert (summary.graded, summary.skipped) == (1, 1)
    assert _result(out, "bea")["score"] == 20
    assert (out / "results" / "ada" / "ada.json").read_bytes() == ada_before


def test_nbgrader_layout_checks_each_notebook_is_the_lab_it_was_submitted_as(tmp_path):
    submitted = tmp_path / "course" / "submitted"
    _write(submitted / "ada" / LAB / f"{LAB}.ipynb", load_notebook(LAB))
    _write(submitted / "bea" / LAB / f"{LAB}.ipynb", load_notebook("07-shuffle-sharding"))
    _write(submitted / "cy" / "homework" / "mine.ipynb", load_notebook(LAB))
    found = find_submissions(tmp_path / "course")
    assert found == [
        Submission("ada", submitted / "ada" / LAB / f"{LAB}.ipynb", LAB, LAB),
        Submission("bea", submitted / "bea" / LAB / f"{LAB}.ipynb", LAB, LAB),
        Submission("cy", submitted / "cy" / "homework" / "mine.ipynb", "homework", "homework")]
    grade_folder(tmp_path / "course", tmp_path / "out", jobs=1, limits=LIMITS)
    assert _result(tmp_path / "out", "ada", LAB)["score"] == 20
    bea = _result(tmp_path / "out", "bea", LAB)
    assert bea["score"] == 0 and bea["max_score"] == 20
    assert "lab 07-shuffle-sharding's notebook, submitted as lab 02-retries" in bea["error"]
    cy = _result(tmp_path / "out", "cy", "homework")
    assert cy["score"] == 0 and "'homework', which is not one of the course's labs" in cy["error"]


def test_an_interrupted_run_loses_nothing_it_finished(tmp_path):
    folder, out = tmp_path / "class", tmp_path / "out"
    for student in ("a", "b", "c", "d", "e", "f"):
        _write(folder / f"{student}.ipynb", load_notebook(LAB))
    command = [sys.executable, "-m", "grader", "batch", str(folder), "--out", str(out),
               "--jobs", "1"]
    run = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(out.glob("results/*/*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)  # as a power cut would
    run.wait()
    finished = {p.parent.name: p.read_bytes() for p in out.glob("results/*/*.json")}
    assert 1 <= len(finished) < 6
    assert all(json.loads(text)["score"] == 20 for text in finished.values())
    summary = grade_folder(folder, out, jobs=2, limits=LIMITS)
    assert summary.graded == 6 - len(finished) and summary.skipped == len(finished)
    assert all((out / "results" / s / f"{s}.json").read_bytes() == text
               for s, text in finished.items())
    assert len(list(out.glob("results/*/*.json"))) == 6
