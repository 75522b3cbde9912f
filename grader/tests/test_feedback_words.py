"""One translation of a learner's error into feedback: the visible tests in the learner's
kernel and the grader say the same words about the same mistake
(``resilience.checks.explain``), and the grader adds only what its separate process brings.
"""

from __future__ import annotations

import json

import pytest

from grader.grade import _failure_message
from grader.wire import (
    LearnerTimeout,
    RemoteException,
    WireError,
    decode_exception,
    encode_exception,
)
from resilience.checks import TooManyCalls
from resilience.checks.explain import CALLED_EXIT, NOT_IMPLEMENTED, explain
from resilience.checks.visible import run_visible_tests
from resilience.eventsources import InvalidParameterValue

LIMIT_S = 30.0
UNBOUNDED = "Your code called put_item more than 200 times: its retries have no bound."
LEARNER_ERRORS = {  # an error a learner's code raises: the words both say
    "a failed check": (AssertionError("expected 0.01, got 0.02"), "expected 0.01, got 0.02"),
    "a bare assert": (AssertionError(), "A check failed."),
    "a blank answer": (NotImplementedError(), NOT_IMPLEMENTED),
    "a blank answer, with a message": (NotImplementedError("later"), NOT_IMPLEMENTED),
    "a missing name": (NameError("name 'backoff' is not defined"),
                       "name 'backoff' is not defined. Run its answer cell; check it still has "
                       "that name."),
    "a variable read before it is set": (
        UnboundLocalError("cannot access local variable 'x'"),
        "cannot access local variable 'x'. Run its answer cell; check it still has that name."),
    "a mapping Lambda would refuse": (
        InvalidParameterValue("BatchSize must be an integer, 1 to 10000; got True"),
        "Lambda would refuse this event source mapping (InvalidParameterValueException): "
        "BatchSize must be an integer, 1 to 10000; got True"),
    "exit(3)": (SystemExit(3), CALLED_EXIT),
    "exit()": (SystemExit(), CALLED_EXIT),
    "a ValueError": (ValueError("bad value"), "Your code raised ValueError: bad value"),
    "a ValueError without a message": (ValueError(), "Your code raised ValueError: "),
}


def as_the_grader_receives(error: BaseException) -> BaseException:
    """``error`` as it reaches the grader from the learner's process: rebuilt when its type
    can be (``ValueError``), else known by its name and message (``RemoteException``)."""
    return decode_exception(json.loads(json.dumps(encode_exception(error))))


@pytest.mark.parametrize("error, words", LEARNER_ERRORS.values(), ids=LEARNER_ERRORS)
def test_the_kernel_and_the_grader_say_the_same_words(error, words):
    """The kernel explains the error itself; the grader, what reached it from the learner's
    process."""
    assert explain(error) == words
    assert _failure_message(as_the_grader_receives(error), [], LIMIT_S) == words


def test_exit_reaches_the_grader_by_name_alone():
    """What makes the grader's path for exit() a different one from the kernel's."""
    assert isinstance(as_the_grader_receives(SystemExit(3)), RemoteException)


def test_a_runaway_loop_stopped_in_the_grader_says_what_the_kernel_says():
    """A check's fake client stops a runaway loop where it runs: in the grader's process."""
    assert _failure_message(TooManyCalls(UNBOUNDED), [], LIMIT_S) == UNBOUNDED
    assert explain(TooManyCalls(UNBOUNDED)) == UNBOUNDED


def test_the_grader_names_the_answer_cell_that_did_not_run():
    """A name is missing because its cell raised: the grader knows which, and says so."""
    cell_errors = [{"label": "backoff", "type": "SyntaxError", "message": "invalid syntax",
                    "line": "1"}]
    assert _failure_message(NameError("name 'exponential_backoff' is not defined"),
                            cell_errors, LIMIT_S) == (
        "name 'exponential_backoff' is not defined. Your answer cell did not run: cell "
        "'backoff' raised SyntaxError at line 1: invalid syntax")


@pytest.mark.parametrize("error, words", [
    (LearnerTimeout(), "Your code did not finish within 2 s. Look for a loop that never ends "
                       "(unbounded retries?) or a wait that is not bounded."),
    (WireError("the other side closed the connection"),
     "Your code ended its own process (a call to exit(), os._exit or a crash), so the test "
     "could not finish."),
    (TypeError("'<' not supported between instances of 'Proxy' and 'float'"),
     "Your code returned an object the test cannot use as a value: return plain data "
     "(numbers, strings, lists, tuples, dicts), as the question asks."),
    (RemoteException("KeyboardInterrupt", ""), "Your code raised KeyboardInterrupt"),
    (RemoteException("KeyboardInterrupt", "stop"), "Your code raised KeyboardInterrupt: stop"),
])
def test_what_only_a_separate_process_brings_is_the_graders_alone(error, words):
    """A time limit, a process that ended, a proxy used as a value, an error known by name."""
    assert _failure_message(error, [], 2.0) == words


def _notebook_of_one_visible_test(path, call: str) -> None:
    """A lab notebook whose only test cell is a visible one that runs ``call``."""
    cell = {"cell_type": "code", "source": f'"""The answer works."""\n{call}\n',
            "metadata": {"nbgrader": {"grade": True, "grade_id": "test_it", "points": 1}},
            "outputs": [], "execution_count": None}
    path.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}))


def _exits():
    """A learner's function that calls exit()."""
    raise SystemExit(3)


def _runs_away():
    """A learner's function whose loop a check's fake client stopped."""
    raise TooManyCalls(UNBOUNDED)


@pytest.mark.parametrize("call, namespace, words", [
    ("answer()", {"answer": _exits}, CALLED_EXIT),
    ("answer()", {"answer": _runs_away}, UNBOUNDED),
    ("answer()", {}, "name 'answer' is not defined. Run its answer cell; check it still has "
                     "that name."),
])
def test_the_kernels_visible_tests_report_them_too(tmp_path, monkeypatch, capsys, call,
                                                   namespace, words):
    """Even an exit() or a runaway loop is one failing line of the summary, not the end of
    the cell, with the grader's words."""
    monkeypatch.delenv("RESILIENCE_GRADING", raising=False)
    notebook = tmp_path / "lab.ipynb"
    _notebook_of_one_visible_test(notebook, call)
    run_visible_tests(str(notebook), dict(namespace))
    printed = " ".join(capsys.readouterr().out.split())
    assert "FAIL The answer works." in printed and "0 of 1 visible tests pass" in printed
    assert " ".join(words.split()) in printed
