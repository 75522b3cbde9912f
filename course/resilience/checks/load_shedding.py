"""Checks for lab 05: an admission policy and a shed policy that keep goodput up.

The policies are pure functions of the views the overload model shows them (``Request``,
``ServerView``). The checks call them on views built by hand, then plug them into the lab's
service: chapter 5's simpy server (5 workers, 100 ms a request: 50 requests a second),
whose work for each request it serves is a real write to a moto DynamoDB table. Clients
time out after 1 s and retry 3 times.
"""

from __future__ import annotations

from botocore.client import BaseClient

from resilience.aws.facts import BATCH_WRITE_ITEM_MAX_ITEMS
from resilience.checks import expect
from resilience.clock import DEFAULT_SEED
from resilience.models.overload import Clients, Request, Result, Server, ServerView, simulate, spike
from resilience.models.overload import steady as steady_load
from resilience.sandbox import aws_sandbox

LAB_SERVER = Server(workers=5, service_s=0.1)
CAPACITY_PER_S = LAB_SERVER.capacity_per_s  # 50 requests a second
CLIENTS = Clients(timeout_s=1.0, retries=3)
TABLE = "orders"
RUN_S = 40
SETTLED_S = 20  # measure the second half of a run, once queues have built up
GOODPUT_SHARE = 0.85  # of capacity, at twice the load it can take
SPIKE = dict(rate_per_s=0.6 * CAPACITY_PER_S, factor=2.0, start_s=20, length_s=10,
             duration_s=80)


class OrderWriter:
    """What the lab's service does for each request it serves: write an order to a
    DynamoDB table, one item a request. Writes go out as many at a time as BatchWriteItem
    takes, so a run of thousands of requests costs a few hundred calls to moto."""

    def __init__(self, dynamodb: BaseClient, table: str):
        self.dynamodb, self.table = dynamodb, table
        self._pending: list[dict] = []

    def __call__(self, request) -> None:
        self._pending.append({"PutRequest": {"Item": {
            "id": {"S": f"{request.number}-{request.attempt}"},
            "sent_at": {"N": str(request.sent_s)}}}})
        if len(self._pending) == BATCH_WRITE_ITEM_MAX_ITEMS:
            self.flush()

    def flush(self) -> None:
        """Write what is pending (sandbox calls never come back unprocessed)."""
        if self._pending:
            self.dynamodb.batch_write_item(RequestItems={self.table: self._pending})
            self._pending = []

    def written(self) -> int:
        """Orders in the table: one for each request the service served."""
        self.flush()
        pages = self.dynamodb.get_paginator("scan").paginate(TableName=self.table,
                                                             Select="COUNT")
        return sum(page["Count"] for page in pages)


def _request(sent_s: float = 10.0, timeout_s: float = 1.0) -> Request:
    return Request(number=1, attempt=0, sent_s=sent_s, deadline_s=sent_s + timeout_s)


def _server(now_s: float = 10.0, in_service: int = 0, queued: int = 0,
            workers: int = 5, service_s: float = 0.1) -> ServerView:
    return ServerView(now_s, in_service, queued, workers, service_s)


def _run(load, admit, shed, seed: int) -> tuple[Result, int]:
    """Run the lab's service under the learner's policies: the result, and the orders its
    work wrote to a moto DynamoDB table."""
    with aws_sandbox(tables=[TABLE]) as aws:
        orders = OrderWriter(aws.client("dynamodb"), TABLE)
        result = simulate(load, clients=CLIENTS, server=LAB_SERVER, admit=admit, shed=shed,
                          work=orders, seed=seed)
        return result, orders.written()


# -- 1. Little's law --------------------------------------------------------------------------


def check_max_in_flight(max_in_flight) -> None:
    cases = [((100, 0.5), 50), ((50, 0.25), 12), ((471, 3.003174), 1414), ((20, 0.01), 0)]
    for (rate, latency), expected in cases:
        got = max_in_flight(rate, latency)
        expect(got == expected and isinstance(got, int),
               f"max_in_flight({rate}, {latency}) should be {expected!r} (Little's law: "
               f"requests in flight = arrival rate x latency, rounded down to a whole "
               f"request); it returned {got!r}.")


# -- 2. admission -----------------------------------------------------------------------------


def check_admit_is_a_concurrency_limit(admit) -> None:
    limit = 25  # 50 requests a second x half of a 1 s timeout
    for in_service, queued, expected in ((0, 0, True), (5, 19, True), (5, 20, False),
                                         (5, 60, False), (3, 0, True)):
        got = admit(_request(), _server(in_service=in_service, queued=queued))
        expect(got is expected,
               f"With {in_service} requests in service and {queued} queued (limit {limit}: "
               f"50 requests/s x half of the 1 s timeout), admit should return {expected}; "
               f"it returned {got!r}.")
    got = admit(_request(timeout_s=2.0), _server(in_service=5, queued=40))
    expect(got is True,
           "A request whose client waits 2 s allows 50 in flight (50/s x 1 s): with 45 in the "
           f"server it should be admitted; admit returned {got!r}. Take the timeout from "
           "the request (deadline_s - sent_s), not from a constant.")
    got = admit(_request(), _server(in_service=10, queued=30, workers=10, service_s=0.1))
    expect(got is True,
           "A server with 10 workers at 100 ms can take 100 requests a second, so 50 in "
           f"flight: with 40 in it, admit should return True; it returned {got!r}. Compute "
           "the capacity from the server view: workers / service_s.")


def check_low_load_rejects_nothing(admit, shed, seed: int = DEFAULT_SEED) -> None:
    result, _ = _run(steady_load(0.5 * CAPACITY_PER_S, RUN_S), admit, shed, seed)
    refused, dropped = sum(result.rejected), sum(result.shed)
    expect(refused == 0,
           f"At half its capacity, the service refused {refused} requests. A limit that "
           "bites at low load turns bursts that a queue would absorb into errors: leave "
           "room for a queue.")
    expect(dropped == 0,
           f"At half its capacity, the service dropped {dropped} requests from its queue. "
           "Drop only what can no longer be answered before its deadline: at low load, "
           "nothing waits that long.")


def check_goodput_at_twice_capacity(admit, shed, seed: int = DEFAULT_SEED) -> None:
    result, written = _run(steady_load(2 * CAPACITY_PER_S, RUN_S), admit, shed, seed)
    goodput = result.rate(result.good, SETTLED_S)
    throughput = result.rate(result.completed, SETTLED_S)
    expect(goodput >= GOODPUT_SHARE * CAPACITY_PER_S,
           f"At twice its capacity ({2 * CAPACITY_PER_S:.0f} requests/s, clients retrying), "
           f"the service answered {goodput:.1f} requests/s in time, out of "
           f"{throughput:.1f}/s it finished (capacity {CAPACITY_PER_S:.0f}/s, the goal "
           f"{GOODPUT_SHARE:.0%} of it). Work finished after its client gave up is wasted: "
           "refuse what cannot be answered in time, early, and drop what has waited too "
           "long.")
    expect(written == sum(result.completed),
           f"The service wrote {written} orders to DynamoDB for {sum(result.completed)} "
           "requests it finished: a refused or dropped request must do no work.")


def check_shed_drops_hopeless_work(shed) -> None:
    for now_s, expected, why in (
            (10.0, False, "a request that just arrived"),
            (10.85, False, "a request with 0.15 s left, which 100 ms of work fits in"),
            (10.95, True, "a request with 0.05 s left: 100 ms of work cannot fit"),
            (11.5, True, "a request whose client gave up 0.5 s ago")):
        got = shed(_request(sent_s=10.0, timeout_s=1.0), _server(now_s=now_s))
        expect(got is expected,
               f"shed should return {expected} for {why} (sent at 10.0 s, deadline 11.0 s, "
               f"now {now_s} s, service 0.1 s); it returned {got!r}.")


def check_metastable_failure_recovers(admit, shed, seed: int = DEFAULT_SEED) -> None:
    result, _ = _run(spike(**SPIKE), admit, shed, seed)
    base = SPIKE["rate_per_s"]
    after = result.rate(result.good, SPIKE["duration_s"] - 30)
    expect(abs(after - base) <= 0.1 * base,
           f"After a 10 s spike to twice the load, the service should recover to about "
           f"{base:.0f} good answers a second; over the last 30 s it gave {after:.1f}/s. "
           "Retries of requests that timed out in a long queue keep it overloaded after "
           "the trigger has gone: bound the queue and drop work past its deadline.")
