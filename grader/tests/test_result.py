"""The grading result's contract: what ``python -m grader grade --json`` prints and
``python -m grader batch`` stores has these keys, in this order, with these types; a
submission that could not be graded has one shape, whoever finds that out."""

from __future__ import annotations

import json
import pickle
from dataclasses import replace

from grader.grade import grade_notebook
from grader.result import GradeResult, TestResult, printable
from grader.submissions import load_notebook

PASSED = TestResult("test_exponential_backoff", "Exponential backoff doubles.", 1.0, 1.0, True,
                    "")
FAILED = TestResult("test_full_jitter", "Full jitter draws uniformly.", 0.0, 2.0, False,
                    "Your code raised ValueError: bad value")
GRADED = GradeResult("02-retries", 1.0, 3.0, (PASSED, FAILED),
                     ("Your cell 'backoff' raised ValueError at line 2: bad value",))
ORIGIN = {"student": "ada", "submission": "ada.ipynb", "sha256": "0" * 64,
          "grader": "0123456789abcdef"}
TEST_KEYS = ["name", "description", "score", "max_score", "passed", "feedback"]


def as_text(data: dict) -> str:
    """JSON text as the grader writes it: comparing it compares keys, their order and every
    value's type (``1.0`` is not ``1``, ``true`` is not ``1``)."""
    return json.dumps(data)


def test_a_graded_result_is_the_contracts_plain_data():
    """Every key of the contract, in its order, each value of its type."""
    assert as_text(GRADED.to_json()) == as_text({
        "lab": "02-retries", "score": 1.0, "max_score": 3.0,
        "tests": [
            {"name": "test_exponential_backoff", "description": "Exponential backoff doubles.",
             "score": 1.0, "max_score": 1.0, "passed": True, "feedback": ""},
            {"name": "test_full_jitter", "description": "Full jitter draws uniformly.",
             "score": 0.0, "max_score": 2.0, "passed": False,
             "feedback": "Your code raised ValueError: bad value"}],
        "notes": ["Your cell 'backoff' raised ValueError at line 2: bad value"]})


def test_a_batch_result_says_where_it_came_from_after_the_grade():
    """A batch adds its four keys after the grade's own, in this order."""
    data = replace(GRADED, **ORIGIN).to_json()
    assert list(data) == ["lab", "score", "max_score", "tests", "notes", "student",
                          "submission", "sha256", "grader"]
    assert {k: data[k] for k in ORIGIN} == ORIGIN


def test_a_not_graded_result_has_one_shape():
    """Score 0, no tests, no notes, and the reason as ``error`` (before a batch's keys)."""
    assert as_text(GradeResult.not_graded("02-retries", "it is empty", 20.0).to_json()) == \
        as_text({"lab": "02-retries", "score": 0.0, "max_score": 20.0, "tests": [],
                 "notes": [], "error": "it is empty"})
    assert as_text(GradeResult.not_graded(None, "no such lab").to_json()) == \
        as_text({"lab": None, "score": 0.0, "max_score": 0.0, "tests": [], "notes": [],
                 "error": "no such lab"})
    stored = replace(GradeResult.not_graded("02-retries", "it is empty", 20.0), **ORIGIN)
    assert list(stored.to_json()) == ["lab", "score", "max_score", "tests", "notes", "error",
                                      "student", "submission", "sha256", "grader"]


def test_a_graded_notebook_has_the_contracts_keys_and_types():
    """What grading a real notebook gives, not only a result built by hand."""
    data = grade_notebook(load_notebook("02-retries", "release")).to_json()
    assert list(data) == ["lab", "score", "max_score", "tests", "notes"]
    assert isinstance(data["lab"], str) and isinstance(data["notes"], list)
    assert type(data["score"]) is float and type(data["max_score"]) is float
    for test in data["tests"]:
        assert list(test) == TEST_KEYS
        assert [type(test[key]) for key in TEST_KEYS] == [str, str, float, float, bool, str]
    assert all(isinstance(note, str) for note in data["notes"])


def test_printable_escapes_lone_surrogates_anywhere_in_a_result():
    """A lone surrogate from a learner's message is written escaped, wherever it is."""
    unwritable = replace(GRADED, tests=(replace(FAILED, feedback="bad \ud800 value"),),
                         notes=("a note \udcff",), error="an error \ud800", student="b\udcffa")
    safe = printable(unwritable)
    assert isinstance(safe, GradeResult) and isinstance(safe.tests[0], TestResult)
    assert safe.tests[0].feedback == "bad \\ud800 value"
    assert safe.notes == ("a note \\udcff",)
    assert (safe.error, safe.student) == ("an error \\ud800", "b\\udcffa")
    json.dumps(safe.to_json(), ensure_ascii=False).encode("utf-8")  # a file can take it
    assert printable(GRADED) == GRADED


def test_a_result_crosses_from_a_grading_worker_unchanged():
    """A batch's workers send results to the main process by pickle."""
    assert pickle.loads(pickle.dumps(replace(GRADED, **ORIGIN))) == replace(GRADED, **ORIGIN)
