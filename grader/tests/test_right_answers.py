"""Correct answers written differently from the solution, and proof that each scores full
marks: a grader that checks the contract, not the solution's way of meeting it.

Each file in ``right_answers/<lab>/`` holds one (``grader.submissions`` loads them): a module
docstring saying in a line how it differs (another algorithm, helper functions, extra
logging, other valid parameters...), then ``ANSWERS`` ({grade_id: code}) and/or ``EDITS``
({grade_id: [(old, new), ...]}) as in ``wrong_answers``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.grade import grade_notebook
from grader.labs import lab_ids
from grader.result import GradeResult
from grader.submissions import (
    RIGHT_ANSWER_FILES,
    answer_file_notebook,
    answer_file_problems,
    load_answer_file,
)

MINIMUM_RIGHT_ANSWERS = 5  # per lab


def _right_answer_id(path: Path) -> str:
    """A right answer's test id: ``<lab>/<variant>``."""
    return f"{path.parent.name}/{path.stem}"


def _scores(result: GradeResult) -> str:
    """Each test's outcome in a line, for an assertion's message."""
    return "\n".join(f"  {'PASS' if t.passed else 'FAIL'} {t.name}: {t.feedback}"
                     for t in result.tests)


@pytest.mark.parametrize("lab_id", lab_ids())
def test_enough_right_answers(lab_id):
    files = [p.stem for p in RIGHT_ANSWER_FILES if p.parent.name == lab_id]
    assert len(files) >= MINIMUM_RIGHT_ANSWERS, files


@pytest.mark.parametrize("path", RIGHT_ANSWER_FILES, ids=_right_answer_id)
def test_right_answer_is_well_formed(path):
    """Cheap checks, no grading: it changes answer cells the lab has, defining the same
    names as the solution, and is not the solution itself."""
    problems = answer_file_problems(load_answer_file(path))
    assert not problems, problems


@pytest.mark.slow  # grades every right answer of every lab
@pytest.mark.parametrize("path", RIGHT_ANSWER_FILES, ids=_right_answer_id)
def test_right_answer_scores_full_marks(path):
    result = grade_notebook(answer_file_notebook(load_answer_file(path)))
    assert result.score == result.max_score, f"a correct answer lost points\n{_scores(result)}"
