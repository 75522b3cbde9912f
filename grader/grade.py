"""Grade one submission: run its answers in a limited process, run the trusted tests here.

The result is a ``grader.result.GradeResult``, whose ``to_json()`` is the course's grading
contract. Its ``notes`` say, a line each, what went wrong outside any one test: an answer
cell that raised, an answer cell that appears twice.

What a learner's code prints or logs never costs points; a test fails only on a failed
check, an error, or a time limit.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import gc
import importlib
import json
import signal
import threading
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

from grader.labs import Lab, Test, answer_cells, duplicated_answers, identify, load_lab
from grader.learner import LearnerProcess
from grader.peer import Proxy
from grader.result import GradeResult, TestResult, printable
from grader.wire import LearnerTimeout, RemoteException, WireError
from resilience import checks
from resilience.checks import TooManyCalls
from resilience.checks.explain import explain, explain_error
from resilience.checks.requirements import requirement_line

# Wall time for one test. The slowest solution test (lab 04's replay, about 0.7 s) keeps
# over 40x headroom, so a correct answer still passes on a machine busy with other work; a
# hang still ends here (`make benchmark` prints each lab's slowest test against it).
TEST_TIME_LIMIT_S = 30.0
SUBMISSION_TIME_LIMIT_S = 4 * TEST_TIME_LIMIT_S  # all tests together: 4 hangs use it up


# The tests' own work (emulators, simulations) runs here, driven by the learner's values: a
# visibility timeout of 10**40 s would keep an emulator busy for ever. That work gets the
# test's time limit too, plus this grace, so that a hang in the learner's own process is
# reported first, in its own words.
GRADER_GRACE_S = 5.0


class GraderTimeLimit(BaseException):
    """A test's own work outlived its time limit. A BaseException, so that no ``except
    Exception`` in a check (nor Hypothesis) takes it for a failed input and carries on."""


@contextlib.contextmanager
def _time_limit_here(limit_s: float) -> Iterator[None]:
    """Raise ``GraderTimeLimit`` in this process once ``limit_s`` has passed. Only the
    main thread receives signals; elsewhere the learner's process limits stay the only
    ones."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise GraderTimeLimit()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit_s)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class CannotGrade(Exception):
    """The input is not something that can be graded at all (the one-line error)."""

    def __str__(self) -> str:
        return printable(" ".join(super().__str__().split()))  # one printable line


MAX_SUBMISSION_BYTES = 16 * 1024**2  # a lab notebook without outputs is well under 1 MB


def read_submission(path: Path) -> dict:
    """The submitted notebook as plain JSON data (an old nbformat upgraded), or
    ``CannotGrade`` with a one-line reason."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_SUBMISSION_BYTES:
            raise CannotGrade(f"{path.name} is too large to be a lab notebook "
                              f"({path.stat().st_size:,} bytes)")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CannotGrade(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CannotGrade(f"{path.name} is not a notebook (not readable text: {exc})") from None
    if not text.strip():
        raise CannotGrade(f"{path.name} is empty")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CannotGrade(f"{path.name} is not a notebook (not JSON: {exc})") from None
    if isinstance(data, dict) and isinstance(data.get("nbformat"), int) and \
            data["nbformat"] < 4:
        data = _upgraded(data, path.name)
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise CannotGrade(f"{path.name} is not a notebook (it has no list of cells)")
    return data


def _upgraded(data: dict, name: str) -> dict:
    """An nbformat 3 notebook (or older), upgraded to nbformat 4 as Jupyter would."""
    import nbformat

    try:
        return json.loads(nbformat.writes(nbformat.reads(json.dumps(data), as_version=4)))
    except Exception as exc:  # noqa: BLE001 - any failure means: cannot be read
        raise CannotGrade(f"{name} is an nbformat {data['nbformat']} notebook that could not "
                          f"be upgraded ({type(exc).__name__})") from None


def _failure_message(exc: BaseException, cell_errors: list[dict], limit_s: float) -> str:
    """Why a test failed, in words a learner can act on. The learner's own errors get the
    words their kernel's visible tests give (``resilience.checks.explain``); here are only
    the cases a separate process brings: a time limit, a process that ended, an object
    that stayed behind the process boundary, an error that crossed it by name alone."""
    if isinstance(exc, LearnerTimeout):
        return (f"Your code did not finish within {limit_s:.3g} s. Look for a loop that never "
                "ends (unbounded retries?) or a wait that is not bounded.")
    if isinstance(exc, GraderTimeLimit):
        return (f"The test did not finish within {limit_s:.3g} s: what your code set up kept "
                "the service it drives busy for too long. Look for a setting far past what "
                "AWS allows (a timeout of years, thousands of retries) or a loop that never "
                "ends.")
    if isinstance(exc, WireError):
        return ("Your code ended its own process (a call to exit(), os._exit or a crash), "
                "so the test could not finish.")
    if isinstance(exc, TypeError) and "'Proxy'" in str(exc):
        return ("Your code returned an object the test cannot use as a value: return plain "
                "data (numbers, strings, lists, tuples, dicts), as the question asks.")
    broken = [e for e in cell_errors if e.get("type") != "NotImplementedError"]
    failed_cell = _cell_error_text(broken[0]) if broken else None
    if isinstance(exc, RemoteException):  # an error not rebuilt here: its name and message
        return explain_error(exc.type_name, exc.message or None, failed_cell=failed_cell)
    return explain(exc, failed_cell=failed_cell)


def _cell_error_text(error: dict) -> str:
    """An answer cell's error, as the learner's process reported it: which cell, which
    error, where, and its message (for a note, or to say why a name is missing)."""
    where = f" at line {error['line']}" if error.get("line") else ""
    return f"cell '{error.get('label')}' raised {error.get('type')}{where}: {error.get('message')}"


def _test_result(lab: Lab, test: Test, passed: bool, feedback: str, figure: str = ""
                 ) -> TestResult:
    """``test``'s result: its points if it passed, none if not, and then why (``feedback``,
    and a ``figure`` if the check drew one) and which of the lab's numbered requirements
    the test checks."""
    if not passed:
        feedback = "\n".join(filter(None, [feedback, requirement_line(lab.lab_id,
                                                                        test.grade_id)]))
    return TestResult(test.grade_id, test.description, test.points if passed else 0.0,
                      test.points, passed, feedback, figure)


def _figure_of(failure: BaseException) -> str:
    """The PNG a check's failure carries (``figure_png``), base64-encoded, or "". It is
    drawn here, in the grader, from what the check saw: never by the submission."""
    if not isinstance(failure, AssertionError) or not hasattr(type(failure), "figure_png"):
        return ""
    try:
        return base64.b64encode(failure.figure_png).decode()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a figure that cannot be drawn leaves the words
        return ""


# A grading allocates millions of short-lived objects (botocore requests, moto's responses,
# Hypothesis's draws). With Python's default (a young collection every 700 new objects), the
# collector took 0.3 s of lab 08's 2.7 s; every 20,000, 0.1 s. Cycles are still collected.
GC_YOUNG_OBJECTS = 20_000


def collect_garbage_less_often() -> None:
    """Set a grading process's garbage collector for its many short-lived objects; called
    where a grading process starts (the ``grade`` command, a batch worker), not by a library
    call that a test or a notebook makes."""
    gc.set_threshold(GC_YOUNG_OBJECTS)


def _warm_imports() -> None:
    """Import moto and Hypothesis while the learner's process starts: the tests need them,
    and they cost ~0.9 s that the process's own start hides. (In this thread, not another:
    imports racing in two threads, and a fork beside them, can stall.)"""
    import moto.core.models  # noqa: F401
    import moto.dynamodb.models  # noqa: F401

    import resilience.checks.properties  # noqa: F401 - Hypothesis, for the property checks


def _run_setup(lab: Lab) -> dict:
    """The lab's trusted setup cells, run here too: the tests use the names they import."""
    namespace = {"__name__": "__grader__"}
    for cell in lab.setup:
        exec(compile(cell["source"], f"<{cell['label']}>", "exec"), namespace)
    return namespace


def _uses_fresh_processes(tests: list[Test]) -> bool:
    """Whether any of these tests calls a check marked ``uses_fresh_processes``: one whose
    import the test's source names (``from resilience.checks.x import check_y``)."""
    for test in tests:
        for node in ast.walk(ast.parse(test.source)):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = importlib.import_module(node.module)
                if any(getattr(getattr(module, alias.name, None), "uses_fresh_processes", False)
                       for alias in node.names):
                    return True
    return False


class _LearnerSession:
    """The learner's process across the tests: started when first needed, started afresh
    after a hang or a crash, and not again once the answer cells themselves cannot finish."""

    def __init__(self, lab: Lab, cells: list[dict], cpu_seconds: int):
        self._lab, self._cells, self._cpu_seconds = lab, cells, cpu_seconds
        self._process: LearnerProcess | None = None
        self._starting: LearnerProcess | None = None  # started, its cells not yet run
        self._spare: LearnerProcess | None = None  # never used: fresh for one check
        self.cannot_start: str | None = None

    @property
    def cell_errors(self) -> list[dict]:
        """The errors the answer cells raised when they ran (none before they have)."""
        return self._process.cell_errors if self._process else []

    def start(self) -> None:
        """Start the learner's process, without waiting for its cells to run."""
        if self._process is None and self._starting is None and not self.cannot_start:
            self._starting = self._new_process()

    def start_spare(self) -> None:
        """Start a second process now, kept unused for a check that asks for a fresh one:
        its start (~0.3 s) then runs beside the grader's own, and costs that check no wait."""
        if self._spare is None and not self.cannot_start:
            self._spare = self._new_process()

    def _new_process(self) -> LearnerProcess:
        return LearnerProcess(self._cells, self._lab.exports, self._cpu_seconds)

    def namespace(self, deadline: float, limit_s: float) -> dict:
        """Proxies for the learner's names, whose calls must answer by ``deadline``."""
        if self.cannot_start:
            raise AssertionError(self.cannot_start)
        if self._process is None:
            self.start()
            process, self._starting = self._starting, None
            if process is None:  # start() made none: the cells cannot finish
                raise AssertionError(self.cannot_start)
            try:
                process.wait_ready(deadline)
            except Exception as exc:  # noqa: BLE001 - whatever its process sent, or did not
                self.close()  # the spare runs the same cells
                process.close()
                ended = (f" within {limit_s:.3g} s" if isinstance(exc, LearnerTimeout)
                         else ": their process ended")
                self.cannot_start = (f"Your answer cells did not finish running{ended}. Is "
                                     "there an endless loop, a long wait or an exit() at the "
                                     "top level of a cell?")
                raise AssertionError(self.cannot_start) from None
            self._process = process
        self._process.set_deadline(deadline)
        return self._process.namespace()

    def call_in_fresh_process(self, function, calls: list, deadline: float) -> list:
        """Call one of the learner's functions (``function`` is a test's proxy for it) in a
        new process that runs the same answer cells: a fresh start, with its own string-hash
        seed. The results come back as JSON data, as they would from a notebook's check."""
        name = function._target.get("name") if isinstance(function, Proxy) else None
        if not isinstance(name, str):
            raise AssertionError("Only a function that an answer cell defines can be run in "
                                 "a fresh process.")
        process, self._spare = self._spare or self._new_process(), None
        try:
            process.wait_ready(deadline)
            process.set_deadline(deadline)
            fresh = process.namespace().get(name)
            if fresh is None:
                raise AssertionError(f"{name} was not defined when your answer cells ran "
                                     "again in a fresh process.")
            results = [fresh(*args) for args in calls]
        finally:
            process.close()
        try:
            return json.loads(json.dumps(results))
        except (TypeError, ValueError):
            raise AssertionError(f"{name} returned something other than plain data (numbers, "
                                 "strings, lists).") from None

    def close(self) -> None:
        """End the process; the next test that needs one gets a fresh one."""
        for process in (self._process, self._starting, self._spare):
            if process is not None:
                process.close()
        self._process = self._starting = self._spare = None


def _run_test(lab: Lab, test: Test, session: _LearnerSession, setup_namespace: dict,
              limit_s: float, seed: int) -> TestResult:
    """Run one trusted test against the learner's code, its varied scenarios drawn from
    ``seed``, and turn its outcome into a result."""
    deadline = time.monotonic() + limit_s
    checks.submission_seed = seed
    checks.fresh_process_caller = (
        lambda function, calls: session.call_in_fresh_process(function, calls, deadline))
    try:
        with _time_limit_here(limit_s + GRADER_GRACE_S):
            namespace = {**setup_namespace, **session.namespace(deadline, limit_s)}
            exec(compile(test.source, f"<{test.grade_id}>", "exec"), namespace)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - every failure becomes feedback
        feedback = _failure_message(exc, session.cell_errors, limit_s)
        if isinstance(exc, (LearnerTimeout, WireError, TooManyCalls, GraderTimeLimit)):
            session.close()  # its state is unknown
        return _test_result(lab, test, False, feedback, _figure_of(exc))
    finally:
        checks.fresh_process_caller = None
        checks.submission_seed = None
    return _test_result(lab, test, True, "")


def _notes(lab: Lab, submission: dict, session: _LearnerSession) -> list[str]:
    """What went wrong outside any one test: answer cells that appear more than once, and
    answer cells that raised (but for a blank answer's NotImplementedError)."""
    notes = [f"Answer cell '{grade_id}' appears more than once: only the first one was "
             "graded." for grade_id in duplicated_answers(lab, submission)]
    return notes + [f"Your {_cell_error_text(error)}" for error in session.cell_errors
                    if error.get("type") != "NotImplementedError"]


def grade_notebook(submission: dict, *, expected_lab: str | None = None,
                   time_limit_s: float = SUBMISSION_TIME_LIMIT_S,
                   test_time_limit_s: float = TEST_TIME_LIMIT_S,
                   on_test: Callable[[TestResult, float], None] | None = None,
                   only: Collection[str] | None = None) -> GradeResult:
    """Grade a submitted notebook (as JSON data) against its lab's trusted tests, within
    ``time_limit_s`` of wall time in all and ``test_time_limit_s`` for any one test (each
    times the lab's ``time_scale``). With
    ``expected_lab``, a notebook of another lab is not graded. ``on_test(result, seconds)``
    hears of each test as soon as it is done, with the wall time it took (the learner's
    process start included for the test that needed it): for timing, or for progress.
    ``only`` (grade_ids) runs just those tests, and the result holds just them: for the
    grader's own tests, which prove that given tests catch a given mistake."""
    lab_id = identify(submission)
    if lab_id is None:
        raise CannotGrade("this notebook is not one of the course's labs "
                          "(no lab metadata and no answer cell the grader knows)")
    if expected_lab is not None and lab_id != expected_lab:
        raise CannotGrade(f"this is lab {lab_id}'s notebook, submitted as lab {expected_lab}")
    lab = load_lab(lab_id)
    time_limit_s, test_time_limit_s = (time_limit_s * lab.time_scale,
                                       test_time_limit_s * lab.time_scale)
    answers = answer_cells(lab, submission)
    seed = checks.seed_of(cell["source"] for cell in answers)  # the same code, the same cases
    session = _LearnerSession(lab, lab.setup + answers, cpu_seconds=int(time_limit_s) + 5)
    tests = [test for test in lab.tests if only is None or test.grade_id in only]
    try:
        session.start()
        if _uses_fresh_processes(tests):
            session.start_spare()
        _warm_imports()
        setup_namespace = _run_setup(lab)
        started, results = time.monotonic(), []
        for test in tests:
            test_started = time.perf_counter()
            limit_s = min(test_time_limit_s, time_limit_s - (time.monotonic() - started))
            if session.cannot_start:
                result = _test_result(lab, test, False, session.cannot_start)
            elif limit_s <= 0:
                result = _test_result(lab, test, False, "Not run: the submission used up its "
                                      f"{time_limit_s:g} s time limit.")
            else:
                result = _run_test(lab, test, session, setup_namespace, limit_s, seed)
            results.append(result)
            if on_test is not None:
                on_test(printable(result), time.perf_counter() - test_started)
        notes = _notes(lab, submission, session)
    finally:
        session.close()
    return printable(GradeResult(lab_id, sum(r.score for r in results),
                                 sum(test.points for test in tests),
                                 tuple(results), tuple(notes)))


def grade_file(path, **options) -> GradeResult:
    """Grade the notebook at ``path`` (options as for ``grade_notebook``)."""
    return grade_notebook(read_submission(Path(path)), **options)
