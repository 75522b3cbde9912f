"""The overload models reproduce the published results chapter 5 states (COURSE.md).

Tolerances: "≈ 0" is under 5% of capacity, "near capacity" at least 90% of it, "recovers to
≈ 60/s" within 10% of 60/s; each measured after the run has settled (its second half).
"""

import pytest

from resilience.aws.facts import BATCH_WRITE_ITEM_MAX_ITEMS
from resilience.chapters.ch05_load_shedding import limit_concurrency
from resilience.models.overload import (
    LIFO,
    RETRY_BUDGET_RETRIES,
    Clients,
    Server,
    exponential_backoff,
    littles_law,
    shed_past_deadline,
    simulate,
    spike,
    steady,
    surge,
)

CAPACITY = Server().capacity_per_s  # 10 workers x 100 ms = 100 requests a second
RUN_S = 120


def test_littles_law_gives_the_seeds_concurrency():
    assert CAPACITY == pytest.approx(100)
    assert round(littles_law(471, 3.003174), 1) == 1414.5


@pytest.mark.parametrize("factor", [0.5, 0.9])
def test_below_capacity_goodput_is_the_offered_load(factor):
    result = simulate(steady(CAPACITY * factor, RUN_S), clients=Clients(retries=3))
    assert result.rate(result.good, 60) == pytest.approx(CAPACITY * factor, rel=0.05)
    assert sum(result.rejected) == 0


@pytest.mark.parametrize("factor", [1.2, 2.0])
def test_past_capacity_goodput_collapses_without_shedding_and_holds_with_it(factor):
    load, clients = steady(CAPACITY * factor, RUN_S), Clients(retries=3)
    collapsed = simulate(load, clients=clients)
    assert collapsed.rate(collapsed.completed, 60) >= 0.95 * CAPACITY  # busy all the time...
    assert collapsed.rate(collapsed.good, 60) < 0.05 * CAPACITY  # ...on work nobody waits for
    shedding = simulate(load, clients=clients, admit=limit_concurrency(20))
    assert shedding.rate(shedding.good, 60) >= 0.9 * CAPACITY


def test_a_short_spike_leaves_a_metastable_failure_behind():
    """Bronson et al. (HotOS 2021): 60% load, 1 s timeouts, 3 immediate retries, a 10 s
    spike to 2x; after it ends, goodput stays near zero."""
    load = spike(60, 2.0, start_s=30, length_s=10, duration_s=RUN_S)
    result = simulate(load, clients=Clients(timeout_s=1.0, retries=3))
    assert result.rate(result.good, 0, 30) == pytest.approx(60, rel=0.1)
    assert result.rate(result.good, 60) < 0.05 * CAPACITY
    assert result.rate(result.offered, 60) > 2 * CAPACITY  # retries keep it overloaded


@pytest.mark.parametrize("fix", ["no retries", "drop past deadline", "LIFO"])
def test_each_fix_recovers_from_the_spike(fix):
    load = spike(60, 2.0, start_s=30, length_s=10, duration_s=RUN_S)
    settings = {
        "no retries": {"clients": Clients(retries=0)},
        "drop past deadline": {"clients": Clients(retries=3), "shed": shed_past_deadline},
        "LIFO": {"clients": Clients(retries=3), "server": Server(queue=LIFO)},
    }[fix]
    result = simulate(load, **settings)
    assert result.rate(result.good, 60) == pytest.approx(60, rel=0.1)


def test_contention_makes_more_concurrency_finish_less():
    server = Server(workers=100, contention=0.02, coherency=0.0005)
    assert server.slowdown(100) > server.slowdown(20) > 1
    load = steady(CAPACITY * 2, RUN_S)
    unlimited = simulate(load, server=server)
    limited = simulate(load, server=server, admit=limit_concurrency(40))
    assert limited.rate(limited.completed, 60) > unlimited.rate(unlimited.completed, 60)


def test_loads_are_piecewise_rates():
    assert steady(50, 10).rate_at(9.9) == 50
    bump = spike(50, 3, start_s=10, length_s=5, duration_s=30)
    assert [bump.rate_at(t) for t in (0, 12, 16)] == [50, 150, 50]
    wave = surge(50, 3, start_s=10, length_s=20, duration_s=60)
    rates = [wave.rate_at(t) for t in range(60)]
    assert max(rates) == 150 and rates[0] == rates[-1] == 50


def test_runs_are_deterministic_and_count_every_attempt():
    load = spike(60, 2.0, start_s=10, length_s=10, duration_s=40)
    first = simulate(load, clients=Clients(retries=2), seed=3)
    again = simulate(load, clients=Clients(retries=2), seed=3)
    assert first.good == again.good and first.latencies_s == again.latencies_s
    assert sum(first.good) <= sum(first.completed) <= sum(first.offered)
    assert first.succeeded == sum(first.good) <= first.requests
    assert first.latency_percentile(0.99) <= 1.0  # a good answer came within the timeout


def test_chapter_policies_on_the_goodput_curve_and_the_spike():
    from resilience.chapters import ch05_load_shedding as loadshedding

    def goodput_at_twice_capacity(policy):
        rate, run = loadshedding.goodput_curve(policy)[loadshedding.LOAD_FACTORS.index(2.0)]
        assert rate == 2 * CAPACITY
        return run.rate(run.good, loadshedding.SETTLED_S)

    assert set(loadshedding.LABELS) == set(loadshedding.POLICIES)
    assert goodput_at_twice_capacity("none") < 0.05 * CAPACITY
    assert goodput_at_twice_capacity("limit") >= 0.9 * CAPACITY
    assert goodput_at_twice_capacity(LIFO) >= 0.9 * CAPACITY
    stuck = loadshedding.spike_story()
    assert stuck.rate(stuck.good, stuck.duration_s - 30) < 0.05 * CAPACITY
    recovered = loadshedding.spike_story("deadline")
    assert recovered.rate(recovered.good, recovered.duration_s - 30) == pytest.approx(60, rel=0.1)


class OrderWriter:
    """What the lab's service does in production for each request it serves: write an order
    to a DynamoDB table, one item a request, as many at a time as BatchWriteItem takes."""

    def __init__(self, dynamodb, table: str):
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


def test_served_requests_write_to_dynamodb_and_refused_ones_do_not():
    from resilience.sandbox import aws_sandbox

    with aws_sandbox(tables=["orders"]) as aws:
        orders = OrderWriter(aws.client("dynamodb"), "orders")
        run = simulate(steady(2 * CAPACITY, 20), admit=limit_concurrency(), work=orders)
        assert sum(run.rejected) > 0
        assert orders.written() == sum(run.completed) > 0


def test_a_bounded_queue_refuses_and_a_priority_queue_serves_the_urgent_first():
    from resilience.models.overload import FIFO, PRIORITY

    bounded = simulate(steady(2 * CAPACITY, 30), server=Server(queue_limit=5))
    assert sum(bounded.rejected) > 0 and max(bounded.concurrency) <= Server().workers + 5 + 1
    clients = Clients(priority=lambda number: 0 if number % 3 == 0 else 1)  # a third urgent
    load = steady(1.5 * CAPACITY, 60)
    urgent = {queue: simulate(load, clients=clients, server=Server(queue=queue))
              .good_by_priority[0] for queue in (FIFO, PRIORITY)}
    urgent_sent = 1.5 * CAPACITY * 60 / 3
    assert urgent[PRIORITY] >= 0.95 * urgent_sent > 2 * urgent[FIFO]


def test_clients_back_off_before_retrying():
    waits = []

    def backoff_s(attempt):
        waits.append(attempt)
        return 0.5 * 2 ** attempt

    load = steady(2 * CAPACITY, 20)
    backing_off = simulate(load, clients=Clients(retries=2, backoff_s=backoff_s))
    at_once = simulate(load, clients=Clients(retries=2))
    assert waits and set(waits) <= {1, 2}
    # Attempts that time out come back 1 s later with backoff, at once without.
    assert backing_off.offered[2] < 1.5 * 2 * CAPACITY < at_once.offered[2]


# -- chapter 5's spike widget: what each option does, as section 4 of the chapter says ------


def _after_the_spike(policy="none", retry_style="at once", base_per_s=60):
    """(goodput, offered) per second over the last 30 s of the chapter's spike story."""
    from resilience.chapters import ch05_load_shedding as loadshedding

    run = loadshedding.spike_story(policy, base_per_s=base_per_s, retry_style=retry_style)
    last_30_s = run.duration_s - 30
    return run.rate(run.good, last_30_s), run.rate(run.offered, last_30_s)


def test_backoff_with_jitter_alone_leaves_the_metastable_failure_in_place():
    """Backoff spreads the retries out but sends as many: every request is still tried 4
    times, about 240 attempts a second against a capacity of 100."""
    goodput, offered = _after_the_spike(retry_style="backoff")
    assert goodput < 0.05 * CAPACITY
    assert offered > 2 * CAPACITY


@pytest.mark.parametrize("base_per_s, recovers", [(60, True), (70, True), (80, False),
                                                  (90, False)])
def test_a_retry_budget_recovers_up_to_a_tipping_point(base_per_s, recovers):
    goodput, offered = _after_the_spike(retry_style="budget", base_per_s=base_per_s)
    if recovers:
        assert goodput == pytest.approx(base_per_s, rel=0.1)
        assert offered < 1.15 * base_per_s  # retries stay near 10% of the first tries
    else:
        assert goodput < 0.9 * base_per_s


@pytest.mark.parametrize("base_per_s", [30, 50, 60, 70, 80, 90])
def test_a_concurrency_limit_recovers_at_every_base_load(base_per_s):
    goodput, _ = _after_the_spike("limit", base_per_s=base_per_s)
    assert goodput >= 0.9 * base_per_s


@pytest.mark.parametrize("policy", ["limit", "deadline", LIFO])
def test_the_server_side_fixes_recover_with_every_way_of_retrying(policy):
    from resilience.chapters import ch05_load_shedding as loadshedding

    for retry_style in loadshedding.RETRY_STYLES:
        goodput, _ = _after_the_spike(policy, retry_style)
        assert goodput == pytest.approx(60, rel=0.1), retry_style


def test_without_protection_the_tipping_point_lies_between_50_and_60():
    goodput_at_50, _ = _after_the_spike(base_per_s=50)
    goodput_at_60, _ = _after_the_spike(base_per_s=60)
    assert goodput_at_50 == pytest.approx(50, rel=0.1)  # a 2x spike only reaches capacity
    assert goodput_at_60 < 0.05 * CAPACITY


def _waits_before_retries(clients):
    """The wait before each retry of a run at twice capacity: from the moment the attempt
    before it timed out to the moment the retry was sent, by retry number."""
    sent = {}

    def admit(request, server):  # sees every attempt, and admits it
        sent[request.number, request.attempt] = request.sent_s
        return True

    simulate(steady(2 * CAPACITY, 20), clients=clients, admit=admit)
    waits = {}
    for (number, attempt), sent_s in sent.items():
        if attempt:
            gave_up_s = sent[number, attempt - 1] + clients.timeout_s
            waits.setdefault(attempt, []).append(sent_s - gave_up_s)
    return waits


def test_jittered_backoff_waits_a_random_share_of_the_exponential_wait():
    backoff_s = exponential_backoff(1.0, 20.0)
    assert [backoff_s(n) for n in range(1, 7)] == [1, 2, 4, 8, 16, 20]
    exact = _waits_before_retries(Clients(retries=2, backoff_s=backoff_s))
    jittered = _waits_before_retries(Clients(retries=2, backoff_s=backoff_s, jitter=True))
    for retry, longest_s in ((1, 1.0), (2, 2.0)):
        assert all(wait == pytest.approx(longest_s) for wait in exact[retry])
        waits = jittered[retry]
        assert all(-1e-9 <= wait <= longest_s + 1e-9 for wait in waits)
        assert sum(waits) / len(waits) == pytest.approx(longest_s / 2, rel=0.1)  # uniform


def test_a_retry_budget_caps_retries_near_its_share_of_first_tries():
    load = steady(2 * CAPACITY, 30)
    budgeted = simulate(load, clients=Clients(retries=3, retry_budget=0.1))
    retries = sum(budgeted.offered) - budgeted.requests
    assert 0 < retries <= 0.1 * budgeted.requests + RETRY_BUDGET_RETRIES
    unbudgeted = simulate(load, clients=Clients(retries=3))
    assert sum(unbudgeted.offered) - unbudgeted.requests > 2 * budgeted.requests
