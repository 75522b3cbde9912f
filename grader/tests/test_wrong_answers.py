"""Plausible wrong answers to every lab, and proof that the grader catches each one and says
why.

Each file in ``wrong_answers/<lab>/`` holds one mistake a learner could make in that lab
(``grader.submissions`` loads them):

- a module docstring saying, in a line, what the mistake is;
- ``EDITS``: {answer cell grade_id: [(old, new), ...]}, the edits that turn the solution's
  code for that cell into the mistake (each ``old`` occurs once in it); every other answer
  cell keeps the solution's code;
- ``EXPECTED_FAILURES``: {test name: a fragment its feedback must contain}, the tests that
  must fail and the teaching message each must show;

Grading a notebook takes a few seconds (it starts a process), so each wrong answer is graded
exactly once.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from grader.grade import grade_notebook
from grader.labs import lab_ids, load_lab
from grader.result import GradeResult
from grader.submissions import (
    WRONG_ANSWER_FILES,
    edited,
    load_notebook,
    load_wrong_answer,
    solution_answers,
    with_edits,
)

MINIMUM_WRONG_ANSWERS = 10  # per lab


def _defined_names(source: str) -> set[str]:
    """Top-level functions, classes and assigned names of a cell."""
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _summary(result: GradeResult) -> str:
    """The result in a few lines, for an assertion's message."""
    lines = [f"score {result.score}/{result.max_score}"]
    lines += [f"  {'PASS' if t.passed else 'FAIL'} {t.name}: {t.feedback}"
              for t in result.tests]
    return "\n".join(lines)


def _wrong_answer_id(path: Path) -> str:
    """A wrong answer's test id: ``<lab>/<mistake>``."""
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("lab_id", lab_ids())
def test_enough_wrong_answers(lab_id):
    files = [p.stem for p in WRONG_ANSWER_FILES if p.parent.name == lab_id]
    assert len(files) >= MINIMUM_WRONG_ANSWERS, files


@pytest.mark.parametrize("path", WRONG_ANSWER_FILES, ids=_wrong_answer_id)
def test_wrong_answer_is_well_formed(path):
    """Cheap checks, no grading: the file describes one mistake in cells that define exactly
    what the solution's cells define, and names tests the lab has."""
    wrong = load_wrong_answer(path)
    solution = solution_answers(path.parent.name)
    assert (wrong.__doc__ or "").strip(), "start with a docstring saying what the mistake is"
    assert wrong.EDITS and set(wrong.EDITS) <= set(solution), (
        f"EDITS must name answer cells among {sorted(solution)}")
    for cell_id, changes in wrong.EDITS.items():
        original = solution[cell_id]
        source = edited(original, changes)
        assert _defined_names(source) == _defined_names(original), (
            f"{cell_id}: the replacement must define the same names as the solution's cell")
        assert ast.dump(ast.parse(source)) != ast.dump(ast.parse(original)), (
            f"{cell_id}: the replacement is the solution itself")
    lab_tests = {test.grade_id for test in load_lab(path.parent.name).tests}
    assert wrong.EXPECTED_FAILURES, "name at least one test that must fail"
    assert set(wrong.EXPECTED_FAILURES) <= lab_tests, f"tests are among {sorted(lab_tests)}"
    assert all(isinstance(f, str) and f.strip() for f in wrong.EXPECTED_FAILURES.values())


@pytest.mark.slow  # grades every wrong answer of every lab
@pytest.mark.parametrize("path", WRONG_ANSWER_FILES, ids=_wrong_answer_id)
def test_grader_catches_wrong_answer(path):
    wrong = load_wrong_answer(path)
    result = grade_notebook(with_edits(load_notebook(path.parent.name), wrong.EDITS))
    summary = _summary(result)
    tests = {test.name: test for test in result.tests}

    assert result.score < result.max_score, f"the mistake cost no points\n{summary}"
    for name, fragment in wrong.EXPECTED_FAILURES.items():
        assert not tests[name].passed, f"{name} should fail\n{summary}"
        assert fragment in tests[name].feedback, (
            f"{name}'s feedback should contain {fragment!r}\n{summary}")
    silent = [test.name for test in result.tests
              if not test.passed and not test.feedback.strip()]
    assert not silent, f"failing tests without feedback: {silent}\n{summary}"
