"""The capstone's pipeline, its invariants and the search for counterexamples."""

from __future__ import annotations

import math

import pytest

from resilience import chaos
from resilience.chapters.ch09_capstone import CAREFUL, NAIVE
from resilience.clock import SimClock
from resilience.counterexamples import FAMILIES, SHRINK_RUNS, search
from resilience.invariants import (
    ALARM_DELAY_S,
    INVARIANTS,
    alarms_work,
    breaches,
    judge,
)
from resilience.pipeline import (
    ORDERS_PER_S,
    TRAFFIC_S,
    FunctionTimedOut,
    Parts,
    PaymentAPI,
    Period,
    Run,
    run_pipeline,
)

# Every family's schedules, but for the last family's plain one: the quiet run, tried first.
SCHEDULES_OF_A_WHOLE_SEARCH = sum(family.examples for family in FAMILIES) - 1

QUIET = chaos.Schedule()


@pytest.fixture(scope="module")
def quiet_run() -> Run:
    return run_pipeline(CAREFUL, QUIET)


def broken(run: Run) -> list[str]:
    return [verdict.invariant for verdict in judge(run) if not verdict.holds]


def test_a_quiet_run_takes_every_order_once(quiet_run):
    """No faults: every order is answered yes, stored once and charged once."""
    assert len(quiet_run.orders) > 0.8 * ORDERS_PER_S * TRAFFIC_S
    assert all(attempt.outcome == "acked" for attempt in quiet_run.attempts)
    assert set(quiet_run.stored) == set(quiet_run.orders) == quiet_run.acked
    assert set(quiet_run.charges.values()) == {1}
    assert quiet_run.alarms == [] and quiet_run.errors == []
    assert broken(quiet_run) == []


def test_the_same_schedule_gives_the_same_run(quiet_run):
    """A schedule is the whole input: same schedule and seed, same run."""
    schedule = chaos.Schedule.parse("seed=5;outage@payments[3+9];crash@consumer[1+20]x0.5")
    first, second = run_pipeline(CAREFUL, schedule), run_pipeline(CAREFUL, schedule)
    assert [(a.request, a.outcome) for a in first.attempts] == [
        (a.request, a.outcome) for a in second.attempts]
    assert (first.stored, first.charges, first.periods, first.iterator_age) == (
        second.stored, second.charges, second.periods, second.iterator_age)
    other_seed = run_pipeline(CAREFUL, chaos.Schedule(schedule.faults, seed=6))
    assert other_seed.orders != first.orders


@pytest.mark.parametrize("text, invariant", [
    ("seed=1;poison@clients[5+10]x0.5", "nothing lost"),
    ("seed=2;crash@consumer[5+10]x0.5", "nothing doubled"),
    ("seed=3;poison@clients[5+10]x0.2", "recovery"),
    ("seed=4;surge@clients[10+20]=5", "overload"),
    ("seed=5;throttle@kinesis[10+10]", "alarms"),
])
def test_the_naive_pipeline_breaks_each_invariant(text, invariant):
    """The chapter's naive pipeline breaks each invariant under a schedule that targets it."""
    assert invariant in broken(run_pipeline(NAIVE, chaos.Schedule.parse(text)))


@pytest.mark.parametrize("text", [
    "seed=1;throttle@kinesis[10+10]",
    "seed=2;outage@payments[0+40]",
    "seed=3;surge@clients[0+40]=5",
    "seed=4;poison@clients[5+10]x0.2;throttle@sqs[5+10]x0.5",
    "seed=5;timeout_after_work@payments[5+10]x0.5;duplicate@consumer[0+20]x0.3",
    "seed=6;partial_batch@dynamodb.BatchWriteItem[0+40]x0.5;crash@consumer[5+10]x0.5",
    "seed=7;latency@payments[0+30]=5",
    "seed=8;timeout_after_work@kinesis[0+30]x0.5",
])
def test_the_careful_pipeline_keeps_every_invariant(text):
    """The pipeline that holds keeps all five under each family of faults."""
    assert broken(run_pipeline(CAREFUL, chaos.Schedule.parse(text))) == []


@pytest.mark.slow
def test_a_search_of_the_careful_pipeline_finds_nothing():
    """Every family's schedules, and no counterexample."""
    campaign = search(CAREFUL, seed=1)
    assert campaign.findings == {}
    assert len(campaign.tried) == SCHEDULES_OF_A_WHOLE_SEARCH


@pytest.mark.slow
def test_a_search_of_the_naive_pipeline_finds_all_five():
    """The naive pipeline breaks all five; each finding replays from its line."""
    campaign = search(NAIVE, seed=0)
    assert set(campaign.findings) == set(INVARIANTS)
    for finding in campaign.findings.values():
        line = finding.replay_line
        text = line[line.index('replay("') + len('replay("'):-2]
        assert chaos.Schedule.parse(text) == finding.schedule


def loses_orders_in_long_outages(parts, schedule: chaos.Schedule) -> Run:
    """A stand-in for a pipeline run: it loses an order when the payment API is out for
    8 s or more, and is fine otherwise."""
    if any(f.kind == "outage" and f.service == "payments" and f.length_s >= 8
           for f in schedule.faults):
        return Run(schedule, acked_s={"o-1": 0.0})
    return Run(schedule)


def test_a_search_shrinks_a_counterexample_to_the_plain_fault():
    """The payment family's plain outage breaks it; shrinking keeps that one fault."""
    campaign = search(CAREFUL, seed=4, runner=loses_orders_in_long_outages)
    assert set(campaign.findings) == {"nothing lost"}
    finding = campaign.findings["nothing lost"]
    assert finding.shrunk and finding.schedule == chaos.Schedule(
        (chaos.Fault("outage", "payments", 5.0, 20.0),), seed=0)


def test_a_search_shrinks_to_the_plainest_schedule_that_still_breaks():
    """What breaks only on part of the calls shrinks to a plain fault on part of them."""
    def loses_when_payments_half_fail(parts, schedule):
        partial = any(f.service == "payments" and f.rate <= 0.5 for f in schedule.faults)
        return Run(schedule, acked_s={"o-1": 0.0} if partial else {})

    findings = [search(CAREFUL, seed=seed, runner=loses_when_payments_half_fail).findings
                for seed in range(4)]
    found = [f["nothing lost"] for f in findings if "nothing lost" in f]
    assert found, "no generated payment fault struck part of the calls in four searches"
    for finding in found:  # one plain fault on the payment API, on part of the calls
        (fault,) = finding.schedule.faults
        assert finding.shrunk and finding.schedule.seed == 0
        assert (fault.service, fault.start_s, fault.length_s) == ("payments", 5.0, 20.0)
        assert fault.rate <= 0.5


def test_the_same_search_gives_the_same_findings():
    """Deterministic: a regrade finds the very same schedules; another seed, others."""
    def runs(seed):
        campaign = search(CAREFUL, seed=seed, runner=loses_orders_in_long_outages)
        return campaign.tried

    assert runs(3) == runs(3)
    assert runs(3) != runs(4)


def test_a_search_stops_shrinking_when_its_budget_is_spent():
    """Each run is costly: shrinking tries at most SHRINK_RUNS schedules in a search."""
    def everything_breaks(parts, schedule):
        return Run(schedule, acked_s={"o-1": 0.0})

    campaign = search(CAREFUL, seed=0, runner=everything_breaks)
    assert len(campaign.tried) <= SCHEDULES_OF_A_WHOLE_SEARCH + SHRINK_RUNS


def test_a_part_that_raises_is_part_of_the_story():
    """A producer that raises refuses its orders; the run goes on and says why."""
    def send_orders(*args, **kwargs):
        raise RuntimeError("boom")

    parts = Parts(CAREFUL.admit, send_orders, CAREFUL.make_handler, CAREFUL.mapping_config,
                  CAREFUL.alarms)
    run = run_pipeline(parts, QUIET)
    assert run.acked == set() and run.errors[0] == "send_orders raised RuntimeError: boom"
    assert {name for _, name in run.alarms} == {"availability"}
    assert broken(run) == ["recovery"]


# -- the payment API -----------------------------------------------------------------------------


def payments(text: str = "seed=0", deadline_s: float = math.inf) -> PaymentAPI:
    return PaymentAPI(SimClock(), chaos.Schedule.parse(text), lambda: deadline_s)


def test_the_payment_api_charges_once_per_key():
    api = payments()
    first = api.charge("o-1", 500, idempotency_key="o-1")
    assert api.charge("o-1", 500, idempotency_key="o-1") == first
    api.charge("o-1", 500)
    assert api.gateway.times_charged()["o-1"] == 2


def test_the_payment_api_fails_as_the_schedule_says():
    """An outage charges nothing; a timeout after work charges; a bad amount never succeeds."""
    down = payments("seed=0;outage@payments[0+10]")
    with pytest.raises(ConnectionError):
        down.charge("o-1", 500, idempotency_key="o-1")
    assert down.gateway.charges == [] and down.clock.now() == pytest.approx(1.0)
    slow = payments("seed=0;timeout_after_work@payments[0+10]")
    with pytest.raises(TimeoutError):
        slow.charge("o-1", 500, idempotency_key="o-1", timeout_s=2.0)
    assert len(slow.gateway.charges) == 1 and slow.clock.now() == pytest.approx(2.0)
    with pytest.raises(ValueError, match="never succeed"):
        payments().charge("o-1", "12,99")


def test_a_call_past_the_invocations_end_never_happens():
    """Lambda stops the handler at its timeout: the call raises FunctionTimedOut."""
    api = payments("seed=0;latency@payments[0+10]=30", deadline_s=4.0)
    with pytest.raises(FunctionTimedOut):
        api.charge("o-1", 500, timeout_s=60)
    assert api.clock.now() == pytest.approx(4.0)
    with pytest.raises(FunctionTimedOut):
        api.charge("o-2", 500)
    assert issubclass(FunctionTimedOut, BaseException) and not issubclass(
        FunctionTimedOut, Exception)


# -- the alarms invariant -------------------------------------------------------------------------


def quiet_periods(count: int = 3) -> list[Period]:
    return [Period(10.0 * n, 10.0, 20, 20, 0, 0, 1.0, 0, 0, 0, 0) for n in range(count)]


def test_an_alarm_without_its_breach_is_false():
    run = Run(QUIET, periods=quiet_periods(), alarms=[(20.0, "failures")])
    verdict = alarms_work(run)
    assert not verdict.holds and "false alarm" in verdict.detail


def test_a_breach_needs_its_alarm_in_time():
    """A failed order at 12 s: the failures alarm must fire by 12 s + the delay."""
    run = Run(QUIET, periods=quiet_periods(5), failed_s={"o-1": 12.0},
              alarms=[(50.0, "failures")])
    assert breaches(run) == {"failures": 12.0}
    assert not alarms_work(run).holds
    run.alarms = [(12.0 + ALARM_DELAY_S, "failures")]
    assert alarms_work(run).holds


def test_an_alarm_of_another_name_is_named():
    run = Run(QUIET, periods=quiet_periods(), alarms=[(10.0, "page me")])
    assert "'page me'" in alarms_work(run).detail
