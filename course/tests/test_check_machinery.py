"""The machinery every lab's checks share: scenarios varied per submission, properties tried
on generated inputs, and the fault layer's error families."""

from __future__ import annotations

import importlib
import sys

import pytest
from botocore.exceptions import BotoCoreError, ClientError
from hypothesis import strategies as st

from resilience import checks
from resilience.checks import TooManyCalls, expect, scenario_seed, seed_of, varied
from resilience.checks.properties import (
    connection_errors,
    for_all,
    permanent_errors,
    server_errors,
    throttling_errors,
)


@varied
def check_even(function, *, seed):
    """A toy varied check: ``function`` must return an even number for the seed."""
    expect(function(seed) % 2 == 0, f"odd for {seed}")


def test_the_same_code_gives_the_same_seed_and_other_code_another():
    assert seed_of(["def f(): pass"]) == seed_of(["def f(): pass  "])
    assert seed_of(["def f(): pass"]) != seed_of(["def g(): pass"])
    assert 0 <= seed_of(["x"]) < 2**checks.SEED_BITS


def test_a_varied_check_uses_the_graders_seed_and_names_it_on_failure(monkeypatch):
    monkeypatch.setattr(checks, "submission_seed", 7)
    assert scenario_seed(print) == 7
    with pytest.raises(AssertionError) as failure:
        check_even(lambda n: n)
    message = str(failure.value)
    assert "odd for 7" in message and "Scenario seed 7" in message
    assert "check_even(function, seed=7)" in message
    check_even(lambda n: n, seed=8)  # a rerun with the seed given


def test_without_the_grader_the_seed_comes_from_the_answers_code():
    def one():
        return 1

    def two():
        return 2

    assert scenario_seed(one) == scenario_seed(one) != scenario_seed(two)


def test_a_property_reports_its_smallest_failing_input_the_same_way_every_time():
    messages = []
    for _ in range(2):
        with pytest.raises(AssertionError) as failure:
            for_all(st.integers(0, 1000), lambda n: expect(n < 10, f"{n} is too big"), seed=1)
        messages.append(str(failure.value))
    assert messages[0] == messages[1]
    assert messages[0].startswith("10 is too big") and messages[0].endswith(": 10")


def test_a_learner_error_is_explained_and_a_runaway_loop_is_not_shrunk():
    with pytest.raises(AssertionError, match="Your code raised ZeroDivisionError"):
        for_all(st.just(0), lambda n: 1 / n, seed=1)
    calls = []

    def runaway(n):
        calls.append(n)
        raise TooManyCalls("no bound")

    with pytest.raises(TooManyCalls):
        for_all(st.integers(), runaway, seed=1)
    assert len(calls) == 1


def test_the_same_seed_tries_the_same_inputs():
    runs = []
    for _ in range(2):
        seen = []
        for_all(st.integers(), seen.append, seed=5, examples=20)
        runs.append(seen)
    assert runs[0] == runs[1] and len(set(runs[0])) > 5


def test_the_same_seed_tries_the_same_inputs_whatever_modules_are_loaded(tmp_path, monkeypatch):
    """The grader, a notebook and a test worker load different modules: Hypothesis must not
    mix constants from their source into the inputs, or a seed's rerun line could miss."""
    def draws() -> list[int]:
        seen: list[int] = []
        for_all(st.lists(st.integers(), max_size=5), seen.extend, seed=5, examples=200)
        return seen

    before = draws()
    constants = ", ".join(str(7_000_000 + n) for n in range(500))
    (tmp_path / "module_full_of_constants.py").write_text(f"NUMBERS = ({constants})\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "module_full_of_constants", raising=False)
    importlib.import_module("module_full_of_constants")
    assert draws() == before


def test_error_families_hold_what_they_name():
    for_all(throttling_errors(), lambda e: expect(
        isinstance(e, ClientError) and e.response["ResponseMetadata"]["HTTPStatusCode"]
        in (400, 429), repr(e)), seed=1)
    for_all(server_errors(), lambda e: expect(
        500 <= e.response["ResponseMetadata"]["HTTPStatusCode"] <= 599, repr(e)), seed=1)
    for_all(connection_errors(), lambda e: expect(isinstance(e, BotoCoreError), repr(e)),
            seed=1)
    for_all(permanent_errors(), lambda e: expect(
        e.response["Error"]["Code"] not in {"ThrottlingException"}, repr(e)), seed=1)


LAB = "02-retries"  # the lab whose reference the toy check below compares with


@varied
def check_like_the_reference(exponential_backoff, *, seed, reference):
    """A toy differential check: the answer agrees with the reference for the seed's case."""
    attempt = seed % 10
    expect(exponential_backoff(attempt, 0.1, 5.0)
           == reference.exponential_backoff(attempt, 0.1, 5.0), f"differs at {attempt}")


def test_a_check_gets_the_reference_answers_unless_given_them():
    check_like_the_reference(lambda attempt, base, cap: min(cap, base * 2**attempt), seed=3)
    with pytest.raises(AssertionError) as failure:
        check_like_the_reference(lambda attempt, base, cap: base, seed=3)
    assert "check_like_the_reference(exponential_backoff, seed=3)" in str(failure.value)
