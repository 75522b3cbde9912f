"""Deadlines, late work and the LMS gradebooks: the penalty rule, extensions, where a
submission's time comes from, the configs refused before any grading, and the Canvas and
Moodle CSVs parsed back."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from grader import feedback, gradebook
from grader.batch import grade_folder
from grader.labs import lab_ids
from grader.policy import (
    FROM_FILE_TIME,
    FROM_TIMESTAMP,
    Policy,
    PolicyError,
    load_policy,
    parse_timestamp,
    submission_time,
)
from grader.submissions import REPO, load_notebook

LAB = "02-retries"
LIMITS = {"time_limit_s": 30, "test_time_limit_s": 5}
DUE = datetime(2026, 12, 1, 23, 59, tzinfo=timezone(timedelta(hours=1)))
POLICY_TOML = f"""
[late]
percent_per_day = 10
max_percent = 50
cutoff_days = 7

[labs."{LAB}"]
due = {DUE.isoformat()}
gradebook_column = "Lab 2: retries (1234)"

[[extensions]]
student = "cy"
lab = "{LAB}"
due = "2026-12-05T23:59:00+01:00"
"""


def _policy(tmp_path: Path, text: str = POLICY_TOML) -> Policy:
    path = tmp_path / "course.toml"
    path.write_text(text)
    return load_policy(path, lab_ids())


def _late(policy: Policy, student: str, after: timedelta, score: float = 20.0) -> dict:
    late = policy.late(student, LAB, DUE + after, FROM_TIMESTAMP, score)
    assert late is not None
    return late


# -- The rule --------------------------------------------------------------------------------


def test_on_time_costs_nothing(tmp_path):
    late = _late(_policy(tmp_path), "ada", -timedelta(minutes=1))
    assert (late["late_by_s"], late["days_late"], late["penalty"]) == (0, 0, 0)
    assert late["final_score"] == 20 and not late["past_cutoff"] and not late["extension"]
    assert late["due"] == "2026-12-01T23:59:00+01:00"


@pytest.mark.parametrize("after, days, percent", [
    (timedelta(seconds=1), 1, 10),  # a started day counts as a day
    (timedelta(hours=24), 1, 10),
    (timedelta(hours=26), 2, 20),
    (timedelta(days=6, hours=1), 7, 50),  # capped at max_percent
])
def test_late_work_loses_a_share_per_started_day(tmp_path, after, days, percent):
    late = _late(_policy(tmp_path), "ada", after, score=15.0)
    assert (late["days_late"], late["penalty_percent"]) == (days, percent)
    assert late["penalty"] == 15 * percent / 100
    assert late["final_score"] == 15 - late["penalty"]


def test_past_the_cutoff_nothing_counts(tmp_path):
    policy = _policy(tmp_path)
    assert not _late(policy, "ada", timedelta(days=7))["past_cutoff"]
    late = _late(policy, "ada", timedelta(days=7, seconds=1))
    assert late["past_cutoff"] and late["penalty_percent"] == 100
    assert (late["penalty"], late["final_score"]) == (20, 0)


def test_an_extension_moves_that_learners_due_date_only(tmp_path):
    policy = _policy(tmp_path)
    three_days = timedelta(days=3)
    cy, ada = _late(policy, "cy", three_days), _late(policy, "ada", three_days)
    assert cy["extension"] and cy["due"] == "2026-12-05T23:59:00+01:00"
    assert cy["penalty"] == 0 and cy["final_score"] == 20
    assert not ada["extension"] and ada["penalty_percent"] == 30


def test_a_lab_without_a_due_date_has_no_late_object(tmp_path):
    when = datetime(2030, 1, 1, tzinfo=UTC)
    assert _policy(tmp_path).late("ada", "05-load-shedding", when, FROM_TIMESTAMP, 9) is None


# -- Where the submission time comes from -----------------------------------------------------


def test_the_time_comes_from_nbgraders_timestamp_before_the_file(tmp_path):
    notebook = tmp_path / "submitted" / "ada" / LAB / f"{LAB}.ipynb"
    notebook.parent.mkdir(parents=True)
    notebook.write_text("{}")
    file_time = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    os.utime(notebook, (file_time.timestamp(), file_time.timestamp()))
    assert submission_time(notebook) == (file_time, FROM_FILE_TIME)
    (notebook.parent / "timestamp.txt").write_text("2026-12-02 09:30:00.250000 UTC")
    assert submission_time(notebook) == (
        datetime(2026, 12, 2, 9, 30, 0, 250000, tzinfo=UTC), FROM_TIMESTAMP)
    (notebook.parent / "timestamp.txt").write_text("last Tuesday")
    assert submission_time(notebook) == (file_time, FROM_FILE_TIME)


@pytest.mark.parametrize("text, hours", [
    ("2026-12-02 09:30:00.000000 UTC", 0),
    ("2026-12-02 09:30:00.000000 -0500", -5),
    ("2026-12-02 09:30:00.000000 CET", 1),
    ("2026-12-02T09:30:00+02:00", 2),
])
def test_nbgrader_timestamps_keep_their_time_zone(text, hours):
    parsed = parse_timestamp(text)
    assert parsed.replace(tzinfo=None) == datetime(2026, 12, 2, 9, 30)
    assert parsed.utcoffset() == timedelta(hours=hours)


@pytest.mark.parametrize("text", ["2026-12-02 09:30:00", "2026-12-02 09:30:00 Mars/Olympus",
                                  ""])
def test_a_timestamp_without_a_known_zone_is_not_guessed(text):
    with pytest.raises(ValueError):
        parse_timestamp(text)


# -- Configs refused before any grading -------------------------------------------------------


REFUSED = {  # name: (the file, what its one-line message says)
    "unknown lab": ('[labs."02-retry"]\ndue = 2026-12-01T23:59:00Z\n', "unknown lab '02-retry'"),
    "unknown lab in an extension": (
        f'[labs."{LAB}"]\ndue = 2026-12-01T23:59:00Z\n[[extensions]]\nstudent = "ada"\n'
        'lab = "lab2"\ndue = 2026-12-03T23:59:00Z\n', "unknown lab 'lab2'"),
    "extension of a lab with no due date": (
        '[[extensions]]\nstudent = "ada"\nlab = "05-load-shedding"\n'
        'due = 2026-12-03T23:59:00Z\n', "no due date"),
    "extension with no date": (
        f'[labs."{LAB}"]\ndue = 2026-12-01T23:59:00Z\n[[extensions]]\nstudent = "ada"\n'
        f'lab = "{LAB}"\n', "has no due"),
    "malformed date": (f'[labs."{LAB}"]\ndue = "2026-13-01T23:59:00+01:00"\n',
                       "malformed date '2026-13-01T23:59:00+01:00'"),
    "a date in words": (f'[labs."{LAB}"]\ndue = "1 December"\n', "malformed date"),
    "no time zone": (f'[labs."{LAB}"]\ndue = 2026-12-01T23:59:00\n', "needs a date, a time "
                     "and a time zone"),
    "a day with no time": (f'[labs."{LAB}"]\ndue = 2026-12-01\n', "needs a date, a time"),
    "unknown top-level key": ("[penalty]\npercent_per_day = 10\n", "unknown key 'penalty'"),
    "unknown key in [late]": ("[late]\npercent_per_dya = 10\n", "unknown key 'percent_per_dya'"),
    "unknown key in a lab": (f'[labs."{LAB}"]\ndeadline = 2026-12-01T23:59:00Z\n',
                             "unknown key 'deadline'"),
    "negative penalty": ("[late]\npercent_per_day = -10\n", "0 or more"),
    "a penalty in words": ('[late]\npercent_per_day = "ten"\n', "must be a number"),
    "not TOML": ("[late\npercent_per_day = 10\n", "cannot read it"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_config_it_cannot_use_is_refused_in_one_line(tmp_path, name):
    text, said = REFUSED[name]
    with pytest.raises(PolicyError) as refused:
        _policy(tmp_path, text)
    assert said in str(refused.value) and "\n" not in str(refused.value)


def test_the_batch_command_refuses_a_bad_config_before_grading(tmp_path):
    folder, out = tmp_path / "class", tmp_path / "out"
    folder.mkdir()
    (folder / "ada.ipynb").write_text(json.dumps(load_notebook(LAB)))
    (tmp_path / "bad.toml").write_text(REFUSED["malformed date"][0])
    (tmp_path / "roster.csv").write_text("student,nickname\nada,Ada\n")
    command = [sys.executable, "-m", "grader", "batch", str(folder), "--out", str(out)]
    for extra, said in ((["--policy", str(tmp_path / "bad.toml")], "malformed date"),
                        (["--roster", str(tmp_path / "roster.csv")], "unknown column")):
        run = subprocess.run(command + extra, cwd=REPO, capture_output=True, text=True,
                             timeout=60)
        assert run.returncode == 2 and run.stdout == ""
        assert said in run.stderr and len(run.stderr.strip().splitlines()) == 1
        assert not out.exists()  # nothing graded, nothing written


@pytest.mark.parametrize("text, said", [
    ("name,email\nAda,ada@example.org\n", "no 'student' column"),
    ("student,login\nada,ada\n", "unknown column 'login'"),
    ("student,email\nada,a@example.org\nada,b@example.org\n", "'ada' is listed twice"),
])
def test_a_roster_it_cannot_use_is_refused(tmp_path, text, said):
    (tmp_path / "roster.csv").write_text(text)
    with pytest.raises(gradebook.RosterError, match=said):
        gradebook.load_roster(tmp_path / "roster.csv")


# -- The gradebooks and the page --------------------------------------------------------------


GRADES = {"ada": {LAB: 20.0, "05-load-shedding": 7.5}, "bea": {LAB: 12.0}}
POINTS = {LAB: 20.0, "05-load-shedding": 15.0}
ROSTER_CSV = ("student,name,canvas_id,sis_user_id,sis_login_id,section,email,username,"
              "id_number\nada,\"Lovelace, Ada\",1201,S0001,alovelace,Section 1,"
              "ada@example.org,alovelace,S0001\n")


def _parsed(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_canvas_gradebook_has_canvas_columns_and_points_possible(tmp_path):
    (tmp_path / "roster.csv").write_text(ROSTER_CSV)
    roster = gradebook.load_roster(tmp_path / "roster.csv")
    text = gradebook.canvas(GRADES, POINTS, roster, {LAB: "Lab 2 (1234)"})
    header = next(csv.reader(io.StringIO(text)))
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lab 2 (1234)",
                      "05-load-shedding"]
    points, ada, bea = _parsed(text)
    assert points["Student"] == "Points Possible"
    assert (points["Lab 2 (1234)"], points["05-load-shedding"]) == ("20", "15")
    assert ada == {"Student": "Lovelace, Ada", "ID": "1201", "SIS User ID": "S0001",
                   "SIS Login ID": "alovelace", "Section": "Section 1", "Lab 2 (1234)": "20",
                   "05-load-shedding": "7.5"}
    assert bea == {"Student": "bea", "ID": "", "SIS User ID": "", "SIS Login ID": "bea",
                   "Section": "", "Lab 2 (1234)": "12", "05-load-shedding": ""}


def test_the_moodle_gradebook_has_identifiers_to_map_from(tmp_path):
    (tmp_path / "roster.csv").write_text(ROSTER_CSV)
    roster = gradebook.load_roster(tmp_path / "roster.csv")
    text = gradebook.moodle(GRADES, list(POINTS), roster, {})
    assert next(csv.reader(io.StringIO(text))) == [
        "Username", "ID number", "Email address", LAB, "05-load-shedding"]
    assert _parsed(text) == [
        {"Username": "alovelace", "ID number": "S0001", "Email address": "ada@example.org",
         "05-load-shedding": "7.5", LAB: "20"},
        {"Username": "bea", "ID number": "", "Email address": "", "05-load-shedding": "",
         LAB: "12"}]


def test_the_feedback_page_says_how_late_and_what_it_cost(tmp_path):
    late = _late(_policy(tmp_path), "ada", timedelta(hours=26, minutes=5))
    result = {"lab": LAB, "score": 20.0, "max_score": 20.0, "tests": [], "notes": [],
              "late": late}
    page = feedback.html(result)
    assert ("Submitted 2026-12-03T02:04:00+01:00 (due 2026-12-01T23:59:00+01:00): 1 day "
            "2 h 5 min late, a penalty of 20% (4 points): 16 points count.") in page
    assert page.index("class='score'") < page.index("class='late'")
    on_time = {**result, "late": _late(_policy(tmp_path), "cy", timedelta(days=2))}
    assert "(due 2026-12-05T23:59:00+01:00, with an extension): on time." in \
        feedback.html(on_time)
    assert "class='late'" not in feedback.html({**result, "late": None})


# -- A class, end to end ----------------------------------------------------------------------


def _submit(submitted: Path, student: str, stamp: str | None, file_time: datetime) -> None:
    folder = submitted / student / LAB
    folder.mkdir(parents=True)
    notebook = folder / f"{LAB}.ipynb"
    notebook.write_text(json.dumps(load_notebook(LAB)))
    if stamp:
        (folder / "timestamp.txt").write_text(stamp)
    os.utime(notebook, (file_time.timestamp(), file_time.timestamp()))


@pytest.mark.slow  # grades three submissions in worker processes
def test_a_class_graded_with_a_policy(tmp_path):
    submitted, out = tmp_path / "course" / "submitted", tmp_path / "out"
    long_ago = datetime(2026, 11, 1, tzinfo=UTC)
    _submit(submitted, "ada", "2026-12-01 20:00:00.000000 UTC", long_ago)  # on time
    _submit(submitted, "bea", "2026-12-03 01:00:00.000000 UTC", long_ago)  # 26 h 1 min late
    _submit(submitted, "cy", None, datetime(2026, 12, 20, tzinfo=UTC))  # file time, cut off
    (submitted / "dee" / "homework").mkdir(parents=True)  # no lab of the course: no column
    (submitted / "dee" / "homework" / "mine.ipynb").write_text(json.dumps(load_notebook(LAB)))
    (tmp_path / "course.toml").write_text(POLICY_TOML.replace('"cy"', '"dee"'))
    policy = load_policy(tmp_path / "course.toml", lab_ids())
    summary = grade_folder(tmp_path / "course", out, jobs=2, limits=LIMITS, policy=policy)
    assert summary.graded == 4

    def result(student: str) -> dict:
        return json.loads((out / "results" / student / f"{LAB}.json").read_text())

    assert list(result("ada")) == ["lab", "score", "max_score", "tests", "notes", "student",
                                   "submission", "sha256", "grader", "late"]
    assert result("ada")["late"]["final_score"] == 20
    bea = result("bea")
    assert bea["score"] == 20 and bea["late"]["submitted_at_from"] == FROM_TIMESTAMP
    assert (bea["late"]["penalty"], bea["late"]["final_score"]) == (4, 16)
    cy = result("cy")["late"]
    assert cy["submitted_at_from"] == FROM_FILE_TIME and cy["past_cutoff"]
    assert "16 points count" in (out / "feedback" / "bea" / f"{LAB}.html").read_text()

    rows = {r["student"]: r for r in csv.DictReader((out / "scores.csv").open())}
    assert {k: rows["bea"][k] for k in ("score", "submitted_at", "due", "late_by", "penalty",
                                         "final_score")} == {
        "score": "20", "submitted_at": "2026-12-03T01:00:00+00:00",
        "due": "2026-12-01T23:59:00+01:00", "late_by": "1 day 2 h 1 min", "penalty": "4",
        "final_score": "16"}
    assert rows["cy"]["final_score"] == "0"
    assert "homework" not in (out / "gradebook-canvas.csv").read_text()
    canvas = _parsed((out / "gradebook-canvas.csv").read_text())
    assert [(r["Student"], r["Lab 2: retries (1234)"]) for r in canvas] == [
        ("Points Possible", "20"), ("ada", "20"), ("bea", "16"), ("cy", "0")]
    moodle = _parsed((out / "gradebook-moodle.csv").read_text())
    assert [(r["Username"], r["Lab 2: retries (1234)"]) for r in moodle] == [
        ("ada", "20"), ("bea", "16"), ("cy", "0")]

    # cy gets the extension after the grading: a rerun grades nothing, and updates cy alone
    (tmp_path / "course.toml").write_text(POLICY_TOML.replace(
        "2026-12-05T23:59:00+01:00", "2026-12-21T00:00:00+01:00"))
    bea_before = (out / "results" / "bea" / f"{LAB}.json").read_bytes()
    again = grade_folder(tmp_path / "course", out, jobs=2, limits=LIMITS,
                         policy=load_policy(tmp_path / "course.toml", lab_ids()))
    assert (again.graded, again.skipped, again.late_updated) == (0, 4, 1)
    assert result("cy")["late"]["extension"] and result("cy")["late"]["final_score"] == 20
    assert (out / "results" / "bea" / f"{LAB}.json").read_bytes() == bea_before
