"""Submissions that attack the grader, graded in one batch beside an honest one.

Each attack is a copy of lab 02 (blank, or solved) with a crafted answer cell or edited
metadata, in nbgrader's ``submitted/<student>/<lab>/`` layout. One batch grades them all
with short time limits. Every attack must end with a bounded score (zero, or exactly what
its honest part earned) and a note or test feedback that says what happened; the honest
submission beside them must score full marks; and the batch must finish.

Where a defence needs the kernel (Landlock, user namespaces), its test is skipped on a
machine that lacks it, and says so (``grader.confine.confinement``).
"""

from __future__ import annotations

import json
import socket
import textwrap
from pathlib import Path

import pytest

from grader.batch import grade_folder
from grader.confine import confinement
from grader.submissions import load_notebook, solution_answers, with_answers, with_edits

pytestmark = pytest.mark.slow  # grades a batch of attacks beside an honest submission

LAB = "02-retries"
FULL_MARKS = 20
LIMITS = {"time_limit_s": 30, "test_time_limit_s": 5}
LAYERS = confinement()


def _cell(code: str) -> str:
    return textwrap.dedent(code).lstrip()


LIAR = _cell('''
    class Liar:
        """Equal to anything, less and greater than anything, true, and its own result."""
        def __eq__(self, other): return True
        def __ne__(self, other): return False
        __lt__ = __le__ = __gt__ = __ge__ = __eq__
        def __bool__(self): return True
        def __float__(self): return 0.5
        __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = \\
            __rtruediv__ = __abs__ = __neg__ = __round__ = lambda self, *args: self

    def exponential_backoff(attempt, base, cap):
        return Liar()

    def full_jitter(attempt, base, cap, rng):
        return Liar()

    def equal_jitter(attempt, base, cap, rng):
        return Liar()

    def decorrelated_jitter(previous, base, cap, rng):
        return Liar()
''')

LYING_SUBCLASSES = _cell('''
    class AlwaysEqual(float):
        def __eq__(self, other): return True
        def __ne__(self, other): return False
        __lt__ = __le__ = __gt__ = __ge__ = __eq__
        def __sub__(self, other): return AlwaysEqual(0.0)
        __rsub__ = __sub__
        def __abs__(self): return AlwaysEqual(0.0)

    class AnyList(list):
        def __eq__(self, other): return True

    def exponential_backoff(attempt, base, cap):
        return AlwaysEqual(-1.0)

    def full_jitter(attempt, base, cap, rng):
        return AlwaysEqual(-1.0)

    def equal_jitter(attempt, base, cap, rng):
        return AlwaysEqual(-1.0)

    def decorrelated_jitter(previous, base, cap, rng):
        return AlwaysEqual(-1.0)
''')

PATCH_MODULES = _cell('''
    import math, random, time
    import numpy
    import resilience.checks, resilience.checks.retries as retries_checks
    for module in (resilience.checks, retries_checks):
        for name in dir(module):
            if name.startswith(("check_", "expect")):
                setattr(module, name, lambda *args, **kwargs: None)
    math.isclose = numpy.isclose = numpy.allclose = lambda *args, **kwargs: True
    random.random = lambda: 0.5
    random.uniform = lambda a, b: a
    time.time = time.monotonic = lambda: 0.0
''')

PATCH_BUILTINS = _cell('''
    import builtins
    builtins.isinstance = lambda *args: True
    builtins.len = lambda *args: 0
    builtins.abs = lambda *args: 0
    builtins.type = lambda *args: float
    builtins.AssertionError = Exception
''')


# Talking to the grader over the learner's own pipe, past the proxies: file descriptors
# READ and WRITE are child.py's first two arguments.
RAW_PIPE = "import json, os, sys, threading\nREAD, WRITE = int(sys.argv[1]), int(sys.argv[2])\n"
FORGED_READY = RAW_PIPE + _cell('''
    os.write(WRITE, b'{"op": "ready", "errors": 5, "defined": ["__builtins__"]}\\n')
    for _ in range(3):
        try:
            os.fork()
        except OSError:
            pass
    while True:
        pass
''')
# Ask the grader, over the raw pipe, for something large from one of its objects, and
# never read the answer; or ask a client for a waiter that sleeps for real in the grader.
ASKS_AND_STOPS_READING = RAW_PIPE + _cell('''
    def full_jitter(attempt, base, cap, rng):
        for attr, args, kwargs in (("randbytes", [8_000_000], {}),
                                   ("choices", [[0]], {"k": 300_000_000})):
            os.write(WRITE, json.dumps({"op": "call", "target": {"handle": 1}, "attr": attr,
                                        "args": args, "kwargs": {"$dict": kwargs}}).encode()
                     + b"\\n")
        threading.Event().wait()
''')
WAITS_IN_THE_GRADER = _cell('''
    def save_order(dynamodb, order, *, sleep=None, rng=None):
        waiter = dynamodb.get_waiter("table_not_exists")
        waiter.wait(TableName="orders", WaiterConfig={"Delay": 50, "MaxAttempts": 3})
''')
SURROGATE = _cell('''
    def exponential_backoff(attempt, base, cap):
        raise ValueError("bad \\ud800 value")
''')
EDITS_ITS_EXPORTS = _cell('''
    import sys
    frame = sys._getframe()
    while frame is not None and "setup" not in frame.f_locals:
        frame = frame.f_back
    frame.f_locals["setup"]["exports"].append("__builtins__")
''')


def _solution_cell(grade_id: str) -> str:
    """The solution's code for one of the lab's answer cells."""
    return solution_answers(LAB)[grade_id]


def _attacks(paths: dict[str, Path]) -> dict[str, dict]:
    """Each attack's notebook, by the name of its (pretend) student."""
    blank, solved = load_notebook(LAB, "release"), load_notebook(LAB)
    in_save_order = lambda base, code: with_answers(base, {"save_order": code})  # noqa: E731
    before_save_order = lambda code: with_answers(  # noqa: E731
        solved, {"save_order": code + "\n" + _solution_cell("save_order")})
    attacks = {
        "always-equal": with_answers(blank, {"backoff": LIAR}),
        "lying-subclasses": with_answers(blank, {"backoff": LYING_SUBCLASSES}),
        "patches-modules-blank": in_save_order(blank, PATCH_MODULES),
        "patches-modules-solved": before_save_order(PATCH_MODULES),
        "patches-builtins": in_save_order(blank, PATCH_BUILTINS),
        "exits-in-a-function": with_edits(solved, {"backoff": [(
            "    return min(cap, base * 2**attempt)",
            "    import sys\n    sys.exit(0)")]}),
        "os-exit-at-the-top": in_save_order(blank, "import os\nos._exit(0)\n"),
        "kills-the-grader": before_save_order(
            "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"),
        "kills-everyone": before_save_order(
            "import os, signal\nos.kill(-1, signal.SIGKILL)\n"),
        "raises-keyboard-interrupt": with_edits(solved, {"backoff": [(
            "    return min(cap, base * 2**attempt)", "    raise KeyboardInterrupt")]}),
        "loops-for-ever": in_save_order(blank, "while True:\n    pass\n"),
        "recurses-deeply": in_save_order(blank, "import sys\nsys.setrecursionlimit(10**8)\n"
                                         "def deeper(n):\n    return deeper(n + 1)\n"
                                         "deeper(0)\n"),
        "allocates-too-much": in_save_order(blank, "hoard = bytearray(10**11)\n"),
        "forks-for-ever": in_save_order(blank, "import os\nwhile True:\n    os.fork()\n"),
        "reads-hidden-tests": before_save_order(
            f"HIDDEN = open({str(paths['hidden'])!r}).read()\n"),
        "reads-another-submission": before_save_order(
            f"THEIRS = open({str(paths['victim'])!r}).read()\n"),
        "writes-the-gradebook": before_save_order(
            f"open({str(paths['gradebook'])!r}, 'ab').write(b'20')\n"),
        "writes-another-result": before_save_order(
            f"open({str(paths['victim_result'])!r}, 'w').write('{{\"score\": 0}}')\n"),
        "uses-the-network": before_save_order(
            f"import socket\nsocket.create_connection(('127.0.0.1', {paths['port']}), 2)\n"),
        "duplicates-a-cell": _duplicated(blank, solved),
        "claims-another-lab": _claiming(solved, "07-shuffle-sharding"),
        "turns-a-test-into-an-answer": _test_turned_answer(blank),
        "forges-its-ready-message": in_save_order(blank, FORGED_READY),
        "asks-and-stops-reading": with_answers(blank, {"backoff": ASKS_AND_STOPS_READING}),
        "waits-in-the-grader": with_answers(solved, {"save_order": WAITS_IN_THE_GRADER}),
        "writes-a-lone-surrogate": with_answers(blank, {"backoff": SURROGATE}),
        "edits-its-exports": before_save_order(EDITS_ITS_EXPORTS),
    }
    return attacks


def _duplicated(blank: dict, solved: dict) -> dict:
    """The blank backoff cell first, then a second cell with the same id and the answer."""
    submission = json.loads(json.dumps(blank))
    solved_cell = next(c for c in solved["cells"]
                       if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "backoff")
    index = next(i for i, c in enumerate(submission["cells"])
                 if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "backoff")
    submission["cells"].insert(index + 1, json.loads(json.dumps(solved_cell)))
    return submission


def _claiming(notebook: dict, lab: str) -> dict:
    submission = json.loads(json.dumps(notebook))
    submission["metadata"]["resilience"] = {"lab": lab}
    return submission


def _test_turned_answer(blank: dict) -> dict:
    """A test cell's metadata changed to make it an answer cell that passes nothing."""
    submission = json.loads(json.dumps(blank))
    for cell in submission["cells"]:
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        if nbgrader.get("grade"):
            nbgrader.update(grade=False, solution=True, locked=False, points=1000)
            cell["source"] = "pass\n"
    return submission


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade every attack and the honest submission in one batch; the results by student."""
    root = tmp_path_factory.mktemp("class")
    submitted, out = root / "submitted", root / "results"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    victim = submitted / "honest" / LAB / f"{LAB}.ipynb"
    gradebook = root / "gradebook.db"  # the grade store of this class: beside it, not in it
    gradebook.write_bytes(b"SQLite format 3\x00")
    paths = {"hidden": Path(__file__).resolve().parents[1] / "source" / LAB / f"{LAB}.ipynb",
             "gradebook": gradebook,
             "victim": victim, "victim_result": out / "results" / "honest" / f"{LAB}.json",
             "port": listener.getsockname()[1]}
    gradebook_before = paths["gradebook"].read_bytes()
    for student, notebook in {**_attacks(paths), "honest": load_notebook(LAB)}.items():
        path = submitted / student / LAB / f"{LAB}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(notebook))
    summary = grade_folder(root, out, jobs=2, limits=LIMITS)
    results = {p.parent.name: json.loads(p.read_text())
               for p in (out / "results").glob(f"*/{LAB}.json")}
    try:
        connections = listener.accept()
    except BlockingIOError:
        connections = None
    listener.close()
    return {"summary": summary, "results": results, "connected": connections is not None,
            "gradebook_changed": paths["gradebook"].read_bytes() != gradebook_before}


def _failures(result: dict) -> dict[str, str]:
    return {t["name"]: t["feedback"] for t in result["tests"] if not t["passed"]}


def _said(result: dict) -> str:
    """Everything the learner is told: notes and every failing test's feedback."""
    return "\n".join(result.get("notes", []) + list(_failures(result).values()))


def test_the_batch_finishes_and_the_honest_submission_is_untouched(graded):
    assert graded["summary"].submissions == graded["summary"].graded == 28
    honest = graded["results"]["honest"]
    assert honest["score"] == FULL_MARKS and not _failures(honest) and not honest["notes"]


@pytest.mark.parametrize("student", ["always-equal", "lying-subclasses"])
def test_objects_that_lie_about_equality_earn_nothing(graded, student):
    result = graded["results"][student]
    assert result["score"] == 0
    assert ("returned -1.0" if student == "lying-subclasses" else "return plain data") in \
        _failures(result)["test_exponential_backoff"]


@pytest.mark.parametrize("student", ["patches-modules-blank", "patches-builtins"])
def test_monkeypatching_what_tests_use_earns_nothing(graded, student):
    result = graded["results"][student]
    assert result["score"] == 0 and all(_failures(result).values())


def test_monkeypatching_changes_nothing_for_a_correct_answer(graded):
    assert graded["results"]["patches-modules-solved"]["score"] == FULL_MARKS


def test_exiting_inside_a_function_fails_only_what_it_breaks(graded):
    result = graded["results"]["exits-in-a-function"]
    failures = _failures(result)
    assert "called exit()" in failures["test_exponential_backoff"]
    assert 0 < result["score"] < FULL_MARKS and len(result["tests"]) == 12


def test_exiting_at_the_top_level_scores_zero_with_a_reason(graded):
    result = graded["results"]["os-exit-at-the-top"]
    assert result["score"] == 0 and "did not finish running" in _said(result)


def test_a_keyboard_interrupt_is_an_error_like_any_other(graded):
    result = graded["results"]["raises-keyboard-interrupt"]
    assert "KeyboardInterrupt" in _failures(result)["test_exponential_backoff"]
    assert 0 < result["score"] < FULL_MARKS and len(result["tests"]) == 12


@pytest.mark.skipif(not LAYERS["signals"], reason="needs Landlock's signal scope (Linux 6.12)")
def test_a_submission_cannot_signal_the_grader(graded):
    result = graded["results"]["kills-the-grader"]
    assert "PermissionError" in _said(result)
    assert result["score"] == FULL_MARKS - 2  # only save_order, whose cell it broke
    # kill(-1) reaches no process outside the submission: the batch and its neighbours live
    assert graded["results"]["kills-everyone"]["score"] == FULL_MARKS


@pytest.mark.parametrize("student, reason", [
    ("loops-for-ever", "did not finish running within 5 s"),
    ("recurses-deeply", "did not finish running"),
    ("allocates-too-much", "MemoryError"),
])
def test_runaway_code_is_stopped_with_a_reason(graded, student, reason):
    result = graded["results"][student]
    assert result["score"] == 0 and reason in _said(result)


@pytest.mark.skipif(not LAYERS["processes"], reason="needs an unprivileged user namespace")
def test_a_fork_bomb_is_bounded(graded):
    result = graded["results"]["forks-for-ever"]
    assert result["score"] == 0
    assert "BlockingIOError" in _said(result) or "did not finish running" in _said(result)


@pytest.mark.skipif(not LAYERS["files"], reason="needs Landlock (Linux 5.13)")
@pytest.mark.parametrize("student", ["reads-hidden-tests", "reads-another-submission",
                                     "writes-the-gradebook", "writes-another-result"])
def test_files_outside_the_submission_are_out_of_reach(graded, student):
    result = graded["results"][student]
    assert "PermissionError" in _said(result)
    assert result["score"] == FULL_MARKS - 2  # the cell that tried failed; nothing else did
    assert not graded["gradebook_changed"]


@pytest.mark.skipif(not LAYERS["network"], reason="needs an unprivileged network namespace")
def test_there_is_no_network(graded):
    result = graded["results"]["uses-the-network"]
    assert result["score"] == FULL_MARKS - 2 and not graded["connected"]
    assert "Error" in _said(result)


def test_a_duplicated_answer_cell_counts_once_with_a_note(graded):
    result = graded["results"]["duplicates-a-cell"]
    assert "appears more than once" in _said(result)
    assert result["score"] == 0  # the first copy is the blank one


def test_a_notebook_claiming_another_lab_is_not_graded(graded):
    result = graded["results"]["claims-another-lab"]
    assert result["score"] == 0 and result["max_score"] == FULL_MARKS
    assert "lab 07-shuffle-sharding's notebook, submitted as lab 02-retries" in result["error"]


def test_turning_tests_into_answers_changes_nothing(graded):
    result = graded["results"]["turns-a-test-into-an-answer"]
    assert result["score"] == 0 and result["max_score"] == FULL_MARKS
    assert len(result["tests"]) == 12


def test_a_forged_ready_message_ends_that_submission_alone(graded):
    """A process that claims to be ready, names what tests may see, forks and spins: its
    claims are checked (it defined nothing the lab asks for), and its processes are
    killed with it."""
    result = graded["results"]["forges-its-ready-message"]
    assert result["score"] == 0 and all(_failures(result).values())
    assert graded["results"]["honest"]["score"] == FULL_MARKS


def test_calls_into_the_graders_objects_are_limited_and_bounded(graded):
    """Only API operations of a client, and the test's own functions, may be called; a
    learner that stops reading its pipe meets the test's time limit, not the grader's."""
    stopped = graded["results"]["asks-and-stops-reading"]
    assert stopped["score"] == 0 and "did not finish within 5 s" in _said(stopped)
    waited = graded["results"]["waits-in-the-grader"]
    assert waited["score"] == FULL_MARKS - 2
    assert "'get_waiter' may not be called" in _failures(waited)["test_save_order"]


def test_any_text_a_submission_produces_can_be_written(graded):
    result = graded["results"]["writes-a-lone-surrogate"]
    assert "bad \\ud800 value" in _failures(result)["test_exponential_backoff"]


def test_a_submission_cannot_choose_the_names_tests_see(graded):
    assert graded["results"]["edits-its-exports"]["score"] == FULL_MARKS
