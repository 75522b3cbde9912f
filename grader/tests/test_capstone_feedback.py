"""What a learner sees when their capstone pipeline breaks an invariant: the shrunk schedule,
the line that replays it, the chapter to revisit, and the run's timeline as a figure."""

from __future__ import annotations

import base64
import re

import pytest

from grader.feedback import html
from grader.grade import grade_notebook
from grader.submissions import load_notebook, with_edits

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def charged_without_a_key():
    """A pipeline whose consumer charges without an idempotency key, graded on the one
    invariant it breaks."""
    notebook = with_edits(load_notebook("09-capstone"), {"make_handler": [
        ('idempotency_key=order["order_id"],', "")]})
    return grade_notebook(notebook, only={"test_nothing_doubled"})


@pytest.mark.slow
def test_the_failure_names_the_schedule_its_replay_and_the_chapter(charged_without_a_key):
    (test,) = charged_without_a_key.tests
    assert not test.passed
    schedule = re.search(r"breaks it: (seed=\S+)", test.feedback)
    assert schedule, test.feedback
    assert f'replay("{schedule.group(1)}")' in test.feedback
    assert "chapter 8" in test.feedback


@pytest.mark.slow
def test_the_feedback_page_shows_the_runs_timeline(charged_without_a_key):
    (test,) = charged_without_a_key.tests
    assert base64.b64decode(test.figure).startswith(PNG_SIGNATURE)
    page = html(charged_without_a_key.to_json())
    assert f"src='data:image/png;base64,{test.figure}'" in page


def test_a_figure_that_is_not_base64_is_not_shown():
    """Only base64 data becomes an image: nothing else can pass for one."""
    result = {"lab": "09-capstone", "score": 0, "max_score": 3, "notes": [], "tests": [
        {"name": "t", "description": "d", "score": 0, "max_score": 3, "passed": False,
         "feedback": "broke", "figure": "x' onerror='alert(1)"}]}
    assert "<img" not in html(result)
