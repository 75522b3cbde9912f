"""The checks behind the labs' tests, one module per lab.

A lab's test cell calls one check with the learner's function or class. A check raises
``AssertionError`` with a message that says what was expected, what happened and why it
matters; the same check runs in the learner's kernel (visible tests, nbgrader) and in the
grader, where the learner's code sits behind a process boundary.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import sys
from collections.abc import Callable, Iterable
from typing import Any

from botocore.client import BaseClient

from resilience.clock import SimClock

RUNAWAY_CALLS = 200  # code still calling after this many calls has no bound
SEED_BITS = 32  # scenario seeds are short enough to type into a rerun line


class TooManyCalls(BaseException):
    """Raised by a test's fake operation once code keeps calling it far past any sane bound.

    It derives from ``BaseException`` so that an ``except Exception`` in the learner's retry
    loop cannot swallow it and loop for ever.
    """


def expect(condition: object, message: str) -> None:
    """Fail the check with a teaching message unless ``condition`` holds (is truthy)."""
    if not condition:
        raise AssertionError(message)


def client_error(code: str, status: int = 400, operation: str = "PutItem"):
    """A botocore ``ClientError`` as a service would raise it, for fake operations."""
    from botocore.exceptions import ClientError

    response = {"Error": {"Code": code, "Message": f"{code} (made by the test)"},
                "ResponseMetadata": {"HTTPStatusCode": status}}
    return ClientError(response, operation)


def expect_sleeps(clock: SimClock, expected: int, setting: str) -> None:
    """The injected sleep was called ``expected`` times, or a message says what went wrong."""
    slept = len(clock.sleeps)
    if slept == 0:
        hint = ("Did you call time.sleep? Wait through the sleep you are given, so tests and "
                "simulations run in simulated time.")
    elif slept > expected:
        hint = "Wait only between tries: not before the first, nor after the last failure."
    else:
        hint = "Wait once before every retry."
    expect(slept == expected, f"{setting} there should be {expected} call(s) to the injected "
           f"sleep; there were {slept}. {hint}")


def stop_runaway(client: BaseClient, what: str, max_calls: int = RUNAWAY_CALLS) -> None:
    """Make a boto3 client raise ``TooManyCalls`` once code has called it ``max_calls``
    times: a loop that never gives up fails its test instead of running for ever."""
    calls = 0

    def count(**_):
        nonlocal calls
        calls += 1
        if calls > max_calls:
            raise TooManyCalls(
                f"Your code called {what} more than {max_calls} times: its retries have no "
                "bound. What can never succeed must be given up on (and reported) after a "
                "few tries, or it keeps your code, and the service, busy for ever.")

    client.meta.events.register("before-call", count)


# -- scenarios varied per submission ----------------------------------------------------------

# The grader sets this to ``seed_of(answer cells)`` while it grades a submission, and clears
# it: every varied check then draws its scenario from it, so a regrade gives the same score.
submission_seed: int | None = None


def seed_of(sources: Iterable[str]) -> int:
    """A stable seed from some code: the same code always gives the same seed."""
    digest = hashlib.sha256("\0".join(source.strip() for source in sources).encode())
    return int.from_bytes(digest.digest()[:SEED_BITS // 8], "big")


def scenario_seed(*answers) -> int:
    """The seed a varied check draws its scenario from: the grader's seed for the submission
    being graded, or else (in a notebook) one derived from the answers' own code, so that
    code which only fits one fixed scenario cannot pass."""
    if submission_seed is not None:
        return submission_seed
    sources = []
    for answer in answers:
        try:
            sources.append(inspect.getsource(answer))
        except (OSError, TypeError):  # no source: a built-in, or a class IPython cannot show
            sources.append(getattr(answer, "__qualname__", type(answer).__name__))
    return seed_of(sources)


def reference_answers(lab_id: str):
    """The lab's reference answers, from the grading side (``grader.reference``), for a
    check that compares a learner's behaviour with them; a clear failure where the course's
    grader and its source are not installed (a learner's copy of a private class)."""
    try:
        from grader.reference import reference
    except ImportError:
        raise AssertionError("This check compares your code with the lab's reference "
                             "answers, which only the grading side has: it runs in the "
                             "course's grader (the notebook's last cell).") from None
    return reference(lab_id)


def varied(check: Callable[..., None]) -> Callable[..., None]:
    """Make ``check(*answers, seed)`` a check whose scenario varies per submission.

    Called as ``check(*answers)`` it takes its seed from ``scenario_seed``; called with
    ``seed=N`` it reruns that scenario. A check that also declares ``reference`` gets the
    lab's reference answers (its module's ``LAB``) unless it is given them. A failure's
    message ends with the seed and the line that reruns exactly that case in the learner's
    notebook.
    """
    parameters = inspect.signature(check).parameters
    names = [name for name, parameter in parameters.items()
             if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD)]

    @functools.wraps(check)
    def run(*answers, seed: int | None = None, **options) -> None:
        chosen = scenario_seed(*answers) if seed is None else seed
        if "reference" in parameters and options.get("reference") is None:
            options["reference"] = reference_answers(sys.modules[check.__module__].LAB)
        try:
            check(*answers, seed=chosen, **options)
        except AssertionError as failure:
            rerun = (f"from {check.__module__} import {check.__name__}; "
                     f"{check.__name__}({', '.join(names[:len(answers)])}, seed={chosen})")
            failure.args = (f"{failure}\n(Scenario seed {chosen}. To rerun this exact case "
                            f"in your notebook: {rerun})",)
            raise failure from None  # the same failure, with what it carries (a figure)

    return run


# -- a learner's function in a fresh process ----------------------------------------------------

FRESH_PROCESS_TIMEOUT_S = 60
HASH_SEEDS = ("1", "2")  # two seeds for Python's string hashing: two different processes
_RUN_PICKLED = """
import json, sys
import cloudpickle
function, calls = cloudpickle.loads(sys.stdin.buffer.read())
print(json.dumps([function(*args) for args in calls]))
"""
# How the grader, which holds only a proxy for the learner's function, runs it afresh: it
# sets this to a callable (function, calls) -> results while a test runs, and clears it.
fresh_process_caller: Callable[[Any, list[tuple]], list] | None = None


def uses_fresh_processes(check: Callable[..., None]) -> Callable[..., None]:
    """Mark a check that calls ``calls_in_fresh_processes``: the grader then starts that
    process at once, beside the learner's, rather than when the check asks for it."""
    check.uses_fresh_processes = True  # type: ignore[attr-defined]
    return check


def calls_in_fresh_processes(function, calls: list[tuple]) -> list[list]:
    """What ``function(*args)`` returns for each ``args`` in ``calls``, in new Python
    processes whose string hashing is seeded differently: what the same code would give
    after a restart, or on another machine. Results come back as JSON data (tuples as
    lists), one list per process.

    In a notebook, the function travels by value (cloudpickle) to two processes with fixed,
    different hash seeds. In the grader, which holds only a proxy for it, the grader runs
    the submission again in one fresh learner process of its own: that process and the
    learner's own each draw a random hash seed, so one is enough to compare with.
    """
    if fresh_process_caller is not None:
        return [fresh_process_caller(function, calls)]
    import json
    import os
    import subprocess
    import sys

    import cloudpickle

    payload = cloudpickle.dumps((function, list(calls)))
    results = []
    for seed in HASH_SEEDS:
        done = subprocess.run([sys.executable, "-c", _RUN_PICKLED], input=payload,
                              capture_output=True, timeout=FRESH_PROCESS_TIMEOUT_S,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        if done.returncode != 0:
            last = (done.stderr.decode(errors="replace").strip().splitlines() or ["?"])[-1]
            raise AssertionError(f"Your function failed when run in a fresh Python process: "
                                 f"{last}. Does it use names that only this notebook defines "
                                 "outside its answer cell?")
        results.append(json.loads(done.stdout))
    return results
