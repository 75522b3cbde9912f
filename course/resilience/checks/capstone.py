"""Checks for lab 9, the capstone: each part of the order pipeline on its own, then the
whole pipeline under chaos, judged on its five invariants.

The parts' checks compare the learner's part with the lab's contract (or its reference
answer, where the contract fixes every call) on generated cases. The pipeline's checks run
``counterexamples.Search`` over the learner's five parts: each invariant's check searches
only as far as it needs, and all five share one search per submission. A failure shows the
smallest schedule found, the line that replays it, the chapter to revisit, and (in the
grader's feedback) the run's timeline figure.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field

from hypothesis import strategies as st

from resilience import chaos
from resilience.checks import expect, scenario_seed, varied
from resilience.checks.properties import for_all
from resilience.checks.requirements import Requirement
from resilience.clock import SimClock
from resilience.counterexamples import Finding, Search
from resilience.eventsources import (
    Function,
    KinesisEventSourceMapping,
    LambdaContext,
    kinesis_config,
    kinesis_event_record,
)
from resilience.faults import FaultInjector
from resilience.invariants import AVAILABILITY_OBJECTIVE, FRESHNESS_OBJECTIVE_S, alarms_due
from resilience.models.retrybudget import RetryBudget
from resilience.pipeline import (
    ALARMS,
    BACKOFF_BASE_S,
    BACKOFF_CAP_S,
    DOOR_CAPACITY_PER_S,
    FAILURE_QUEUE,
    FLUSH_INTERVAL_S,
    PAYMENT_LATENCY_S,
    PAYMENT_TIMEOUT_S,
    PRODUCER_DEADLINE_S,
    RIDE_OUT_S,
    SERVICE_CLIENT_READ_TIMEOUT_S,
    STOPPING_ERRORS,
    STREAM,
    TABLE,
    TIME_TO_STOP_S,
    Door,
    Parts,
    PaymentAPI,
    Period,
    Request,
)
from resilience.sandbox import aws_sandbox, drain_queue

LAB = "09-capstone"

ADMIT_TESTS = ("test_admit_refuses_what_cannot_be_answered", "test_admit_everywhere")
PRODUCER_TESTS = ("test_send_orders_resends_failures", "test_send_orders_everywhere")
HANDLER_TESTS = ("test_handler_charges_stores_and_sets_aside", "test_handler_everywhere")
MAPPING_TESTS = ("test_mapping_is_accepted", "test_mapping_rides_out_and_gives_up")
ALARM_TESTS = ("test_alarms_watch_symptoms", "test_alarms_everywhere")
INVARIANT_TESTS = {"nothing lost": "test_nothing_lost", "nothing doubled": "test_nothing_doubled",
                   "recovery": "test_recovery", "overload": "test_overload",
                   "alarms": "test_alarms_work"}
SYSTEM = ("test_a_quiet_run_holds", *INVARIANT_TESTS.values())

REQUIREMENTS = (
    Requirement("1.1", "`admit(request, door)` returns `True` to let the request in and "
                       "`False` to refuse it at once.", ADMIT_TESTS),
    Requirement("1.2", "It lets a request in exactly when it would be answered before "
                       "`request.deadline_s` even in the worst case",
                ADMIT_TESTS + ("test_overload", "test_nothing_lost")),
    Requirement("2.1", "It writes the orders with one `put_records` call, each record's "
                       "`Data` the order as JSON (`json.dumps(order)`) and its "
                       "`PartitionKey` the order's `order_id`.", PRODUCER_TESTS,
                leaves_open="Data as a str or as UTF-8 bytes: the stream stores the same "
                            "bytes either way."),
    Requirement("2.2", "It sends again only the records that failed", PRODUCER_TESTS
                + ("test_nothing_lost",)),
    Requirement("2.3", "Before retry number n (n = 1, 2, ...) it waits "
                       "`rng.uniform(0, min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** n))` "
                       "seconds, with `clock.sleep`.", PRODUCER_TESTS),
    Requirement("2.4", "It calls `budget.deposit()` once per call of `send_orders`, and "
                       "`budget.try_spend()` before each retry", PRODUCER_TESTS),
    Requirement("2.5", "It starts no call that could not finish by `deadline_s`",
                PRODUCER_TESTS + ("test_nothing_lost",)),
    Requirement("2.6", "An error that no retry can fix (a `ClientError` that is neither a "
                       "throttle nor a server error) ends the write at once.", PRODUCER_TESTS),
    Requirement("2.7", "It returns the `order_id`s it wrote, and never raises for a write "
                       "it could not make", PRODUCER_TESTS + ("test_nothing_lost",),
                leaves_open="A list, tuple or set, in any order."),
    Requirement("3.1", "It handles the records in order, each record's data the order as "
                       "JSON (base64-encoded in the event, as Lambda sends it).",
                HANDLER_TESTS),
    Requirement("3.2", "It charges each order with `payments.charge(order_id, amount_cents, "
                       "idempotency_key=order_id, timeout_s=PAYMENT_TIMEOUT_S)`.",
                HANDLER_TESTS + ("test_nothing_doubled",)),
    Requirement("3.3", "An order whose charge raises `ValueError` can never succeed: it "
                       "sends the failure queue one message", HANDLER_TESTS
                + ("test_nothing_lost", "test_recovery")),
    Requirement("3.4", "It stores each charged order in `table`", HANDLER_TESTS
                + ("test_nothing_lost", "test_nothing_doubled"),
                leaves_open="One put_item per order or batches of BatchWriteItem: checks "
                            "read the table."),
    Requirement("3.5", "At the first record it cannot finish for a reason that may pass",
                HANDLER_TESTS + ("test_nothing_lost", "test_nothing_doubled")),
    Requirement("3.6", "It takes no new record once fewer than `TIME_TO_STOP_S` seconds "
                       "remain", HANDLER_TESTS + ("test_recovery",)),
    Requirement("3.7", "With every record done, it returns `{\"batchItemFailures\": []}`.",
                HANDLER_TESTS),
    Requirement("4.1", "`mapping_config(stream_arn, failure_queue_arn)` returns parameters "
                       "that `CreateEventSourceMapping` accepts for the stream",
                MAPPING_TESTS + ("test_a_quiet_run_holds",)),
    Requirement("4.2", "`FunctionResponseTypes` holds `ReportBatchItemFailures`",
                MAPPING_TESTS + ("test_nothing_doubled",)),
    Requirement("4.3", "failed batches go to the `OnFailure` destination "
                       "`failure_queue_arn`", MAPPING_TESTS + ("test_nothing_lost",)),
    Requirement("4.4", "A batch that keeps failing is given up in bounded time",
                MAPPING_TESTS + ("test_recovery",)),
    Requirement("4.5", "No record is given up before it has been retried for `RIDE_OUT_S` "
                       "seconds", MAPPING_TESTS),
    Requirement("5.1", "`alarms(period)` returns a list of names from `ALARMS`, each at "
                       "most once.", ALARM_TESTS + ("test_alarms_work",)),
    Requirement("5.2", '"freshness" when the period\'s `iterator_age_s` is over '
                       "`FRESHNESS_OBJECTIVE_S`", ALARM_TESTS + ("test_alarms_work",)),
    Requirement("5.3", '"failures" when the failure queue holds any message',
                ALARM_TESTS + ("test_alarms_work",)),
    Requirement("5.4", '"availability" when fewer than `AVAILABILITY_OBJECTIVE` of the '
                       "period's requests were acknowledged", ALARM_TESTS
                + ("test_alarms_work",)),
    Requirement("5.5", "Nothing else raises an alarm", ALARM_TESTS + ("test_alarms_work",)),
    Requirement("6.1", "**Nothing lost**", ("test_a_quiet_run_holds", "test_nothing_lost")),
    Requirement("6.2", "**Nothing doubled**", ("test_a_quiet_run_holds",
                                               "test_nothing_doubled")),
    Requirement("6.3", "**Recovery**", ("test_a_quiet_run_holds", "test_recovery")),
    Requirement("6.4", "**Overload handled**", ("test_a_quiet_run_holds", "test_overload")),
    Requirement("6.5", "**Alarms that work**", ("test_a_quiet_run_holds", "test_alarms_work")),
)

EXAMPLES = 8  # generated cases per part (each runs the learner's part and the reference)


# -- 1. the front door ---------------------------------------------------------------------------


ON_THE_LINE_S = 1e-9  # a request answered this close to its deadline may go either way


def worst_answer_s(door: Door) -> float:
    """When a request let in now is answered at the latest (1.2): served after the requests
    ahead of it, then written at the next flush, the write taking all its deadline."""
    return (door.now_s + (door.queued + 1) / door.capacity_per_s + FLUSH_INTERVAL_S
            + PRODUCER_DEADLINE_S)


def _admit_verdict(admit, request: Request, door: Door) -> str:
    """Why ``admit``'s answer breaks 1.1-1.2 ("" if it does not)."""
    got = admit(request, door)
    if not isinstance(got, bool):
        return (f"admit returned {got!r}: it must return True (let the request in) or False "
                "(refuse it at once).")
    expected = worst_answer_s(door) < request.deadline_s
    on_the_line = abs(worst_answer_s(door) - request.deadline_s) < ON_THE_LINE_S
    if got == expected or on_the_line:  # arithmetic in another order may round either way
        return ""
    answered_s = worst_answer_s(door)
    if expected:
        return (f"admit refused {request} at {door}: served after {door.queued} requests at "
                f"{door.capacity_per_s:g} a second, then written, it would be answered by "
                f"{answered_s:.2f} s, before its client gives up at {request.deadline_s:.2f} "
                "s. Refusing what you could serve throws goodput away (chapter 5).")
    return (f"admit let in {request} at {door}: at worst it would be answered at "
            f"{answered_s:.2f} s, after its client gives up at {request.deadline_s:.2f} s. "
            "Work for a client that has left is wasted, and it delays everyone behind it "
            "(chapter 5).")


def check_admit_refuses_what_cannot_be_answered(admit) -> None:
    """An empty door lets a request in; a long queue refuses it at once."""
    request = Request("o-00001", 1, 10.0, 15.0)
    for queued in (0, 1, 20, 50):
        door = Door(10.0, queued, DOOR_CAPACITY_PER_S, 0.0 if not queued else 1.0)
        verdict = _admit_verdict(admit, request, door)
        expect(not verdict, verdict)


def _admit_cases() -> st.SearchStrategy[tuple[Request, Door]]:
    """A request and the door as it arrives: any time, queue, capacity and deadline."""
    def case(now_s: float, queued: int, capacity: float, patience_s: float, attempt: int):
        request = Request(f"o-{attempt:05d}", attempt, now_s, now_s + patience_s)
        return request, Door(now_s, queued, capacity, min(queued, 1) * 0.5)

    return st.builds(case, st.floats(0, 200, allow_nan=False), st.integers(0, 60),
                     st.sampled_from([1.0, 2.5, 5.0, 10.0, 50.0]),
                     st.floats(0.1, 12, allow_nan=False), st.integers(1, 3))


@varied
def check_admit_everywhere(admit, *, seed: int) -> None:
    """admit on generated doors and requests: True exactly when 1.2 says."""
    def prove(case):
        verdict = _admit_verdict(admit, *case)
        expect(not verdict, verdict)

    def near(queued: int, services: float) -> tuple[Request, Door]:
        """A request whose deadline falls ``services`` service times after its worst
        answer (before it, if negative): what one request more or less in line changes."""
        door = Door(0.0, queued, DOOR_CAPACITY_PER_S, 0.5 if queued else 0.0)
        return Request("o-00003", 1, 0.0, worst_answer_s(door)
                       + services / DOOR_CAPACITY_PER_S), door

    for_all(_admit_cases(), prove, seed=seed, examples=EXAMPLES * 3,
            always=[near(queued, side) for queued in (0, 3, 12) for side in (-0.5, 0.5)])


# -- 2. the producer ----------------------------------------------------------------------------

OK, THROTTLE, SERVER_ERROR, UNAVAILABLE, TIMEOUT, TIMEOUT_AFTER_WORK = (
    "ok", "throttle", "server error", "503", "timeout", "timeout after the write")
# Errors no retry fixes (2.6), by the codes PutRecords answers them with: codes on both
# sides of the throttle's in alphabetical order, so that only an exact match passes.
PERMANENT_ERRORS = {"validation error": "ValidationException",
                    "invalid argument": "InvalidArgumentException",
                    "access denied": "AccessDeniedException",
                    "stream not found": "ResourceNotFoundException"}
PERMANENT = "validation error"
WHOLE_CALL_FAULTS = (THROTTLE, SERVER_ERROR, UNAVAILABLE, TIMEOUT, TIMEOUT_AFTER_WORK,
                     *PERMANENT_ERRORS)


@dataclass(frozen=True)
class ProducerCase:
    """One write: the orders, what each PutRecords call meets (a whole-call fault, or the
    positions of the records it fails), the budget and the deadline."""

    orders: int
    calls: tuple[str | tuple[int, ...], ...]
    capacity: int = 20
    retry_cost: int = 5
    deadline_s: float = PRODUCER_DEADLINE_S
    rng_seed: int = 0

    def order_list(self) -> list[dict]:
        rng = random.Random(self.rng_seed)
        return [{"order_id": f"o-{n:05d}", "customer": f"c-{rng.randrange(100):02d}",
                 "amount_cents": rng.randrange(500, 20_000)} for n in range(1, self.orders + 1)]


@dataclass
class ProducerTranscript:
    """What a send_orders did with one case."""

    returned: object = None
    raised: str = ""
    calls: list[list[str]] = field(default_factory=list)  # order ids sent, per call
    bad_records: list[str] = field(default_factory=list)  # records not as 2.1 says
    sleeps: list[float] = field(default_factory=list)
    tokens: int = 0
    ended_s: float = 0.0


def _record_order_id(record: dict, transcript: ProducerTranscript) -> str:
    """The order id a record carries, noting a record that is not as 2.1 says."""
    data = record.get("Data", b"")
    try:
        order = json.loads(data)
        order_id = order["order_id"]
    except (ValueError, TypeError, KeyError):
        transcript.bad_records.append(f"Data {data!r:.80} is not an order as JSON")
        return "?"
    if record.get("PartitionKey") != order_id:
        transcript.bad_records.append(f"the record of {order_id} has PartitionKey "
                                      f"{record.get('PartitionKey')!r}, not its order_id")
    return order_id


def run_producer(send_orders, case: ProducerCase) -> ProducerTranscript:
    """Run ``send_orders`` on one case, on a moto stream whose PutRecords calls meet the
    case's faults in turn."""
    transcript = ProducerTranscript()
    clock = SimClock()
    budget = RetryBudget(case.capacity, case.retry_cost)
    with aws_sandbox(streams=[STREAM], clock=clock) as aws:
        kinesis = aws.client("kinesis", total_max_attempts=1,
                             read_timeout_s=SERVICE_CLIENT_READ_TIMEOUT_S)
        injector = FaultInjector(kinesis, clock)

        def meet_the_next_fault(params, **_) -> None:
            ids = [_record_order_id(r, transcript) for r in params.get("Records", [])]
            step = case.calls[len(transcript.calls)] if len(transcript.calls) < len(
                case.calls) else OK
            transcript.calls.append(ids)
            injector.clear()
            _arm(injector, step, ids)

        kinesis.meta.events.register("before-parameter-build.kinesis.PutRecords",
                                     meet_the_next_fault)
        try:
            transcript.returned = send_orders(
                kinesis, STREAM, case.order_list(), clock=clock,
                rng=random.Random(case.rng_seed), budget=budget,
                deadline_s=clock.now() + case.deadline_s)
        except Exception as error:  # noqa: BLE001 - 2.7: the check says what it raised
            if type(error).__name__ in STOPPING_ERRORS:
                raise  # the grader's own: out of time, or the learner's process gone
            transcript.raised = f"{type(error).__name__}: {error}"
    transcript.sleeps, transcript.tokens = list(clock.sleeps), budget.tokens
    transcript.ended_s = clock.now()
    return transcript


def _arm(injector: FaultInjector, step: str | tuple[int, ...], ids: list[str]) -> None:
    """Make the coming PutRecords call meet ``step``."""
    if isinstance(step, tuple):
        failing = {ids[i] for i in step if i < len(ids)}
        injector.fail_entries("PutRecords", when=lambda entry: _entry_id(entry) in failing)
    elif step == THROTTLE:
        injector.throttle("PutRecords")
    elif step in (SERVER_ERROR, UNAVAILABLE):
        injector.server_error("PutRecords", status=503 if step == UNAVAILABLE else 500)
    elif step in (TIMEOUT, TIMEOUT_AFTER_WORK):
        injector.timeout("PutRecords", delivered=step == TIMEOUT_AFTER_WORK)
    elif step in PERMANENT_ERRORS:
        injector.error(PERMANENT_ERRORS[step], "PutRecords")


def _entry_id(entry: dict) -> str | None:
    try:
        return json.loads(entry["Data"])["order_id"]
    except (ValueError, TypeError, KeyError):
        return None


def _describe_step(step: str | tuple[int, ...]) -> str:
    return f"records at {list(step)} fail" if isinstance(step, tuple) else step


def _describe_case(case: ProducerCase) -> str:
    steps = [f"call {n + 1}: {_describe_step(step)}" for n, step in enumerate(case.calls)]
    return (f"{case.orders} orders; {'; '.join(steps) or 'every call succeeds'}; budget "
            f"{case.capacity} tokens, {case.retry_cost} a retry; deadline {case.deadline_s:g} s")


def _producer_difference(got: ProducerTranscript, want: ProducerTranscript) -> str:
    """The first way ``got`` breaks the contract that ``want`` keeps ("" if none)."""
    if got.raised:
        return (f"send_orders raised {got.raised}. A write it cannot make is reported by "
                "leaving the order's id out, never by raising: the front door then refuses "
                "that order to its client (2.7).")
    if got.bad_records:
        return f"{got.bad_records[0]} (2.1): the consumer reads the order from the record."
    if not got.calls and want.calls:
        return ("send_orders made no put_records call: write the orders with one put_records "
                "call (2.1); PutRecords answers for each record, so a failed one can be sent "
                "again alone (chapter 3).")
    returned = set(got.returned) if isinstance(got.returned, (list, tuple, set)) else None
    if returned is None:
        return (f"send_orders returned {got.returned!r}: return the order_ids it wrote, "
                "as a list (2.7).")
    for number, (sent, wanted) in enumerate(zip(got.calls, want.calls, strict=False), 1):
        if sent != wanted:
            return (f"call {number} sent {sent}; it should send {wanted}. Resend only the "
                    "records that failed, in their order, and all of them after a call that "
                    "failed as a whole (2.2).")
    if len(got.calls) != len(want.calls):
        more = len(got.calls) > len(want.calls)
        return (f"send_orders made {len(got.calls)} put_records calls; {len(want.calls)} "
                + ("were allowed: stop at an error no retry fixes (2.6), when the budget "
                   "refuses a token (2.4), or when the next call could not finish by the "
                   "deadline (2.5)." if more else
                   "were due: retry what failed while the budget and the deadline allow it "
                   "(2.2, 2.4, 2.5)."))
    wrote = set(want.returned) if isinstance(want.returned, (list, tuple, set)) else set()
    if returned != wrote:
        return (f"send_orders returned {sorted(returned)}; it wrote {sorted(wrote)}. "
                "Every id returned must be in the stream, and every order written returned: "
                "the front door tells the client from it (2.7).")
    if [round(s, 9) for s in got.sleeps] != [round(s, 9) for s in want.sleeps]:
        return (f"send_orders slept {[round(s, 3) for s in got.sleeps]}; the contract's "
                f"waits here are {[round(s, 3) for s in want.sleeps]}: before retry n, "
                f"rng.uniform(0, min({BACKOFF_CAP_S}, {BACKOFF_BASE_S} * 2 ** n)) (2.3).")
    if got.tokens != want.tokens:
        return (f"the budget holds {got.tokens} tokens after the write; it should hold "
                f"{want.tokens}: deposit once per call of send_orders, spend before each "
                "retry (2.4).")
    return ""


def check_send_orders_resends_failures(send_orders) -> None:
    """Two records fail, then the retry writes them: every order written, one wait."""
    case = ProducerCase(4, ((1, 3),))
    got = run_producer(send_orders, case)
    expect(not got.raised, f"send_orders raised {got.raised}: a write it cannot make is "
                           "reported by leaving the id out, never by raising (2.7).")
    expect(not got.bad_records, f"{got.bad_records[:1]} (2.1)")
    expect(len(got.calls) == 2 and got.calls[1] == ["o-00002", "o-00004"],
           f"with records 2 and 4 failed in the first call, the second call should send "
           f"exactly those two; the calls sent {got.calls} (2.2).")
    returned = got.returned if isinstance(got.returned, (list, tuple, set)) else ()
    expect(set(returned) == {"o-00001", "o-00002", "o-00003", "o-00004"},
           f"send_orders returned {got.returned!r}; all four orders were written (2.7).")
    ceiling_s = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2)
    expect(len(got.sleeps) == 1 and 0 <= got.sleeps[0] <= ceiling_s,
           f"before the first retry, one wait between 0 and {ceiling_s} s; the waits were "
           f"{got.sleeps} (2.3).")


def _producer_cases() -> st.SearchStrategy[ProducerCase]:
    """Writes of 1-12 orders whose calls meet faults, budgets and deadlines."""
    def step(orders: int):
        positions = st.lists(st.integers(0, orders - 1), min_size=1, max_size=orders,
                             unique=True).map(lambda p: tuple(sorted(p)))
        return st.one_of(st.sampled_from(WHOLE_CALL_FAULTS + (OK,)), positions)

    def case(orders: int):
        return st.builds(ProducerCase, st.just(orders), st.lists(step(orders), max_size=6)
                         .map(tuple), st.sampled_from([20, 5, 10, 3]),
                         st.sampled_from([5, 1, 3]),
                         st.sampled_from([PRODUCER_DEADLINE_S, 0.5, 3.0, 8.0]),
                         st.integers(0, 1000))

    return st.integers(1, 12).flatmap(case)


@varied
def check_send_orders_everywhere(send_orders, *, seed: int, reference=None) -> None:
    """send_orders on generated faults: the same calls, waits, tokens and ids as 2.1-2.7."""
    assert reference is not None

    def prove(case: ProducerCase) -> None:
        want = run_producer(reference.send_orders, case)
        difference = _producer_difference(run_producer(send_orders, case), want)
        expect(not difference, difference)

    for_all(_producer_cases(), prove, seed=seed, examples=EXAMPLES, show=_describe_case,
            always=[ProducerCase(3, (THROTTLE, (0,), OK)),
                    ProducerCase(2, (SERVER_ERROR, UNAVAILABLE, OK), deadline_s=8.0),
                    ProducerCase(2, (TIMEOUT, TIMEOUT, TIMEOUT)),
                    ProducerCase(2, (PERMANENT,)),
                    ProducerCase(2, ("invalid argument",)),
                    ProducerCase(2, (THROTTLE,) * 6, retry_cost=1),
                    ProducerCase(5, ((0, 1, 2, 3, 4),) * 6, capacity=3, retry_cost=1)])


# -- 3. the consumer ----------------------------------------------------------------------------

POISON = "12,99"  # an amount that is not a whole number of cents
TRANSIENT_FAULTS = ("payment unavailable", "payment timeout after the charge",
                    "table throttled", "table timed out", "failure queue throttled",
                    "failure queue timed out")
STORE_FAULTS = TRANSIENT_FAULTS[2:]


@dataclass(frozen=True)
class HandlerCase:
    """One batch: its orders (by number; a number twice is a duplicate write), the poison
    ones, a fault and the order it strikes, and how many orders fit in the time left."""

    orders: tuple[int, ...]
    poison: frozenset[int] = frozenset()
    fault: str | None = None  # one of TRANSIENT_FAULTS; a store's fault strikes every write
    fault_at: int = 0  # the order number a payment fault strikes
    time_for: int | None = None  # orders the invocation has time for (None: plenty)


class ScriptedPayments(PaymentAPI):
    """The pipeline's payment API, failing the first charge of one order as a case says."""

    def __init__(self, clock: SimClock, deadline, fault: str | None, order_id: str):
        super().__init__(clock, chaos.Schedule(), deadline)
        self._plan = {order_id: fault} if fault in TRANSIENT_FAULTS[:2] else {}
        self.calls: list[tuple] = []  # (order_id, amount_cents, idempotency_key, timeout_s)

    def charge(self, order_id, amount_cents, *, idempotency_key=None, timeout_s=5.0):
        """Charge as the pipeline's API does, but for the planned fault."""
        self.calls.append((order_id, amount_cents, idempotency_key, timeout_s))
        fault = self._plan.pop(order_id, None)
        if fault == "payment unavailable":
            self.clock.advance(PAYMENT_LATENCY_S)
            raise ConnectionError("the payment API answered 503 Service Unavailable: "
                                  "nothing was charged")
        if fault is not None:
            self.gateway.charge(order_id, amount_cents, idempotency_key)
            self.clock.advance(timeout_s)
            raise TimeoutError(f"the payment API did not answer within {timeout_s:g} s "
                               "(the charge may have gone through)")
        return super().charge(order_id, amount_cents, idempotency_key=idempotency_key,
                              timeout_s=timeout_s)


@dataclass
class HandlerTranscript:
    """What a handler did with one batch."""

    response: object = None
    raised: str = ""
    charge_calls: list = field(default_factory=list)  # (order, amount, key, timeout) each
    charges: Counter = field(default_factory=Counter)
    stored: dict = field(default_factory=dict)  # order id -> item
    set_aside: list = field(default_factory=list)  # messages' bodies, parsed
    records: list = field(default_factory=list)  # (order number, sequence number), in order
    poison: frozenset = frozenset()  # the poison order numbers


def _order(number: int, poison: bool) -> dict:
    return {"order_id": f"o-{number:05d}", "customer": f"c-{number % 100:02d}",
            "amount_cents": POISON if poison else 500 + 37 * number}


def run_handler(make_handler, case: HandlerCase) -> HandlerTranscript:
    """Hand one batch, as Lambda shapes it, to the learner's handler over moto."""
    transcript = HandlerTranscript()
    clock = SimClock()
    with aws_sandbox(tables=[TABLE], streams=[STREAM], queues=[FAILURE_QUEUE],
                     clock=clock) as aws:
        records = _event_records(aws, case, transcript)
        deadline_s = _deadline_s(case, records)
        dynamodb = aws.client("dynamodb", total_max_attempts=1,
                              read_timeout_s=SERVICE_CLIENT_READ_TIMEOUT_S)
        sqs = aws.client("sqs", total_max_attempts=1,
                         read_timeout_s=SERVICE_CLIENT_READ_TIMEOUT_S)
        _arm_store_faults(case, dynamodb, sqs, clock)
        payments = ScriptedPayments(clock, lambda: deadline_s, case.fault,
                                    f"o-{case.fault_at:05d}")
        try:
            handler = make_handler(payments=payments, dynamodb=dynamodb, sqs=sqs, table=TABLE,
                                   failure_queue_url=aws.queue_urls[FAILURE_QUEUE])
            transcript.response = handler({"Records": records}, LambdaContext(
                "00000000-0000-0000-0000-000000000009", deadline_s, clock))
        except Exception as error:  # noqa: BLE001 - the check says what it raised
            if type(error).__name__ in STOPPING_ERRORS:
                raise  # the grader's own: out of time, or the learner's process gone
            transcript.raised = f"{type(error).__name__}: {error}"
        transcript.charges = payments.gateway.times_charged()
        transcript.charge_calls = list(payments.calls)
        reader = aws.own_client("dynamodb")
        for item in reader.scan(TableName=TABLE)["Items"]:
            transcript.stored[item["id"]["S"]] = item
        for body in drain_queue(aws.own_client("sqs"), aws.queue_urls[FAILURE_QUEUE]):
            try:
                transcript.set_aside.append(json.loads(body))
            except ValueError:
                transcript.set_aside.append(body)
    return transcript


def _event_records(aws, case: HandlerCase, transcript: HandlerTranscript) -> list[dict]:
    """The batch's records, written to a moto stream and read back as Lambda reads them."""
    kinesis = aws.own_client("kinesis")
    kinesis.put_records(StreamName=STREAM, Records=[
        {"Data": json.dumps(_order(n, n in case.poison)).encode(), "PartitionKey": f"o-{n:05d}"}
        for n in case.orders])
    shard = kinesis.list_shards(StreamName=STREAM)["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(StreamName=STREAM, ShardId=shard,
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    page = kinesis.get_records(ShardIterator=iterator)["Records"]
    records = [kinesis_event_record(r, shard, aws.stream_arn(STREAM)) for r in page]
    transcript.records = [(number, record["kinesis"]["sequenceNumber"])
                          for number, record in zip(case.orders, records, strict=True)]
    transcript.poison = case.poison
    return records


def _deadline_s(case: HandlerCase, records: list[dict]) -> float:
    """The invocation's end: plenty of time, or just enough for ``time_for`` orders."""
    if case.time_for is None:
        return 60.0
    return TIME_TO_STOP_S + (case.time_for - 0.5) * PAYMENT_LATENCY_S


def _arm_store_faults(case: HandlerCase, dynamodb, sqs, clock: SimClock) -> None:
    """A throttled or timed-out table or failure queue: every write the handler makes to
    it fails."""
    if case.fault not in STORE_FAULTS:
        return
    injector = FaultInjector(sqs if case.fault.startswith("failure queue") else dynamodb, clock)
    if case.fault.endswith("timed out"):
        injector.timeout()
    else:
        injector.throttle()


def _describe_batch(case: HandlerCase) -> str:
    orders = ", ".join(f"o-{n:05d}{' (poison)' if n in case.poison else ''}"
                       for n in case.orders)
    fault = f"; {case.fault} at o-{case.fault_at:05d}" if case.fault else ""
    time_left = "" if case.time_for is None else f"; time for {case.time_for} orders"
    return f"a batch of [{orders}]{fault}{time_left}"


def _wrong_charge_call(got: HandlerTranscript) -> str:
    """Why a call the handler made to the payment API breaks 3.2 ("" if none does)."""
    for order_id, amount, key, timeout_s in got.charge_calls:
        if key != order_id or timeout_s != PAYMENT_TIMEOUT_S:
            return (f"the handler called payments.charge({order_id!r}, {amount!r}, "
                    f"idempotency_key={key!r}, timeout_s={timeout_s!r}); the contract's call "
                    f"is charge({order_id!r}, {amount!r}, idempotency_key={order_id!r}, "
                    f"timeout_s={PAYMENT_TIMEOUT_S!r}). The order's own id makes a retry "
                    "harmless (chapter 8); a timeout longer than PAYMENT_TIMEOUT_S lets one "
                    "slow payment use up the function's time and stall the shard (3.2, "
                    "chapter 1).")
    return ""


def _set_aside_problem(got: HandlerTranscript, want: HandlerTranscript) -> str:
    """Why the failure queue breaks 3.3 ("" if it does not): it must hold one message
    {"order", "reason"} for each poison record before the record the reference reports, and
    may hold one for a later poison record (a handler may reach it before it learns that an
    earlier record failed), but none for any other order."""
    failures = want.response.get("batchItemFailures") if isinstance(want.response, dict) else []
    reported = failures[0]["itemIdentifier"] if failures else None
    numbers = [number for _, number in want.records]
    before = want.records[:numbers.index(reported)] if reported in numbers else want.records
    due = Counter(f"o-{n:05d}" for n, _ in before if n in want.poison)
    poison = {f"o-{n:05d}": _order(n, True) for n, _ in want.records if n in want.poison}
    got_ids: Counter = Counter()
    for message in got.set_aside:
        order = message.get("order") if isinstance(message, dict) else None
        order_id = order.get("order_id") if isinstance(order, dict) else None
        if order_id not in poison or order != poison[order_id] or not isinstance(
                message.get("reason"), str):
            return (f"the failure queue holds {message!r}: each message is "
                    '{"order": <the order, as the record held it>, "reason": <the error\'s '
                    "text>}, for an order that can never succeed, and no other (3.3, "
                    "chapter 4).")
        got_ids[order_id] += 1
    missing = sorted((due - got_ids).elements())
    if missing:
        return (f"{missing[0]} can never be charged, and comes before the record the handler "
                "had to stop at, yet the failure queue holds no message for it: set it aside "
                'with {"order": ..., "reason": ...} and go on (3.3, chapter 4).')
    return ""


def _reports(transcript: HandlerTranscript) -> bool:
    """Did the handler report a record to retry?"""
    response = transcript.response
    return isinstance(response, dict) and bool(response.get("batchItemFailures"))


def _handler_difference(got: HandlerTranscript, want: HandlerTranscript) -> str:
    """The first way ``got`` breaks 3.1-3.7, against ``want`` ("" if none)."""
    if got.raised:
        hint = (" A record's data reaches the handler base64-encoded, as Lambda sends it: "
                "decode it before reading the JSON (3.1)." if "Expecting value" in got.raised
                or "JSONDecodeError" in got.raised else "")
        return (f"the handler raised {got.raised}. Lambda would then retry the whole batch "
                f"from its first record: report the first record not done instead (3.5).{hint}")
    wrong_call = _wrong_charge_call(got)
    if wrong_call:
        return wrong_call
    doubled = sorted(o for o, n in got.charges.items() if n > 1)
    if doubled:
        return (f"{doubled[0]} was charged {got.charges[doubled[0]]} times: charge with "
                "idempotency_key=order_id, so a second delivery gets the first receipt "
                "(3.2, chapter 8).")
    uncharged = sorted(set(want.stored) - set(got.charges))
    if uncharged:
        return (f"{uncharged[0]} was not charged, though the batch had time and nothing "
                "stopped it: charge every order in order, up to the first record the handler "
                "cannot finish (3.2, 3.5).")
    went_on = bool(set(got.stored) - set(want.stored)) or (
        _reports(want) and not _reports(got))
    if got.response != want.response and went_on:
        return (f"the handler returned {got.response!r} and stored {sorted(got.stored)}; it "
                f"should stop at the first record it cannot finish, report it "
                f"({want.response!r}) and leave the rest for Lambda's retry, with "
                f"{sorted(want.stored)} stored (3.5, chapter 4).")
    if set(got.stored) != set(want.stored):
        return (f"the table holds {sorted(got.stored)}; it should hold {sorted(want.stored)}"
                ": each charged order, once its charge succeeded, and no poison (3.4).")
    for order_id, item in want.stored.items():
        if got.stored[order_id] != item:
            return (f"{order_id} is stored as {got.stored[order_id]}; it should be {item} "
                    "(3.4).")
    aside = _set_aside_problem(got, want)
    if aside:
        return aside
    if got.response != want.response:
        return (f"the handler returned {got.response!r}; it should return {want.response!r}"
                ": the first record not done, or none (3.5-3.7, chapter 4).")
    return ""


def check_handler_charges_stores_and_sets_aside(make_handler) -> None:
    """Three orders and a poison one: three charged and stored, one set aside."""
    case = HandlerCase((1, 2, 3, 4), poison=frozenset({2}))
    got = run_handler(make_handler, case)
    expect(not got.raised, f"the handler raised {got.raised} (3.5).")
    wrong_call = _wrong_charge_call(got)
    expect(not wrong_call, wrong_call)
    expect(dict(got.charges) == {"o-00001": 1, "o-00003": 1, "o-00004": 1},
           f"orders charged (and times): {dict(got.charges)}; o-00001, o-00003 and o-00004 "
           "should be charged once each, and the poison o-00002 not at all (3.2, 3.3).")
    expect(set(got.stored) == {"o-00001", "o-00003", "o-00004"},
           f"the table holds {sorted(got.stored)}; it should hold the three charged orders "
           "(3.4).")
    expect(len(got.set_aside) == 1 and isinstance(got.set_aside[0], dict)
           and got.set_aside[0].get("order") == _order(2, True)
           and isinstance(got.set_aside[0].get("reason"), str),
           f"the failure queue holds {got.set_aside}; it should hold one message "
           '{"order": <the poison order>, "reason": <the error\'s text>} (3.3).')
    expect(got.response == {"batchItemFailures": []},
           f"the handler returned {got.response!r}; with every record done it returns "
           '{"batchItemFailures": []} (3.7).')


def _handler_cases() -> st.SearchStrategy[HandlerCase]:
    """Batches of 1-10 orders with duplicates, poison, a transient fault or little time."""
    def case(orders: list[int]):
        numbers = sorted(set(orders))
        return st.builds(
            HandlerCase, st.just(tuple(orders)),
            st.sets(st.sampled_from(numbers), max_size=2).map(frozenset),
            st.sampled_from((None,) + TRANSIENT_FAULTS), st.sampled_from(numbers),
            st.one_of(st.none(), st.integers(0, len(orders))) if len(set(orders)) == len(
                orders) else st.none())

    return st.lists(st.integers(1, 8), min_size=1, max_size=10).flatmap(case)


@varied
def check_handler_everywhere(make_handler, *, seed: int, reference=None) -> None:
    """The handler on generated batches: the same charges, table, queue and answer as 3.1-3.7."""
    assert reference is not None

    def prove(case: HandlerCase) -> None:
        want = run_handler(reference.make_handler, case)
        difference = _handler_difference(run_handler(make_handler, case), want)
        expect(not difference, difference)

    for_all(_handler_cases(), prove, seed=seed, examples=EXAMPLES, show=_describe_batch,
            always=[HandlerCase((1, 2, 2, 3)),
                    HandlerCase((1, 2, 3), fault="payment unavailable", fault_at=2),
                    HandlerCase((1, 2, 3), fault="payment timeout after the charge",
                                fault_at=1),
                    HandlerCase((1, 2, 3), poison=frozenset({1}),
                                fault="failure queue throttled", fault_at=1),
                    HandlerCase((1, 2, 3), poison=frozenset({2}),
                                fault="failure queue timed out", fault_at=2),
                    HandlerCase((1, 2, 3, 4), time_for=2),
                    HandlerCase((1, 2), fault="table timed out"),
                    HandlerCase(tuple(range(1, 31)))])  # more than one BatchWriteItem holds


# -- 4. the mapping ---------------------------------------------------------------------------


def _config(mapping_config, aws) -> dict:
    """The learner's parameters, as the pipeline completes and Lambda checks them (4.1)."""
    config = mapping_config(aws.stream_arn(STREAM), aws.queue_arn(FAILURE_QUEUE))
    expect(isinstance(config, dict), f"mapping_config returned {config!r}: return the "
                                     "parameters as a dict (4.1).")
    config = dict(config)
    config.setdefault("StartingPosition", "TRIM_HORIZON")
    try:
        return kinesis_config({**config, "EventSourceArn": aws.stream_arn(STREAM)})
    except ValueError as refused:
        raise AssertionError(f"Lambda would refuse these parameters: {refused} (4.1).") from None


def check_mapping_is_accepted(mapping_config) -> None:
    """Lambda accepts the mapping; it reports item failures and has a destination."""
    with aws_sandbox(streams=[STREAM], queues=[FAILURE_QUEUE], clock=SimClock()) as aws:
        config = _config(mapping_config, aws)
        expect("ReportBatchItemFailures" in config["FunctionResponseTypes"],
               f"FunctionResponseTypes is {config['FunctionResponseTypes']}: without "
               "ReportBatchItemFailures Lambda ignores the handler's report and retries the "
               "whole batch, charging its first records again (4.2, chapter 4).")
        destination = config.get("DestinationConfig", {}).get("OnFailure", {}).get(
            "Destination")
        expect(destination == aws.queue_arn(FAILURE_QUEUE),
               f"the OnFailure destination is {destination!r}; it should be the failure "
               "queue's ARN, or a batch given up is gone without a trace (4.3, chapter 4).")


def _mapping_run(mapping_config, failing_s: float) -> tuple[KinesisEventSourceMapping, float]:
    """The learner's mapping over 5 orders, its handler failing for ``failing_s`` seconds
    (a payment API down), then succeeding; how long it ran."""
    clock = SimClock()
    with aws_sandbox(streams=[STREAM], queues=[FAILURE_QUEUE], clock=clock) as aws:
        config = _config(mapping_config, aws)
        aws.own_client("kinesis").put_records(StreamName=STREAM, Records=[
            {"Data": json.dumps(_order(n, False)).encode(), "PartitionKey": str(n)}
            for n in range(1, 6)])

        def handler(event, context):
            if clock.now() < failing_s:
                raise ConnectionError("the payment API is down")
            return {"batchItemFailures": []}

        mapping = KinesisEventSourceMapping(aws, STREAM, Function(handler, timeout_s=10.0),
                                            config)
        mapping.run(until_s=failing_s + 120)
    return mapping, clock.now()


def check_mapping_rides_out_and_gives_up(mapping_config) -> None:
    """An outage of RIDE_OUT_S discards nothing; a batch that never succeeds is given up."""
    with aws_sandbox(streams=[STREAM], queues=[FAILURE_QUEUE], clock=SimClock()) as aws:
        config = _config(mapping_config, aws)
    forever = config["MaximumRetryAttempts"] == -1 and config["MaximumRecordAgeInSeconds"] == -1
    expect(not forever, "MaximumRetryAttempts and MaximumRecordAgeInSeconds are both -1: a "
                        "batch that can never succeed is retried until it expires from the "
                        "stream, and the shard stands still behind it (4.4, chapter 4).")
    mapping, _ = _mapping_run(mapping_config, RIDE_OUT_S)
    discarded = mapping.metrics.discarded
    if discarded:
        raise AssertionError(
            f"with the payment API down for {RIDE_OUT_S:g} s, the mapping gave up "
            f"{len(discarded)} records ({next(iter(discarded.values()))}): a good order sent "
            "to the failure queue by a short outage is an order someone must redo by hand. "
            f"Retry for at least {RIDE_OUT_S:g} s (4.5).")


# -- 5. the alarms ------------------------------------------------------------------------------


def _alarm_verdict(alarms, period: Period) -> str:
    """Why ``alarms``' answer breaks 5.1-5.5 ("" if it does not)."""
    got = alarms(period)
    if not isinstance(got, list) or not all(isinstance(name, str) for name in got):
        return f"alarms returned {got!r}: return a list of names from {list(ALARMS)} (5.1)."
    if len(set(got)) != len(got) or not set(got) <= set(ALARMS):
        return (f"alarms returned {got}: each name once, and only names from {list(ALARMS)} "
                "(5.1).")
    want = set(alarms_due(period))
    if set(got) == want:
        return ""
    missed, false = sorted(want - set(got)), sorted(set(got) - want)
    if missed:
        return (f"for {period}, alarms did not raise {missed[0]!r}: {_WHY[missed[0]]}")
    return (f"for {period}, alarms raised {false[0]!r}, but its symptom is not there "
            f"({_NOT_THERE[false[0]]}). An alarm below its objective's threshold, or on a "
            "cause that retries absorb (throttles, errors), pages people for nothing, and "
            "they learn to ignore it (5.2-5.5).")


_NOT_THERE = {
    "freshness": f"the iterator age is not over FRESHNESS_OBJECTIVE_S, {FRESHNESS_OBJECTIVE_S:g} s",
    "failures": "the failure queue is empty",
    "availability": f"at least {AVAILABILITY_OBJECTIVE:.0%} of the period's requests were "
                    "acknowledged, or there were none",
}


_WHY = {
    "freshness": f"the iterator age is over {FRESHNESS_OBJECTIVE_S:g} s: orders wait in the "
                 "stream longer than the objective allows (5.2).",
    "failures": "the failure queue holds a message: an order failed and someone must look "
                "(5.3).",
    "availability": f"fewer than {AVAILABILITY_OBJECTIVE:.0%} of the period's requests were "
                    "acknowledged: clients are turned away (5.4).",
}


def _period(**changes) -> Period:
    quiet = Period(30.0, 10.0, 20, 20, 0, 0, 1.2, 0, 0, 0, 0)
    return quiet._replace(**changes)


def check_alarms_watch_symptoms(alarms) -> None:
    """Symptoms raise their alarm; a quiet period, and throttles alone, raise none."""
    for period in (_period(), _period(iterator_age_s=45.0), _period(failure_queue_depth=2),
                   _period(acked=12, refused=8), _period(put_failures=14, payment_errors=5),
                   _period(offered=0, acked=0)):
        verdict = _alarm_verdict(alarms, period)
        expect(not verdict, verdict)


def _periods() -> st.SearchStrategy[Period]:
    def period(start: int, offered: int, acked_share: float, age_s: float, depth: int,
               causes: tuple[int, int, int]):
        acked = min(offered, round(offered * acked_share))
        refused = (offered - acked) // 2
        return Period(10.0 * start, 10.0, offered, acked, refused, offered - acked - refused,
                      age_s, depth, *causes)

    ages = st.one_of(st.floats(0, 120, allow_nan=False), st.sampled_from(
        [FRESHNESS_OBJECTIVE_S, 0.0]))
    return st.builds(period, st.integers(0, 11), st.integers(0, 60), st.sampled_from(
        [1.0, AVAILABILITY_OBJECTIVE, 0.89, 0.5, 0.0, 0.95]), ages, st.integers(0, 5),
        st.tuples(st.integers(0, 40), st.integers(0, 10), st.integers(0, 20)))


@varied
def check_alarms_everywhere(alarms, *, seed: int) -> None:
    """alarms on generated periods: exactly the alarms 5.2-5.5 name."""
    def prove(period: Period) -> None:
        verdict = _alarm_verdict(alarms, period)
        expect(not verdict, verdict)

    for_all(_periods(), prove, seed=seed, examples=EXAMPLES * 3,
            always=[_period(iterator_age_s=FRESHNESS_OBJECTIVE_S),
                    _period(offered=10, acked=9), _period(offered=0, acked=0),
                    _period(offered=1, acked=0, unanswered=1)])


# -- 6. the whole pipeline -----------------------------------------------------------------------

# Where to look when an invariant breaks: the chapters whose lessons keep it.
REVISIT = {
    "nothing lost": "chapter 3 (resend what failed) and chapter 4 (set poison aside, report "
                    "the record to retry)",
    "nothing doubled": "chapter 8 (an idempotency key that names the order)",
    "recovery": "chapter 4 (bounded retries, a destination) and chapter 6 (backlogs)",
    "overload": "chapter 5 (refuse at once what cannot be served in time)",
    "alarms": "this chapter's section on alarms (symptoms, not causes)",
}


class PipelineFailure(AssertionError):
    """An invariant broke: the message, and the run's figure for the grader's feedback."""

    def __init__(self, message: str, finding: Finding):
        super().__init__(message)
        self.finding = finding

    @property
    def figure_png(self) -> bytes:
        """The timeline of the run that broke the invariant, as a PNG."""
        from resilience.chapters.ch09_capstone import run_figure_png

        return run_figure_png(self.finding.run)


_searches: dict[tuple, Search] = {}


def _search(answers: tuple, seed: int) -> Search:
    """The one search of a submission's pipeline, which its five checks share. In the
    grader, the submission's seed names it (the same code, the same seed); in a notebook,
    the functions themselves do. Only the latest is kept: never another's results."""
    from resilience import checks

    graded = checks.submission_seed is not None
    key = (("submission",) if graded else tuple(id(part) for part in answers), seed)
    if key not in _searches:
        _searches.clear()
        _searches[key] = Search(Parts(*answers), seed=seed)
    search = _searches[key]
    search.use(Parts(*answers))  # this test's stand-ins for the same functions
    return search


def _expect_invariant(invariant: str, answers: tuple, seed: int) -> None:
    finding = _search(answers, seed).finding(invariant)
    if finding is None:
        return
    raise PipelineFailure(
        f"{finding.verdict.detail}\nThe smallest schedule found that breaks it: "
        f"{finding.schedule.encode()}\nReplay it in your notebook: {finding.replay_line}\n"
        f"Revisit {REVISIT[invariant]}.", finding)


def check_a_quiet_run_holds(admit, send_orders, make_handler, mapping_config, alarms) -> None:
    """With no faults, the pipeline keeps all five invariants."""
    answers = (admit, send_orders, make_handler, mapping_config, alarms)
    run, verdicts = _search(answers, scenario_seed(*answers)).judged(chaos.Schedule())
    expect(not run.errors, f"a part raised during a run without faults: {run.errors[0]}"
           if run.errors else "")
    broken = [verdict for verdict in verdicts if not verdict.holds]
    expect(not broken, f"with no faults at all, {broken[0].invariant} broke: "
           f"{broken[0].detail}" if broken else "")


@varied
def check_nothing_lost(admit, send_orders, make_handler, mapping_config, alarms, *,
                       seed: int) -> None:
    """Every acknowledged order is stored or set aside; every request gets an answer."""
    _expect_invariant("nothing lost", (admit, send_orders, make_handler, mapping_config,
                                       alarms), seed)


@varied
def check_nothing_doubled(admit, send_orders, make_handler, mapping_config, alarms, *,
                          seed: int) -> None:
    """No order charged twice; every stored order charged once."""
    _expect_invariant("nothing doubled", (admit, send_orders, make_handler, mapping_config,
                                          alarms), seed)


@varied
def check_recovery(admit, send_orders, make_handler, mapping_config, alarms, *,
                   seed: int) -> None:
    """Back to normal within RECOVERY_S of the last fault."""
    _expect_invariant("recovery", (admit, send_orders, make_handler, mapping_config, alarms),
                      seed)


@varied
def check_overload(admit, send_orders, make_handler, mapping_config, alarms, *,
                   seed: int) -> None:
    """In a surge, goodput near capacity and the excess refused at once."""
    _expect_invariant("overload", (admit, send_orders, make_handler, mapping_config, alarms),
                      seed)


@varied
def check_alarms_work(admit, send_orders, make_handler, mapping_config, alarms, *,
                      seed: int) -> None:
    """Each broken objective raises its alarm in time; no alarm without its breach."""
    _expect_invariant("alarms", (admit, send_orders, make_handler, mapping_config, alarms),
                      seed)
