"""Chapter 8's parts: the idempotency store, the payment API, and the duplicates story."""

import pytest

from resilience.aws.facts import SECONDS_PER_DAY
from resilience.aws.motoclock import unix_time
from resilience.chapters.ch08_idempotency import LABELS, STRATEGIES, duplicate_story
from resilience.clock import SimClock
from resilience.idempotency import (
    COMPLETED,
    FUNCTION_TIMEOUT_S,
    GATEWAY_KEY_WINDOW_S,
    IDEMPOTENCY_TABLE,
    IN_PROGRESS,
    IdempotencyStore,
    InProgress,
    PaymentGateway,
)
from resilience.sandbox import aws_sandbox


@pytest.fixture
def world():
    clock = SimClock()
    with aws_sandbox(tables=[IDEMPOTENCY_TABLE], clock=clock) as aws:
        now = unix_time(clock)
        yield clock, IdempotencyStore(aws.client("dynamodb"), now), PaymentGateway(now)


def test_only_one_claim_wins_until_the_lease_ends(world):
    clock, store, _ = world
    assert store.claim("o-1") is None
    found = store.claim("o-1")
    assert found["status"] == IN_PROGRESS
    clock.advance(FUNCTION_TIMEOUT_S + 1)
    assert store.claim("o-1") is None  # the first claimant crashed: its lease is over


def test_a_completed_record_answers_duplicates_until_it_expires(world):
    clock, store, gateway = world
    first = store.run_once("o-1", lambda: gateway.charge("o-1", 100))
    clock.advance(10 * SECONDS_PER_DAY)
    assert store.run_once("o-1", lambda: gateway.charge("o-1", 100)) == first
    assert store.claim("o-1")["status"] == COMPLETED
    clock.advance(5 * SECONDS_PER_DAY)  # past the 14 days a record is kept
    assert store.claim("o-1") is None
    assert gateway.calls == 1


def test_a_concurrent_duplicate_is_told_in_progress(world):
    _, store, gateway = world
    seen = []

    def duplicate():
        with pytest.raises(InProgress):
            store.run_once("o-1", lambda: gateway.charge("o-1", 100))
        seen.append("in progress")

    gateway.during_next(duplicate)
    store.run_once("o-1", lambda: gateway.charge("o-1", 100))
    assert seen == ["in progress"] and gateway.calls == 1


def test_failed_work_releases_its_claim_and_release_spares_completed_records(world):
    _, store, gateway = world
    gateway.fail_next()
    with pytest.raises(ConnectionError):
        store.run_once("o-1", lambda: gateway.charge("o-1", 100))
    assert store.claim("o-1") is None  # released: claimable at once
    store.complete("o-1", {"ok": True})
    store.release("o-1")  # a late release must not delete a completed record
    assert store.claim("o-1")["status"] == COMPLETED


def test_the_gateway_charges_every_call_but_a_key_it_remembers():
    clock = SimClock()
    gateway = PaymentGateway(clock.now)
    first = gateway.charge("o-1", 100, idempotency_key="k")
    assert gateway.charge("o-1", 100, idempotency_key="k") == first
    gateway.charge("o-1", 100)
    clock.advance(GATEWAY_KEY_WINDOW_S)
    gateway.charge("o-1", 100, idempotency_key="k")  # forgotten after 24 hours
    assert gateway.times_charged()["o-1"] == 3 and gateway.calls == 4


def test_gateway_faults_fail_before_or_time_out_after_charging():
    gateway = PaymentGateway(SimClock().now)
    gateway.fail_next(after=1)
    gateway.time_out_next(after=2)
    gateway.charge("o-1", 100)
    with pytest.raises(ConnectionError):
        gateway.charge("o-2", 100)
    with pytest.raises(TimeoutError):
        gateway.charge("o-3", 100)
    assert gateway.times_charged() == {"o-1": 1, "o-3": 1}


def test_the_story_without_idempotency_charges_again_for_every_cause():
    story = duplicate_story("none", 0.1, 0.1, 0.05)
    assert story.never_charged == 0 and story.charged_more > 0
    assert story.extra_charges == story.duplicate_deliveries
    assert set(story.extra_charges) == {"producer retry", "payment timeout", "crash"}


def test_each_partial_strategy_lets_through_only_its_own_gap():
    by_message = duplicate_story("message-id", 0.1, 0.1, 0.05)
    assert set(by_message.extra_charges) == {"producer retry"}
    no_downstream_key = duplicate_story("order-store", 0.1, 0.1, 0.05)
    assert set(no_downstream_key.extra_charges) <= {"payment timeout", "crash"}
    assert no_downstream_key.charged_more > 0


def test_store_and_downstream_key_charge_every_order_exactly_once():
    story = duplicate_story("order-end-to-end", 0.2, 0.2, 0.2)
    assert story.charged_once == story.orders and sum(story.duplicate_deliveries.values())


def test_the_story_is_deterministic_and_rejects_unknown_strategies():
    first = duplicate_story("none")
    duplicate_story.cache_clear()
    assert duplicate_story("none").times_charged == first.times_charged
    with pytest.raises(ValueError, match="unknown strategy"):
        duplicate_story("hope")
    with pytest.raises(ValueError, match="unknown strategy"):
        duplicate_story("no idempotency")  # a label, not a key
    assert len(STRATEGIES) == 4 and set(LABELS) == set(STRATEGIES)
