"""The chaos module: a schedule is data (text in, the same schedule out), the same schedule
and seed give the same run, and call faults land on the fault layer in their windows."""

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from hypothesis import given, settings

from resilience.chaos import CALL_FAULTS, Fault, Schedule, install, schedules
from resilience.clock import SimClock
from resilience.faults import FaultInjector
from resilience.sandbox import aws_sandbox

HORIZON_S = 120.0


@settings(max_examples=200, derandomize=True, database=None)
@given(schedules(horizon_s=HORIZON_S))
def test_a_schedule_reads_back_from_its_text(schedule):
    assert Schedule.parse(schedule.encode()) == schedule


@settings(max_examples=100, derandomize=True, database=None)
@given(schedules(horizon_s=HORIZON_S))
def test_generated_faults_stay_inside_the_horizon(schedule):
    assert all(0 <= fault.start_s < fault.end_s <= HORIZON_S for fault in schedule.faults)
    assert schedule.quiet_from_s <= HORIZON_S


def test_a_schedule_in_words():
    schedule = Schedule((Fault("throttle", "kinesis.PutRecords", 10, 5, rate=0.5),
                         Fault("surge", "clients", 30, 20, amount=3)), seed=7)
    assert schedule.encode() == ("seed=7;throttle@kinesis.PutRecords[10+5]x0.5;"
                                 "surge@clients[30+20]=3")
    assert schedule.quiet_from_s == 50
    assert schedule.surge_factor(29.9) == 1 and schedule.surge_factor(30) == 3
    assert schedule.surge_factor(50) == 1, "a window is [start, end)"
    assert [f.kind for f in schedule.active("throttle", 12, "kinesis.PutRecords")] == ["throttle"]
    assert schedule.active("throttle", 12, "dynamodb") == []


@pytest.mark.parametrize("text, complaint", [
    ("throttle@kinesis[1+2]", "starts with seed=N"),
    ("seed=1;throttle@kinesis[1-2]", "cannot read the fault"),
    ("seed=1;meteor@kinesis[1+2]", "unknown fault 'meteor'"),
    ("seed=1;throttle@s3[1+2]", "strikes one of kinesis"),
    ("seed=1;crash@kinesis[1+2]", "a crash strikes consumer"),
    ("seed=1;throttle@kinesis[1+0]", "lasts more than 0 s"),
    ("seed=1;throttle@kinesis[1+2]x1.5", "rate is a share"),
    ("seed=1;latency@payments[1+2]", "needs an amount: seconds added"),
])
def test_a_schedule_that_cannot_be_read_says_why(text, complaint):
    with pytest.raises(ValueError, match=complaint):
        Schedule.parse(text)


def test_each_part_of_a_run_draws_its_own_numbers():
    schedule = Schedule(seed=3)
    assert schedule.rng("clients").random() == Schedule(seed=3).rng("clients").random()
    assert schedule.rng("clients").random() != schedule.rng("consumer").random()
    assert schedule.rng("clients").random() != Schedule(seed=4).rng("clients").random()


def _outcomes(schedule: Schedule, calls_at_s: list[float]) -> list[str]:
    """What each PutItem at the given simulated times met, under ``schedule``."""
    clock = SimClock()
    with aws_sandbox(tables=["orders"], clock=clock) as aws:
        dynamodb = aws.client("dynamodb", total_max_attempts=1)
        injector = FaultInjector(dynamodb, clock=clock, rng=schedule.rng("dynamodb"))
        install(schedule, {"dynamodb": injector})
        for n, at_s in enumerate(calls_at_s):
            clock.advance(at_s - clock.now())
            try:
                dynamodb.put_item(TableName="orders", Item={"id": {"S": f"o{n}"}})
            except (ClientError, ReadTimeoutError):
                pass
        return injector.outcomes("PutItem")


def test_call_faults_fire_only_inside_their_window():
    schedule = Schedule((Fault("throttle", "dynamodb.PutItem", 10, 5),
                         Fault("timeout", "dynamodb", 20, 1)))
    assert _outcomes(schedule, [9.9, 10, 14.9, 15, 20.5, 30]) == [
        "ok", "throttled", "throttled", "ok", "timeout", "ok"]


def test_the_same_schedule_and_seed_give_the_same_run():
    schedule = Schedule((Fault("server_error", "dynamodb", 0, 100, rate=0.5),), seed=11)
    times = [float(t) for t in range(0, 100, 2)]
    first = _outcomes(schedule, times)
    assert first == _outcomes(Schedule.parse(schedule.encode()), times)
    assert 10 < first.count("server_error") < 40, "about half"
    assert first != _outcomes(Schedule(schedule.faults, seed=12), times)


def test_every_call_fault_lands_on_the_fault_layer():
    clock = SimClock()
    with aws_sandbox(streams=["orders"], clock=clock) as aws:
        kinesis = aws.client("kinesis", total_max_attempts=1)
        injector = FaultInjector(kinesis, clock=clock)
        faults = tuple(Fault(kind, "kinesis.PutRecords", 0, 10,
                             amount=1.0 if kind == "latency" else 0.0) for kind in CALL_FAULTS)
        rules = install(Schedule(faults), {"kinesis": injector, "dynamodb": None})
    assert [rule.kind for rule in rules] == [
        "throttle", "server_error", "timeout", "timeout", "latency", "entry", "unreachable"]
    assert [rule.delivered for rule in rules[2:4]] == [False, True]
    assert all(rule.between_s == (0, 10) for rule in rules)


def test_pipeline_faults_and_the_payment_api_are_left_to_the_simulation():
    schedule = Schedule((Fault("crash", "consumer", 0, 10), Fault("timeout", "payments", 0, 10)))
    assert install(schedule, {}) == []
