"""Plausible wrong answers to every lab, and proof that the grader catches each one and says
why.

Each file in ``wrong_answers/<lab>/`` holds one mistake a learner could make in that lab
(``grader.submissions`` loads them):

- a module docstring saying, in a line, what the mistake is;
- ``BELIEVED``: in a line, what the learner believed (the misconception; answers that share
  one are a group);
- ``VIOLATES``: the numbered requirements of the lab (its ``REQUIREMENTS`` table) it breaks;
- ``EDITS``: {answer cell grade_id: [(old, new), ...]}, the edits that turn the solution's
  code for that cell into the mistake (each ``old`` occurs once in it), and/or ``ANSWERS``:
  {grade_id: code}, whole cells written anew; every other answer cell keeps the solution's;
- ``EXPECTED_FAILURES``: {test name: a fragment its feedback must contain}, the tests that
  must fail and the teaching message each must show. Each failing test's feedback names
  the requirements it checks, so the learner finds the sentence they missed.

Grading a notebook takes a few seconds (it starts a process), so each wrong answer is graded
once, and only by the tests it names: those are what must catch it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.grade import grade_notebook
from grader.labs import lab_ids, load_lab
from grader.misconceptions import behaves_like
from grader.result import GradeResult
from grader.submissions import (
    WRONG_ANSWER_FILES,
    answer_file_notebook,
    answer_file_problems,
    load_answer_file,
)
from resilience.checks.requirements import enforced_by, requirements_of

MINIMUM_WRONG_ANSWERS = 25  # per lab


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
    """Cheap checks, no grading: the file describes one mistake and the misconception behind
    it, in cells that define exactly what the solution's cells define; it names tests the lab
    has, and requirements those tests enforce."""
    problems = answer_file_problems(load_answer_file(path))
    assert not problems, problems
    wrong, lab_id = load_answer_file(path), path.parent.name
    believed = getattr(wrong, "BELIEVED", "")
    assert isinstance(believed, str) and believed.strip() and "\n" not in believed.strip(), (
        "BELIEVED: one line saying what the learner believed")
    lab_tests = {test.grade_id for test in load_lab(lab_id).tests}
    assert wrong.EXPECTED_FAILURES, "name at least one test that must fail"
    assert set(wrong.EXPECTED_FAILURES) <= lab_tests, f"tests are among {sorted(lab_tests)}"
    assert all(isinstance(f, str) and f.strip() for f in wrong.EXPECTED_FAILURES.values())
    ids = {requirement.id for requirement in requirements_of(lab_id)}
    violated = list(getattr(wrong, "VIOLATES", ()))
    assert violated and set(violated) <= ids, f"VIOLATES names requirements among {sorted(ids)}"
    for requirement_id in violated:
        assert any(requirement_id in [r.id for r in enforced_by(lab_id, test)]
                   for test in wrong.EXPECTED_FAILURES), (
            f"requirement {requirement_id} is enforced by none of the tests named in "
            "EXPECTED_FAILURES: name the test that catches the broken requirement")


@pytest.mark.slow  # grades every wrong answer of every lab
@pytest.mark.parametrize("path", WRONG_ANSWER_FILES, ids=_wrong_answer_id)
def test_grader_catches_wrong_answer(path):
    wrong = load_answer_file(path)
    result = grade_notebook(answer_file_notebook(wrong), only=set(wrong.EXPECTED_FAILURES))
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
    named = " ".join(tests[name].feedback for name in wrong.EXPECTED_FAILURES)
    for requirement_id in wrong.VIOLATES:
        assert requirement_id in named, (
            f"the feedback should name the broken requirement {requirement_id}\n{summary}")
    match = behaves_like(result.to_json())  # what the class dashboard would say
    assert match and " ".join(wrong.BELIEVED.split()) in match.beliefs, (
        f"the dashboard's matcher names {match and match.beliefs}, not this file's "
        f"misconception\n{summary}")
