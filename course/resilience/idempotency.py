"""Chapter 8's parts: an idempotency store on DynamoDB and a payment API to protect.

``IdempotencyStore`` keeps one record per idempotency key in a DynamoDB table, written only
with conditional writes:

- ``claim`` puts an ``IN_PROGRESS`` record if there is none, or if the one there has
  expired. Exactly one of two concurrent duplicates wins; the other sees the record.
- ``complete`` turns the claim into ``COMPLETED`` with the response to give every later
  duplicate, kept for as long as a duplicate can still arrive.
- ``release`` deletes a claim whose work failed, so that a retry need not wait out the lease.

Given the request itself (``run_once(key, work, payload=request)``), the store keeps a hash of
it with the key, and refuses (``PayloadMismatch``) a later request that reuses the key with
other parameters: that is a client's bug, not a duplicate, and handing it the first request's
response would hide it. Powertools for AWS Lambda's idempotency utility does the same with
``payload_validation_jmespath`` (it raises ``IdempotencyValidationError``).

An in-progress claim expires after a *lease*: the function's timeout, since no invocation
outlives it. Expiry is checked in the condition itself, because DynamoDB's TTL deletes
expired items only within about two days.

``PaymentGateway`` is the side effect: a payment API that charges a card on every call,
unless the call carries an idempotency key it has seen within the last 24 hours (as payment
APIs such as Stripe's do). It can fail before charging or time out after charging, and it
counts what it did, so tests and figures can count double charges.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from botocore.client import BaseClient
from botocore.exceptions import ClientError

from resilience.aws.facts import SECONDS_PER_DAY, SQS_MAX_RETENTION_S

__all__ = [  # what chapters and labs import from this module
    "IdempotencyStore",
    "PaymentGateway",
    "Charge",
    "Crash",
    "InProgress",
    "PayloadMismatch",
    "payload_hash",
    "IDEMPOTENCY_TABLE",
    "FUNCTION_TIMEOUT_S",
    "IN_PROGRESS",
    "COMPLETED",
    "KEEP_COMPLETED_S",
    "POWERTOOLS_EXPIRY_S",
    "GATEWAY_KEY_WINDOW_S",
]

IDEMPOTENCY_TABLE = "idempotency"
IN_PROGRESS = "IN_PROGRESS"
COMPLETED = "COMPLETED"
FUNCTION_TIMEOUT_S = 30  # the charging function's timeout: an in-progress claim's lease
KEEP_COMPLETED_S = SQS_MAX_RETENTION_S  # a completed record outlives any SQS duplicate
POWERTOOLS_EXPIRY_S = 3600  # Powertools' default expires_after_seconds: 1 hour
GATEWAY_KEY_WINDOW_S = SECONDS_PER_DAY  # how long a payment API remembers a key


class Crash(BaseException):
    """The invocation died here (out of memory, timed out, killed): no ``except Exception``
    or cleanup of the code it interrupts gets to run."""


class InProgress(Exception):
    """Another invocation holds the claim on this key: try again later, do not redo it."""


class PayloadMismatch(Exception):
    """The key was used before for a request with other parameters: a bug in the client that
    reused it, not a duplicate. Refuse it rather than answer with the other request's
    response (Powertools' ``IdempotencyValidationError``)."""


def payload_hash(payload) -> str:
    """A SHA-256 hash of ``payload`` (anything JSON can encode) as canonical JSON: keys
    sorted, so two equal requests hash alike whatever order their keys came in."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _attributes(item: dict) -> dict:
    """A DynamoDB item (typed values) as plain Python values."""
    return {name: float(value["N"]) if "N" in value else value["S"]
            for name, value in item.items()}


@dataclass
class IdempotencyStore:
    """Idempotency records in one DynamoDB table keyed by ``id`` (see the module's doc).

    ``now`` returns Unix seconds (``time.time`` in production, a simulated clock here).
    """

    dynamodb: BaseClient
    now: Callable[[], float]
    table: str = IDEMPOTENCY_TABLE
    lease_s: float = FUNCTION_TIMEOUT_S
    keep_s: float = KEEP_COMPLETED_S

    def claim(self, key: str, request_hash: str | None = None) -> dict | None:
        """Claim ``key``: None if this caller now holds it, else the live record that is
        there (``status``, ``expires_at``, ``response`` once completed, and the
        ``payload_hash`` of the request that claimed it, if it gave one)."""
        now_s = self.now()
        item = {"id": {"S": key}, "status": {"S": IN_PROGRESS},
                "expires_at": {"N": str(int(now_s + self.lease_s))}}
        if request_hash is not None:
            item["payload_hash"] = {"S": request_hash}
        try:
            self.dynamodb.put_item(
                TableName=self.table,
                Item=item,
                ConditionExpression="attribute_not_exists(id) OR expires_at < :now",
                ExpressionAttributeValues={":now": {"N": str(int(now_s))}},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return _attributes(error.response["Item"])
        return None

    def complete(self, key: str, response: dict, request_hash: str | None = None) -> None:
        """Record the response of the work done under ``key``, for every later duplicate."""
        item = {"id": {"S": key}, "status": {"S": COMPLETED},
                "expires_at": {"N": str(int(self.now() + self.keep_s))},
                "response": {"S": json.dumps(response)}}
        if request_hash is not None:
            item["payload_hash"] = {"S": request_hash}
        self.dynamodb.put_item(TableName=self.table, Item=item)

    def release(self, key: str) -> None:
        """Give up a claim whose work failed (only while it is still in progress)."""
        try:
            self.dynamodb.delete_item(
                TableName=self.table, Key={"id": {"S": key}},
                ConditionExpression="#status = :in_progress",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":in_progress": {"S": IN_PROGRESS}})
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def run_once(self, key: str, work: Callable[[], dict], payload=None) -> dict:
        """``work()``'s response, computed once per key: a duplicate gets the stored
        response, or ``InProgress`` while the first is still at it.

        With ``payload`` (the request), a request that reuses ``key`` with other parameters
        gets ``PayloadMismatch`` instead, whatever state the record is in. Records stored
        without a payload are not checked."""
        request_hash = None if payload is None else payload_hash(payload)
        found = self.claim(key, request_hash)
        if found is not None:
            stored_hash = found.get("payload_hash")
            if request_hash is not None and stored_hash is not None \
                    and stored_hash != request_hash:
                raise PayloadMismatch(
                    f"idempotency key {key!r} was first used for another request: a reused "
                    "key with other parameters is refused, not answered with the first "
                    "request's response")
            if found["status"] == COMPLETED:
                return json.loads(found["response"])
            raise InProgress(key)
        try:
            response = work()
        except Exception:
            self.release(key)
            raise
        self.complete(key, response, request_hash)
        return response


@dataclass
class Charge:
    """One charge a payment API made."""

    charge_id: str
    order_id: str
    amount_cents: int
    idempotency_key: str | None
    at_s: float


FAIL, TIME_OUT = "fail", "time out"  # faults a payment call can be planned to have


@dataclass
class PaymentGateway:
    """A payment API that charges on every call, except a repeated ``idempotency_key``
    within ``key_window_s``, which gets the first call's receipt back.

    Faults, for tests and figures, planned by call number: ``fail_next`` makes calls fail
    before charging (``ConnectionError``); ``time_out_next`` makes them charge and then
    raise ``TimeoutError``, as a read timeout does when the request got through;
    ``during_next`` and ``during_call`` run an action inside a call, after it has charged
    (another invocation's turn, or a crash).
    """

    now: Callable[[], float]
    rng: random.Random = field(default_factory=lambda: random.Random(8))
    key_window_s: float = GATEWAY_KEY_WINDOW_S
    charges: list[Charge] = field(default_factory=list)
    calls: int = 0
    _by_key: dict[str, Charge] = field(default_factory=dict)
    _plan: dict[int, str | Callable[[], None]] = field(default_factory=dict)

    def charge(self, order_id: str, amount_cents: int, idempotency_key: str | None = None
               ) -> dict:
        """Charge ``amount_cents`` for ``order_id``; the receipt is a plain dict."""
        self.calls += 1
        fault = self._plan.pop(self.calls, None)
        if fault == FAIL:
            raise ConnectionError("the payment API could not be reached: nothing was charged")
        made = self._charge(str(order_id), int(amount_cents), idempotency_key)
        if callable(fault):
            fault()
        if fault == TIME_OUT:
            raise TimeoutError("the payment API did not answer in time (it did charge)")
        return {"charge_id": made.charge_id, "order_id": made.order_id,
                "amount_cents": made.amount_cents}

    def _charge(self, order_id: str, amount_cents: int, key: str | None) -> Charge:
        now_s = self.now()
        earlier = self._by_key.get(key) if key is not None else None
        if earlier is not None and now_s - earlier.at_s < self.key_window_s:
            return earlier
        made = Charge(f"ch_{self.rng.getrandbits(48):012x}", order_id, amount_cents, key, now_s)
        self.charges.append(made)
        if key is not None:
            self._by_key[key] = made
        return made

    def fail_next(self, calls: int = 1, after: int = 0) -> None:
        """``calls`` calls, ``after`` calls from now, fail before charging anything."""
        for number in range(calls):
            self._plan[self.calls + after + number + 1] = FAIL

    def time_out_next(self, calls: int = 1, after: int = 0) -> None:
        """``calls`` calls, ``after`` calls from now, charge and then time out: the caller
        cannot tell whether the charge went through."""
        for number in range(calls):
            self._plan[self.calls + after + number + 1] = TIME_OUT

    def during_next(self, action: Callable[[], None]) -> None:
        """Run ``action`` inside the next call, once it has charged."""
        self.during_call(self.calls + 1, action)

    def during_call(self, number: int, action: Callable[[], None]) -> None:
        """Run ``action`` inside call ``number`` (counting from the first), once it has
        charged."""
        self._plan[number] = action

    def times_charged(self) -> Counter:
        """How many times each order was charged."""
        return Counter(charge.order_id for charge in self.charges)
