"""Chapter 9's two pipelines: one that holds under chaos, and a naive one that does not.

Both are ``pipeline.Parts``. The one that holds puts the earlier chapters together:

- ``admit_in_time`` (chapter 5): let a request in only if the door can answer it before
  its client gives up; refuse the rest at once;
- ``send_orders_until_deadline`` (chapters 1-3): PutRecords, resend only the failed
  records, full jitter, a retry budget, and stop at the deadline;
- ``make_careful_handler`` (chapters 4 and 8): charge with the order id as the idempotency
  key, set aside what can never succeed, report the first transient failure so the
  mapping retries from there, and stop before the function's time is up;
- ``careful_mapping``: report item failures, bisect, bounded retries, a destination;
- ``symptom_alarms``: alarm on what users feel (stale orders, failed orders, refused
  requests), not on causes that retries absorb.

The naive parts are what a first draft looks like: let everyone in, write once and call it
done, charge without a key and raise on any error, take the mapping's defaults, and alarm on
every error.
"""

from __future__ import annotations

import base64
import json

from botocore.exceptions import BotoCoreError, ClientError

from resilience.invariants import AVAILABILITY_OBJECTIVE, FRESHNESS_OBJECTIVE_S
from resilience.pipeline import (
    ALARMS,
    FLUSH_INTERVAL_S,
    PRODUCER_DEADLINE_S,
    SERVICE_CLIENT_READ_TIMEOUT_S,
    Door,
    Parts,
    Period,
    Request,
)

__all__ = ["CAREFUL", "NAIVE", "admit_in_time", "send_orders_until_deadline",
           "make_careful_handler", "careful_mapping", "symptom_alarms"]

PRODUCER_BASE_S = 0.05  # the producer's first backoff ceiling
PRODUCER_CAP_S = 0.5  # and its largest
PAYMENT_TIMEOUT_S = 1.0  # how long the consumer waits for the payment API
TIME_TO_STOP_S = 3.0  # the consumer stops taking new orders this long before its timeout


# -- the pipeline that holds ---------------------------------------------------------------------


def admit_in_time(request: Request, door: Door) -> bool:
    """Admit a request only if it can be served, and written, before its client gives up."""
    served_by_s = door.now_s + (door.queued + 1) / door.capacity_per_s
    return served_by_s + FLUSH_INTERVAL_S + PRODUCER_DEADLINE_S < request.deadline_s


def send_orders_until_deadline(kinesis, stream, orders, *, clock, rng, budget, deadline_s):
    """Write ``orders`` with PutRecords; resend only the records that failed, after a full
    jitter wait, while the budget and the deadline allow. Returns the ids written."""
    budget.deposit()
    pending, written, attempt = list(orders), [], 0
    while pending:
        failed = pending
        try:
            response = kinesis.put_records(StreamName=stream, Records=[
                {"Data": json.dumps(order).encode(), "PartitionKey": order["order_id"]}
                for order in pending])
            failed = [order for order, result in zip(pending, response["Records"], strict=True)
                      if "ErrorCode" in result]
            written += [order["order_id"] for order, result in zip(
                pending, response["Records"], strict=True) if "ErrorCode" not in result]
        except (ClientError, BotoCoreError):
            pass  # the whole call failed: every record is still to write
        pending, attempt = failed, attempt + 1
        wait_s = rng.uniform(0, min(PRODUCER_CAP_S, PRODUCER_BASE_S * 2 ** attempt))
        if not pending or clock.now() + wait_s + SERVICE_CLIENT_READ_TIMEOUT_S > deadline_s or (
                not budget.try_spend()):  # no time for another call to finish, or no budget
            break
        clock.sleep(wait_s)
    return written


def make_careful_handler(*, payments, dynamodb, sqs, table, failure_queue_url):
    """A Kinesis handler that charges each order once and stores it, sets aside what can
    never succeed, and reports the first record to retry."""

    def set_aside(order, reason):
        sqs.send_message(QueueUrl=failure_queue_url,
                         MessageBody=json.dumps({"order": order, "reason": reason}))

    def charge(order) -> bool:
        """Charge once; False if the order can never be charged (set aside)."""
        try:
            payments.charge(order["order_id"], order["amount_cents"],
                            idempotency_key=order["order_id"], timeout_s=PAYMENT_TIMEOUT_S)
        except ValueError as error:
            set_aside(order, str(error))
            return False
        return True

    def store(charged: list[tuple[str, dict]]) -> str | None:
        """Store the charged orders in one batch; the first sequence number not stored.
        An order written twice to the stream appears twice in a batch: BatchWriteItem
        refuses a request that names one key twice, so each order goes in once."""
        first_of: dict[str, str] = {}
        requests = []
        for number, order in charged:
            if order["order_id"] not in first_of:
                first_of[order["order_id"]] = number
                requests.append({"PutRequest": {"Item": {
                    "id": {"S": order["order_id"]}, "customer": {"S": order["customer"]},
                    "amount_cents": {"N": str(order["amount_cents"])}}}})
        try:
            left = dynamodb.batch_write_item(RequestItems={table: requests}).get(
                "UnprocessedItems", {}).get(table, [])
        except (ClientError, BotoCoreError):
            return charged[0][0]
        unstored = [first_of[r["PutRequest"]["Item"]["id"]["S"]] for r in left]
        return min(unstored, key=int) if unstored else None

    def handler(event, context):
        charged, failed = [], None
        for record in event["Records"]:
            number = record["kinesis"]["sequenceNumber"]
            if context.get_remaining_time_in_millis() < TIME_TO_STOP_S * 1000:
                failed = number
                break
            order = json.loads(_data(record))
            try:
                if charge(order):
                    charged.append((number, order))
            except (ConnectionError, TimeoutError, ClientError, BotoCoreError):
                failed = number
                break
        unstored = store(charged) if charged else None
        first = unstored or failed
        return {"batchItemFailures": [{"itemIdentifier": first}] if first else []}

    return handler


def _data(record) -> bytes:
    """A Kinesis event record's data, decoded."""
    return base64.b64decode(record["kinesis"]["data"])


def careful_mapping(stream_arn, failure_queue_arn):
    """Report item failures; retry a while, then send what is left to the destination."""
    return {"EventSourceArn": stream_arn, "StartingPosition": "TRIM_HORIZON",
            "BatchSize": 25, "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "BisectBatchOnFunctionError": True, "MaximumRetryAttempts": 100,
            "MaximumRecordAgeInSeconds": 3600,
            "DestinationConfig": {"OnFailure": {"Destination": failure_queue_arn}}}


def symptom_alarms(period: Period) -> list[str]:
    """Alarm on what users feel: stale orders, failed orders, requests that did not succeed."""
    fired = []
    if period.iterator_age_s > FRESHNESS_OBJECTIVE_S:
        fired.append("freshness")
    if period.failure_queue_depth > 0:
        fired.append("failures")
    if period.offered and period.acked < AVAILABILITY_OBJECTIVE * period.offered:
        fired.append("availability")
    return fired


CAREFUL = Parts(admit_in_time, send_orders_until_deadline, make_careful_handler,
                careful_mapping, symptom_alarms)


# -- the naive pipeline ------------------------------------------------------------------------


def admit_everyone(request: Request, door: Door) -> bool:
    """Let every request in: the queue takes what comes."""
    return True


def send_orders_once(kinesis, stream, orders, *, clock, rng, budget, deadline_s):
    """One PutRecords call, and every order counted as written."""
    kinesis.put_records(StreamName=stream, Records=[
        {"Data": json.dumps(order).encode(), "PartitionKey": order["order_id"]}
        for order in orders])
    return [order["order_id"] for order in orders]


def make_naive_handler(*, payments, dynamodb, sqs, table, failure_queue_url):
    """Charge and store every order; any error fails the batch."""

    def handler(event, context):
        for record in event["Records"]:
            order = json.loads(_data(record))
            payments.charge(order["order_id"], order["amount_cents"])
            dynamodb.put_item(TableName=table, Item={"id": {"S": order["order_id"]}})

    return handler


def default_mapping(stream_arn, failure_queue_arn):
    """Lambda's defaults: retry a failed batch until its records expire."""
    return {"EventSourceArn": stream_arn, "StartingPosition": "TRIM_HORIZON"}


def error_alarms(period: Period) -> list[str]:
    """Alarm on every error anywhere."""
    errors = period.put_failures + period.function_errors + period.payment_errors
    return list(ALARMS) if errors else []


NAIVE = Parts(admit_everyone, send_orders_once, make_naive_handler, default_mapping,
              error_alarms)
