"""Fixtures for the grader's tests: the default lab's notebooks, and the function that swaps
the code of answer cells. The plain functions behind them are ``grader.submissions``'s::

    def test_something(solution_notebook, with_answers):
        submission = with_answers(solution_notebook, {"backoff": "def exponential_backoff..."})
"""

from __future__ import annotations

import pytest

from grader.submissions import DEFAULT_LAB, load_notebook, with_answers


@pytest.fixture
def solution_notebook() -> dict:
    """A deep copy of the default lab's solution notebook (full marks)."""
    return load_notebook(DEFAULT_LAB, "solution")


@pytest.fixture
def release_notebook() -> dict:
    """A deep copy of the default lab's blank release notebook (what learners start from)."""
    return load_notebook(DEFAULT_LAB, "release")


@pytest.fixture(name="with_answers")
def with_answers_fixture():
    """The ``with_answers(notebook, replacements)`` function, for tests that take fixtures."""
    return with_answers
