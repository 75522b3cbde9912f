"""Checks for lab 02: backoff strategies, a retry wrapper, a retry budget.

Jitter is random, so its checks look at many seeded draws and allow wide margins: the
reference solution passes them for every seed (the repo's tests run it over hundreds).
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from statistics import fmean
from typing import TYPE_CHECKING

from botocore.client import BaseClient
from botocore.exceptions import ClientError, ConnectTimeoutError, ReadTimeoutError

from resilience.checks import RUNAWAY_CALLS, TooManyCalls, client_error, expect, expect_sleeps
from resilience.clock import SimClock

if TYPE_CHECKING:  # the sandbox is imported where a check makes one
    from resilience.sandbox import Sandbox

BASE_S = 0.01  # small, so that a wrong answer that sleeps for real costs little
CAP_S = 0.08
SAMPLES = 120  # draws per statistical check (each is a call across the grader's wire)
TABLE = "orders"


def _ceiling(attempt: int, base: float = BASE_S, cap: float = CAP_S) -> float:
    return min(cap, base * 2**attempt)


class Counted:
    """Wraps an operation to count its calls, and stops a retry loop that never ends."""

    def __init__(self, operation):
        self.operation = operation
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.calls > RUNAWAY_CALLS:
            raise TooManyCalls(
                f"Your retry loop called the operation more than {RUNAWAY_CALLS} times: its "
                "attempts are unbounded. Under an outage, unbounded retries turn every client "
                "into a source of load that never stops.")
        return self.operation()


def flaky(errors=(), result="done", forever=None) -> Counted:
    """A counted fake operation: raises ``errors`` in turn, then returns ``result`` (or
    raises ``forever`` on every call, if given)."""
    pending = list(errors)

    def operation():
        if pending:
            raise pending.pop(0)
        if forever is not None:
            raise forever
        return result

    return Counted(operation)


def _draws(strategy, attempts, seed, **kwargs) -> dict[int, list[float]]:
    rng = random.Random(seed)
    return {a: [strategy(a, BASE_S, CAP_S, rng, **kwargs) for _ in range(SAMPLES)]
            for a in attempts}


def _same_seed_same_delays(strategy, first_argument) -> None:
    one = [strategy(first_argument, BASE_S, CAP_S, random.Random(7)) for _ in range(5)]
    two = [strategy(first_argument, BASE_S, CAP_S, random.Random(7)) for _ in range(5)]
    expect(one == two, "With the same seeded rng your function gave different delays "
           f"({one[0]!r} then {two[0]!r}). Draw from the rng you are given, never from the "
           "random module itself: tests and simulations need runs that repeat exactly.")


# -- backoff strategies ------------------------------------------------------------------


def check_exponential_backoff(exponential_backoff) -> None:
    """Exponential backoff doubles from ``base`` and stops growing at ``cap``."""
    for attempt in range(12):
        got, want = exponential_backoff(attempt, BASE_S, CAP_S), _ceiling(attempt)
        expect(abs(got - want) < 1e-9,
               f"exponential_backoff({attempt}, base={BASE_S}, cap={CAP_S}) returned {got!r}; "
               f"expected min(cap, base * 2**attempt) = {want!r}. "
               + ("Without a cap, a long outage makes clients wait for hours between tries."
                  if got > CAP_S else "Attempt 0 (the first retry) waits base; each retry "
                  "after it waits twice as long."))


def check_full_jitter(full_jitter, seed: int = 11) -> None:
    """Full jitter draws uniformly from [0, min(cap, base * 2**attempt)] with the given rng."""
    _same_seed_same_delays(full_jitter, 2)
    for attempt, delays in _draws(full_jitter, (2, 8), seed=seed).items():
        ceiling = _ceiling(attempt)
        outside: list[float | None] = [d for d in delays if not 0 <= d <= ceiling] or [None]
        expect(outside == [None],
               f"full_jitter(attempt={attempt}) returned {outside[0]!r}, outside [0, "
               f"{ceiling!r}] = [0, min(cap, base * 2**attempt)]. Delays past the ceiling "
               "wait too long; a formula with the wrong exponent or no cap also lands here.")
        expect(len(set(delays)) > SAMPLES // 2,
               f"full_jitter(attempt={attempt}) returned the same few values "
               f"({sorted(set(delays))[:3]}...): there is no jitter. Clients that back off in "
               "lockstep retry in lockstep and collide again.")
        mean = fmean(delays)
        # 0.12 t is 4.5 standard errors of the mean of 120 uniform draws: never a false alarm
        expect(abs(mean - ceiling / 2) < 0.12 * ceiling and min(delays) < 0.1 * ceiling,
               f"full_jitter(attempt={attempt}) averaged {mean:.4f} s and never went below "
               f"{min(delays):.4f} s; a uniform draw from [0, {ceiling}] averages {ceiling / 2}"
               " and often comes close to 0. Spread retries over the whole window.")


def check_equal_jitter(equal_jitter, seed: int = 12) -> None:
    """Equal jitter keeps half the exponential delay and draws the other half at random."""
    _same_seed_same_delays(equal_jitter, 2)
    for attempt, delays in _draws(equal_jitter, (0, 9), seed=seed).items():
        ceiling = _ceiling(attempt)
        outside: list[float | None] = [
            d for d in delays if not ceiling / 2 <= d <= ceiling] or [None]
        expect(outside == [None],
               f"equal_jitter(attempt={attempt}) returned {outside[0]!r}, outside "
               f"[{ceiling / 2!r}, {ceiling!r}]: it should be t/2 + uniform(0, t/2) with "
               "t = min(cap, base * 2**attempt)."
               + (" The cap is missing." if outside[0] is not None and outside[0] > CAP_S
                  else ""))
        expect(len(set(delays)) > SAMPLES // 2 and abs(fmean(delays) - 0.75 * ceiling)
               < 0.06 * ceiling,  # 4.5 standard errors
               f"equal_jitter(attempt={attempt}) should average 0.75 t = {0.75 * ceiling:.4f} "
               f"s with its random half spread out; it averaged {fmean(delays):.4f} s.")


def check_decorrelated_jitter(decorrelated_jitter, seed: int = 13) -> None:
    """Decorrelated jitter draws from [base, 3 * previous], capped at ``cap``."""
    _same_seed_same_delays(decorrelated_jitter, BASE_S)
    rng = random.Random(seed)
    for previous in (BASE_S, 0.05, CAP_S):
        delays = [decorrelated_jitter(previous, BASE_S, CAP_S, rng) for _ in range(SAMPLES)]
        high = min(CAP_S, 3 * previous)
        outside = [d for d in delays if not BASE_S <= d <= high] or [None]
        expect(outside == [None],
               f"decorrelated_jitter(previous={previous}) returned {outside[0]!r}, outside "
               f"[base, min(cap, 3 * previous)] = [{BASE_S}, {high}].")
        expect(len(set(delays)) > 10,  # many draws land on the cap; without jitter, one value
               f"decorrelated_jitter(previous={previous}) did not vary: there is no jitter.")
    chain, delay = [], BASE_S
    for _ in range(40):
        delay = decorrelated_jitter(delay, BASE_S, CAP_S, rng)
        chain.append(delay)
    expect(max(chain) > CAP_S / 2,
           "Fed its own previous delay, decorrelated_jitter should grow towards the cap; "
           f"after 40 retries the longest wait was {max(chain):.4f} s (cap {CAP_S} s).")


# -- which errors to retry ---------------------------------------------------------------

RETRYABLE = [
    (client_error("ProvisionedThroughputExceededException"), "DynamoDB's throttling error"),
    (client_error("ThrottlingException"), "a throttling error"),
    (client_error("RequestLimitExceeded"), "a request-rate limit"),
    (client_error("InternalServerError", 500), "an HTTP 500"),
    (client_error("ServiceUnavailable", 503), "an HTTP 503"),
    (ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com"),
     "a read timeout"),
    (ConnectTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com"),
     "a connect timeout"),
]
NOT_RETRYABLE = [
    (client_error("ValidationException"), "a ValidationException: the request itself is "
     "wrong, and sending it again can never succeed"),
    (client_error("AccessDeniedException"), "an AccessDeniedException: permissions do not "
     "change between retries"),
    (client_error("ConditionalCheckFailedException"), "a ConditionalCheckFailedException: "
     "the condition is false, and retrying will not make it true"),
    (client_error("ResourceNotFoundException"), "a ResourceNotFoundException: the table is "
     "not there"),
    (ValueError("bad input"), "a ValueError from your own code: a bug, not a transient fault"),
]


def check_is_retryable(is_retryable) -> None:
    """Throttling, 5xx and timeouts are retryable; validation, access and bugs are not."""
    for error, what in RETRYABLE:
        expect(is_retryable(error) is True,
               f"is_retryable said no to {what} ({type(error).__name__}). Transient faults "
               "like this usually succeed on a later try: retry them (with backoff).")
    for error, what in NOT_RETRYABLE:
        expect(is_retryable(error) is False,
               f"is_retryable said yes to {what}. Retrying errors that cannot succeed only "
               "adds load and delays the real error.")


# -- the retry wrapper -------------------------------------------------------------------


@contextmanager
def throttled_table(throttled_calls: int):
    """A moto DynamoDB client (SDK retries off) whose first PutItem calls are throttled."""
    from resilience.sandbox import aws_sandbox

    clock = SimClock()
    with aws_sandbox(tables=[TABLE], clock=clock) as aws:
        yield _throttled_client(aws, clock, throttled_calls)


def _throttled_client(aws: Sandbox, clock: SimClock, throttled_calls: int):
    from resilience.faults import FaultInjector

    dynamodb = aws.client("dynamodb", total_max_attempts=1)
    faults = FaultInjector(dynamodb, clock=clock)
    faults.throttle("PutItem", first=throttled_calls)
    return dynamodb, faults, clock


def _put(dynamodb: BaseClient, order_id: str):
    return lambda: dynamodb.put_item(TableName=TABLE, Item={"id": {"S": order_id}})


def _stored(dynamodb: BaseClient, order_id: str) -> bool:
    return "Item" in dynamodb.get_item(TableName=TABLE, Key={"id": {"S": order_id}})


def check_retries_until_success(call_with_retries) -> None:
    """A throttled DynamoDB write is retried, with a jittered sleep, until it succeeds."""
    with throttled_table(throttled_calls=3) as (dynamodb, faults, clock):
        result = call_with_retries(_put(dynamodb, "o-1"), max_attempts=5, base=BASE_S,
                                   cap=CAP_S, sleep=clock.sleep, rng=random.Random(1))
        outcomes = faults.outcomes("PutItem")
        expect(outcomes == ["throttled"] * 3 + ["ok"],
               f"Against a table that throttles the first 3 writes, your wrapper made these "
               f"calls: {outcomes}. Expected 3 throttled calls and then a successful one.")
        expect(isinstance(result, dict) and "ResponseMetadata" in result,
               f"call_with_retries should return what the operation returned; got {result!r}.")
        expect(_stored(dynamodb, "o-1"), "The item is not in the table after the retries.")
        expect_sleeps(clock, 3, "With 3 throttled calls before a success,")


def check_gives_up(call_with_retries) -> None:
    """After max_attempts calls in all, the wrapper stops and raises the last error."""
    from resilience.sandbox import aws_sandbox

    with aws_sandbox(tables=[TABLE]) as aws:
        for max_attempts in (1, 2, 4):
            dynamodb, faults, clock = _throttled_client(aws, SimClock(),
                                                        throttled_calls=RUNAWAY_CALLS + 1)
            counted = Counted(_put(dynamodb, "o-2"))
            try:
                call_with_retries(counted, max_attempts=max_attempts, base=BASE_S,
                                  cap=CAP_S, sleep=clock.sleep, rng=random.Random(2))
            except ClientError as error:
                code = error.response["Error"]["Code"]
                expect(code == "ProvisionedThroughputExceededException",
                       f"After giving up, raise the operation's last error; got {code}.")
            except TooManyCalls:
                raise
            except Exception as error:  # noqa: BLE001
                raise AssertionError(
                    "When every attempt is throttled, let the last ClientError propagate so "
                    f"the caller can see why; your wrapper raised {type(error).__name__}: "
                    f"{error}") from None
            else:
                raise AssertionError("Every attempt was throttled, yet call_with_retries "
                                     "returned normally: it must raise the last error.")
            expect(counted.calls == max_attempts,
                   f"With max_attempts={max_attempts}, make exactly {max_attempts} call(s) in "
                   f"all (the first try counts); your wrapper made {counted.calls}. "
                   "max_attempts bounds the total work a failing dependency can cost.")
            expect_sleeps(clock, max_attempts - 1, f"With max_attempts={max_attempts},")


def check_non_retryable_raised_at_once(call_with_retries) -> None:
    """A request that can never succeed is not retried: the error is raised at once."""
    from resilience.sandbox import aws_sandbox

    clock = SimClock()
    with aws_sandbox(tables=[TABLE], clock=clock) as aws:
        dynamodb = aws.client("dynamodb", total_max_attempts=1)
        # The key attribute is missing, so DynamoDB answers ValidationException.
        bad_write = Counted(lambda: dynamodb.put_item(TableName=TABLE,
                                                      Item={"not_the_key": {"S": "x"}}))
        try:
            call_with_retries(bad_write, max_attempts=5, base=BASE_S, cap=CAP_S,
                              sleep=clock.sleep, rng=random.Random(3))
        except ClientError as error:
            expect(error.response["Error"]["Code"] == "ValidationException",
                   f"Expected the ValidationException to propagate; got {error}.")
        else:
            raise AssertionError("A write with a missing key must raise ValidationException.")
    expect(bad_write.calls == 1,
           f"Your wrapper sent a write that DynamoDB rejected with ValidationException "
           f"{bad_write.calls} times. That error can never succeed on retry: raise it at once.")
    expect(not clock.sleeps, "Do not sleep before raising an error you will not retry.")
    operation = flaky(errors=[ValueError("bug")])
    try:
        call_with_retries(operation, max_attempts=5, base=BASE_S, cap=CAP_S,
                          sleep=SimClock().sleep, rng=random.Random(3))
    except Exception:  # noqa: BLE001
        pass
    expect(operation.calls == 1, "Your wrapper retried a ValueError (a bug in the calling "
           "code). Retry only the transient errors is_retryable accepts.")


def check_sleeps_with_jitter(call_with_retries) -> None:
    """Each wait is a full-jitter draw from [0, min(cap, base * 2**retry)] via ``sleep``."""
    attempts = 8
    waits_by_retry: list[list[float]] = [[] for _ in range(attempts - 1)]
    for seed in range(40):
        clock = SimClock()
        operation = flaky(forever=client_error("ThrottlingException"))
        try:
            call_with_retries(operation, max_attempts=attempts, base=BASE_S, cap=CAP_S,
                              sleep=clock.sleep, rng=random.Random(seed))
        except ClientError:
            pass
        expect_sleeps(clock, attempts - 1, f"With max_attempts={attempts}, all failing,")
        for retry, wait in enumerate(clock.sleeps):
            ceiling = _ceiling(retry)
            expect(0 <= wait <= ceiling,
                   f"Wait number {retry + 1} was {wait:.4f} s; full jitter draws from "
                   f"[0, min(cap, base * 2**{retry})] = [0, {ceiling}]. "
                   + ("The cap is missing: waits must stop growing at cap." if wait > CAP_S
                      else "Full jitter draws the whole wait from that window: it adds no "
                      "fixed part, and retry number r (counting from 0) uses 2**r."))
            waits_by_retry[retry].append(wait)
    repeat = []
    for _ in range(2):
        clock = SimClock()
        try:
            call_with_retries(flaky(forever=client_error("ThrottlingException")),
                              max_attempts=attempts, base=BASE_S, cap=CAP_S,
                              sleep=clock.sleep, rng=random.Random(99))
        except ClientError:
            pass
        repeat.append(clock.sleeps)
    expect(repeat[0] == repeat[1],
           "Two runs with the same seeded rng waited differently: your wrapper draws its "
           "jitter from somewhere other than the rng you are given (the random module?). "
           "Draw every delay from that rng, in full_jitter and in the wrapper, so runs repeat "
           "exactly in tests and simulations.")
    for retry, waits in enumerate(waits_by_retry):
        expect(len(set(waits)) > len(waits) // 2,
               f"Across 40 seeds, wait number {retry + 1} was always one of "
               f"{sorted(set(waits))[:3]}: there is no jitter. Use the rng you are given.")


def check_budget(RetryBudget) -> None:
    """The budget starts full, refuses when empty, refills with time, and never overfills."""
    clock = SimClock()
    budget = RetryBudget(capacity=3, refill_per_s=2.0, clock=clock)
    spent = [budget.try_spend() for _ in range(5)]
    expect(spent == [True, True, True, False, False],
           f"A new budget of capacity 3 should allow 3 retries, then refuse: got {spent}.")
    clock.advance(0.25)
    expect(budget.try_spend() is False,
           "After 0.25 s at 2 tokens a second there is half a token: not enough for a retry.")
    clock.advance(0.25)
    expect(budget.try_spend() is True,
           "After 0.5 s at 2 tokens a second the budget has earned one token (two quarter-"
           "second halves add up), yet it refused. A budget that never refills, or drops the "
           "fractions of a token it earns, blocks retries for good after one bad minute.")
    clock.advance(3600)
    spent = [budget.try_spend() for _ in range(5)]
    expect(spent.count(True) == 3,
           f"After an idle hour a capacity-3 budget should allow exactly 3 retries; it "
           f"allowed {spent.count(True)}. "
           + ("Tokens must not pile up beyond capacity, or a burst of retries follows an "
              "idle spell." if spent.count(True) > 3 else ""))


def check_wrapper_respects_budget(call_with_retries, RetryBudget) -> None:
    """When the budget is empty the wrapper stops retrying, but still makes the first call."""
    clock = SimClock()
    budget = RetryBudget(capacity=2, refill_per_s=0.0, clock=clock)
    operation = flaky(forever=client_error("ThrottlingException"))
    try:
        call_with_retries(operation, max_attempts=10, base=BASE_S, cap=CAP_S,
                          sleep=clock.sleep, rng=random.Random(5), budget=budget)
    except ClientError:
        pass
    expect(operation.calls == 3,
           f"With 2 tokens in the budget, a failing call should be tried once and retried "
           f"twice (3 calls); your wrapper made {operation.calls}. The budget is what stops "
           "retries from multiplying through layers during an outage.")
    first = flaky(result="fine")
    expect(call_with_retries(first, max_attempts=10, base=BASE_S, cap=CAP_S,
                             sleep=clock.sleep, rng=random.Random(5), budget=budget) == "fine"
           and first.calls == 1,
           "An empty budget limits retries only: the first try of each call always goes out.")


def check_save_order(save_order) -> None:
    """save_order stores an order in DynamoDB through throttling, with retries of its own."""
    with throttled_table(throttled_calls=2) as (dynamodb, faults, clock):
        try:
            save_order(dynamodb, {"id": "o-42", "total": 1999}, sleep=clock.sleep,
                       rng=random.Random(4))
        except ClientError as error:
            raise AssertionError(
                f"save_order let a {error.response['Error']['Code']} escape from a table "
                "that throttles only its first 2 writes. Write through call_with_retries, "
                "so throttled writes are retried instead of lost.") from None
        item = dynamodb.get_item(TableName=TABLE, Key={"id": {"S": "o-42"}}).get("Item")
        expect(item is not None, "The order is not in the 'orders' table after save_order.")
        expect(item.get("total") == {"N": "1999"},
               f"The stored total should be the number 1999; the item is {item}.")
        expect(faults.outcomes("PutItem") == ["throttled", "throttled", "ok"],
               f"Expected two throttled writes and one that succeeded; the table saw "
               f"{faults.outcomes('PutItem')}.")
        expect_sleeps(clock, 2, "Saving through 2 throttled writes,")
