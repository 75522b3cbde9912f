"""The grading command: its contract, and what it does with untrusted submissions."""

import json
import subprocess
import sys
import time

import pytest

from grader.grade import grade_notebook
from grader.labs import lab_ids
from grader.submissions import load_notebook, with_edits

SHORT_LIMITS = {"time_limit_s": 40, "test_time_limit_s": 6}  # a hang costs 6 s a test


def run_cli(*args, cwd=None):
    """Run ``python -m grader`` with ``args``, its output captured as text."""
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def passed(result):
    """The names of the tests that passed."""
    return {t.name for t in result.tests if t.passed}


@pytest.fixture(scope="module")
def solution_result():
    """The default lab's solution, graded once for the module."""
    return grade_notebook(load_notebook())


def test_solution_scores_full_marks(solution_result):
    assert solution_result.lab == "02-retries"
    assert solution_result.score == solution_result.max_score == 20
    assert all(t.feedback == "" for t in solution_result.tests)


@pytest.mark.parametrize("lab_id", [lab for lab in lab_ids() if lab != "02-retries"])
def test_every_other_solution_scores_full_marks(lab_id):
    result = grade_notebook(load_notebook(lab_id, "solution"))
    assert result.lab == lab_id
    failed = {t.name: t.feedback for t in result.tests if not t.passed}
    assert not failed and result.score == result.max_score > 0


@pytest.mark.parametrize("lab_id", lab_ids())
def test_blank_lab_scores_zero_with_a_reason_for_every_test(lab_id):
    result = grade_notebook(load_notebook(lab_id, "release"))
    assert result.lab == lab_id
    assert result.score == 0 and result.max_score > 0
    assert all(t.feedback for t in result.tests)
    assert "NotImplementedError" in result.tests[0].feedback


def test_only_the_named_tests_run_when_asked(release_notebook):
    result = grade_notebook(release_notebook, only={"test_exponential_backoff"})
    assert [t.name for t in result.tests] == ["test_exponential_backoff"]
    assert result.score == 0 and result.max_score == result.tests[0].max_score


def test_cli_prints_one_json_object_and_exits_zero(tmp_path, solution_notebook):
    path = tmp_path / "whatever-the-learner-called-it.ipynb"
    path.write_text(json.dumps(solution_notebook))
    completed = run_cli("grade", str(path), "--json")
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert list(result) == ["lab", "score", "max_score", "tests", "notes"]
    assert list(result["tests"][0]) == ["name", "description", "score", "max_score", "passed",
                                        "feedback"]
    assert result["score"] == 20


@pytest.mark.parametrize("content, reason", [
    ("{not json", "not a notebook"),
    ('{"cells": 3}', "not a notebook"),
    ('{"cells": [], "metadata": {}}', "not one of the course's labs"),
])
def test_ungradable_input_is_one_line_and_exit_two(tmp_path, content, reason):
    path = tmp_path / "bad.ipynb"
    path.write_text(content)
    completed = run_cli("grade", str(path), "--json")
    assert completed.returncode == 2 and completed.stdout == ""
    assert reason in completed.stderr and completed.stderr.count("\n") == 1


def test_missing_file_is_a_clear_error(tmp_path):
    completed = run_cli("grade", str(tmp_path / "nope.ipynb"))
    assert completed.returncode == 2 and "no such file" in completed.stderr


def test_lab_is_identified_without_metadata(solution_notebook):
    del solution_notebook["metadata"]["resilience"]
    assert grade_notebook(solution_notebook).lab == "02-retries"


def test_printing_logging_and_warnings_cost_nothing(solution_notebook):
    noisy = with_edits(solution_notebook, {"backoff": [(
        '    return min(cap, base * 2**attempt)',
        '    import logging, sys, warnings\n'
        '    print("debug", attempt); print("to stderr", file=sys.stderr)\n'
        '    warnings.warn("careful"); logging.getLogger().error("logged")\n'
        '    return min(cap, base * 2**attempt)')]})
    result = grade_notebook(noisy)
    assert result.score == 20


def test_edited_tests_and_points_in_the_submission_change_nothing(release_notebook):
    for cell in release_notebook["cells"]:
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        if nbgrader.get("grade"):
            cell["source"] = "pass  # the learner deleted the test"
            nbgrader["points"] = 1000
    result = grade_notebook(release_notebook)
    assert result.score == 0 and result.max_score == 20


def test_a_submission_cannot_reach_the_graders_verdict(solution_notebook, with_answers):
    """Code that tries to rewrite the checks, or exit with success, runs in its own process."""
    attack = (
        "import resilience.checks.retries as checks, builtins, sys\n"
        "for name in dir(checks):\n"
        "    if name.startswith('check_'):\n"
        "        setattr(checks, name, lambda *a, **k: None)\n"
        "builtins.AssertionError = Exception\n"
        "def save_order(*args, **kwargs):\n"
        "    print('{\"score\": 20}'); sys.exit(0)\n")
    result = grade_notebook(with_answers(solution_notebook, {"save_order": attack}),
                            **SHORT_LIMITS)
    assert "test_save_order" not in passed(result)
    assert result.score == 18


def test_a_hang_costs_only_the_tests_it_breaks(solution_notebook):
    hanging = with_edits(solution_notebook, {"retry_budget": [
        ('        if self.tokens < self.retry_cost:',
         '        while True:\n            pass\n        if self.tokens < self.retry_cost:')]})
    result = grade_notebook(hanging, **SHORT_LIMITS)
    failed = {t.name: t.feedback for t in result.tests if not t.passed}
    assert set(failed) == {"test_budget", "test_wrapper_respects_budget"}
    assert "did not finish within 6" in failed["test_budget"]
    assert result.score == 17


def test_a_tests_own_work_is_held_to_the_time_limit_too(solution_notebook, monkeypatch):
    """An emulator driven by a learner's values (a visibility timeout of 10**40 s) runs in
    the grader's process: it too stops at the test's limit, and the next test runs."""
    from grader import grade, labs

    lab = labs.load_lab("02-retries")
    spinning = lab.tests[0].source.replace('"""\n', '"""\nwhile True:\n    pass\n', 1)
    lab.tests[0] = labs.Test(lab.tests[0].grade_id, spinning, lab.tests[0].points,
                             lab.tests[0].description)
    monkeypatch.setattr(grade, "load_lab", lambda lab_id: lab)
    monkeypatch.setattr(grade, "GRADER_GRACE_S", 0.5)
    # 3 s: the next test starts the learner's process afresh, which on a busy machine can
    # take a second of its own.
    result = grade_notebook(solution_notebook, time_limit_s=40, test_time_limit_s=3)
    first, *others = result.tests
    assert not first.passed and "The test did not finish within 3 s" in first.feedback
    assert all(test.passed for test in others)


def test_an_exit_at_the_top_level_fails_cleanly(solution_notebook, with_answers):
    result = grade_notebook(with_answers(solution_notebook, {"save_order": "import os\n"
                                                             "os._exit(3)\n"}), **SHORT_LIMITS)
    assert result.score == 0
    assert "did not finish running" in result.tests[0].feedback


def test_a_syntax_error_is_reported_with_its_cell(solution_notebook, with_answers):
    result = grade_notebook(with_answers(solution_notebook, {"is_retryable": "def oops(:\n"}))
    feedback = {t.name: t.feedback for t in result.tests}
    assert "SyntaxError" in feedback["test_is_retryable"]
    assert "is_retryable" in feedback["test_is_retryable"]
    assert result.score < 20


def test_grading_is_repeatable(solution_result):
    assert grade_notebook(load_notebook()) == solution_result


def test_a_submission_stops_at_its_own_time_limit(solution_notebook):
    """Every test hangs: each costs its own limit until the submission's runs out."""
    hanging = with_edits(solution_notebook, {"backoff": [
        ('    return min(cap, base * 2**attempt)', '    while True:\n        pass')]})
    started = time.monotonic()
    result = grade_notebook(hanging, time_limit_s=5, test_time_limit_s=2)
    assert time.monotonic() - started < 15
    feedback = [t.feedback for t in result.tests]
    assert "did not finish within 2 s" in feedback[0]
    assert any("used up its 5 s time limit" in f for f in feedback)


def test_the_learners_process_sees_only_an_empty_folder(solution_notebook, with_answers):
    """Its working folder holds nothing of the grader's: a cell that lists it says so."""
    looking = with_answers(solution_notebook, {"save_order": (
        "import os\nraise RuntimeError(f'sees {os.listdir(\".\")} in {os.getcwd()}')\n")})
    note = grade_notebook(looking, **SHORT_LIMITS).notes[0]
    assert "sees [] in /" in note and "learner-" in note


def test_a_check_that_needs_a_fresh_process_gets_the_spare(monkeypatch):
    """Lab 08's key check asks for a fresh process: the grader starts one beside the
    learner's at once (two processes in all), so the check waits for none."""
    from grader import grade

    started = []
    monkeypatch.setattr(grade, "LearnerProcess", _counting(grade.LearnerProcess, started))
    result = grade_notebook(load_notebook("08-idempotency"), only={"test_key_is_stable"})
    assert result.score == result.max_score > 0
    assert len(started) == 2


def test_only_labs_whose_checks_need_one_start_a_spare():
    from grader import grade
    from grader.labs import load_lab

    needs = {lab: grade._uses_fresh_processes(load_lab(lab).tests) for lab in lab_ids()}
    assert {lab for lab, spare in needs.items() if spare} == {"07-shuffle-sharding",
                                                             "08-idempotency"}


def test_answer_cells_that_cannot_finish_end_the_spare_too(monkeypatch):
    """A hang at the top level ends both processes, not only the one a test waited for."""
    from grader import grade

    started = []
    monkeypatch.setattr(grade, "LearnerProcess", _counting(grade.LearnerProcess, started))
    hanging = with_edits(load_notebook("08-idempotency"), {"idempotency_key": [
        ("def idempotency_key(", "while True:\n    pass\n\n\ndef idempotency_key(")]})
    running_after_each_test = []
    result = grade_notebook(
        hanging, time_limit_s=40, test_time_limit_s=2,
        only={"test_key_names_the_order", "test_key_is_stable"},
        on_test=lambda *_: running_after_each_test.append(
            sum(p.process.poll() is None for p in started)))
    assert result.score == 0 and len(started) == 2
    assert running_after_each_test == [0, 0]


def _counting(process_class, started: list):
    """``process_class``, keeping each process it makes in ``started``."""
    def make(*args, **kwargs):
        started.append(process_class(*args, **kwargs))
        return started[-1]
    return make
