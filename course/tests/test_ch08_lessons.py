"""Chapter 8's later lessons: a key reused with other parameters is refused, the order saga
undoes what a failed order did (and its compensations run once under retries), and the outbox
publishes every saved order where the dual write loses some."""

import pytest

from resilience.aws.motoclock import unix_time
from resilience.chapters.ch08_idempotency import (
    ORDER_SAGA,
    AddressRejected,
    OutOfStock,
    ServiceUnavailable,
    Shop,
    dual_write_story,
    run_state_machine,
    saga_input,
    saga_tasks,
)
from resilience.clock import SimClock
from resilience.idempotency import (
    COMPLETED,
    IdempotencyStore,
    InProgress,
    PayloadMismatch,
    PaymentGateway,
    payload_hash,
)
from resilience.sandbox import aws_sandbox


@pytest.fixture
def world():
    clock = SimClock()
    with aws_sandbox(tables=["idempotency"], clock=clock) as aws:
        now = unix_time(clock)
        yield clock, IdempotencyStore(aws.client("dynamodb"), now), PaymentGateway(now)


# -- a key reused with other parameters -------------------------------------------------------

def test_payload_hash_ignores_key_order_and_sees_every_value():
    assert payload_hash({"a": 1, "b": [1, 2]}) == payload_hash({"b": [1, 2], "a": 1})
    assert payload_hash({"a": 1}) != payload_hash({"a": 2})
    assert len(payload_hash({})) == 64  # SHA-256, in hex


def test_a_key_reused_with_other_parameters_is_refused_not_answered(world):
    _, store, gateway = world

    def pay(request):
        return store.run_once("k-1", lambda: gateway.charge(
            request["order_id"], request["amount_cents"]), payload=request)

    first = pay({"order_id": "o-1", "amount_cents": 1999})
    assert pay({"amount_cents": 1999, "order_id": "o-1"}) == first, \
        "the same request (keys in another order) must get the stored response"
    with pytest.raises(PayloadMismatch):
        pay({"order_id": "o-1", "amount_cents": 5000})
    assert len(gateway.charges) == 1, "a refused reuse must not charge"
    record = store.claim("k-1")
    assert record["status"] == COMPLETED and record["payload_hash"] == payload_hash(
        {"order_id": "o-1", "amount_cents": 1999}), "complete must keep the request's hash"


def test_a_mismatch_is_refused_while_the_first_is_in_progress(world):
    _, store, gateway = world

    def during():
        with pytest.raises(PayloadMismatch):
            store.run_once("k-2", lambda: {}, payload={"amount_cents": 1})
        with pytest.raises(InProgress):  # the same request is a concurrent duplicate
            store.run_once("k-2", lambda: {}, payload={"amount_cents": 2})

    gateway.during_next(during)
    store.run_once("k-2", lambda: gateway.charge("o-2", 2), payload={"amount_cents": 2})
    assert len(gateway.charges) == 1


def test_records_without_a_payload_are_not_checked(world):
    _, store, _ = world
    assert store.run_once("k-3", lambda: {"n": 1}) == {"n": 1}
    assert store.run_once("k-3", lambda: {"n": 2}, payload={"x": 1}) == {"n": 1}


# -- sagas ------------------------------------------------------------------------------------

def test_the_saga_definition_uses_retry_and_catch():
    states = ORDER_SAGA["States"]
    for forward in ("ReserveStock", "ChargePayment", "ShipOrder"):
        assert states[forward]["Retry"] and states[forward]["Catch"]
    assert states["ShipOrder"]["Catch"][0]["Next"] == "RefundPayment"
    assert states["ChargePayment"]["Catch"][0]["Next"] == "ReleaseStock"
    assert states["RefundPayment"]["Next"] == "ReleaseStock"
    assert "Catch" not in states["RefundPayment"], "a compensation must not give up"


def test_a_placed_order_reserves_charges_and_ships():
    shop = Shop()
    execution = run_state_machine(ORDER_SAGA, saga_tasks(shop), saga_input(), SimClock())
    assert execution.status == "SUCCEEDED"
    assert (shop.stock, shop.charged_cents, shop.shipped) == (4, 1999, 1)


def test_a_failed_shipment_is_compensated_newest_first():
    shop = Shop()
    shop.plan("ShipOrder", AddressRejected)
    execution = run_state_machine(ORDER_SAGA, saga_tasks(shop), saga_input(), SimClock())
    assert execution.status == "FAILED" and execution.error == "OrderFailed"
    assert execution.visited() == ["ReserveStock", "ChargePayment", "RefundPayment",
                                   "ReleaseStock"]
    assert (shop.stock, shop.charged_cents, shop.refunded_cents, shop.shipped) == (
        5, 1999, 1999, 0)
    assert execution.output["error"]["Error"] == "AddressRejected", \
        "Catch's ResultPath keeps the error next to the input"


def test_nothing_to_undo_when_the_first_step_fails():
    shop = Shop(stock=0)
    execution = run_state_machine(ORDER_SAGA, saga_tasks(shop), saga_input(), SimClock())
    assert execution.status == "FAILED"
    assert execution.history == ((0.0, "ReserveStock", OutOfStock.error_name),)
    assert shop.charged_cents == 0


def test_retry_waits_with_backoff_then_catch_takes_over():
    clock, shop = SimClock(), Shop()
    shop.plan("ShipOrder", *[ServiceUnavailable] * 4)  # one more than MaxAttempts 3
    execution = run_state_machine(ORDER_SAGA, saga_tasks(shop), saga_input(), clock)
    shipping = [at for at, state, _ in execution.history if state == "ShipOrder"]
    assert shipping == [0.0, 1.0, 3.0, 7.0], "IntervalSeconds 1, BackoffRate 2.0"
    assert execution.status == "FAILED" and shop.refunded_cents == 1999


def test_a_retried_compensation_refunds_once_only_when_idempotent(world):
    clock, store, _ = world
    plain, idempotent = Shop(), Shop()
    for shop in (plain, idempotent):
        shop.plan("ShipOrder", AddressRejected)
        shop.plan("RefundPayment", "lost reply")
        shop.plan("ReleaseStock", "lost reply")
    run_state_machine(ORDER_SAGA, saga_tasks(plain), saga_input(), clock)
    run_state_machine(ORDER_SAGA, saga_tasks(idempotent, store), saga_input(), clock)
    assert (plain.refunded_cents, plain.stock) == (2 * 1999, 6), \
        "without idempotency a lost reply refunds twice and releases the stock twice"
    assert (idempotent.refunded_cents, idempotent.stock) == (1999, 5)
    assert idempotent.calls["RefundPayment"] == 2, "the retry happened, and did no harm"


# -- the dual write and the outbox -------------------------------------------------------------

def test_the_dual_write_loses_events_and_the_outbox_does_not():
    dual = dual_write_story("dual write", orders=14, crash_every=7)
    outbox = dual_write_story("outbox", orders=14, crash_every=7)
    assert (dual.orders_saved, dual.events_published, dual.orders_without_event) == (14, 12, 2)
    assert (outbox.orders_saved, outbox.events_published, outbox.orders_without_event) == (
        14, 14, 0)


def test_an_unknown_method_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown method"):
        dual_write_story("two-phase commit")
