"""A poison pill, and handlers that meet it: the workload of chapter 4's stories and of
lab 04's tests.

``POISON`` is a record no parser accepts; ``parse_order`` is the business logic that fails
on it for good. The handlers take Lambda's own event shapes (Kinesis and SQS) and either
report the failed item (``ReportBatchItemFailures``) or raise, failing the whole batch.
"""

from __future__ import annotations

import base64
import json

POISON = b'{"order": "#%$!'  # a record no parser will ever accept


class PoisonRecord(ValueError):
    """A record that can never be processed, however often it is retried."""


def parse_order(data: bytes) -> dict:
    """The story's business logic: parse an order, or fail for good on a poison pill."""
    try:
        return json.loads(data)
    except ValueError:
        raise PoisonRecord(f"not an order: {data[:20]!r}") from None


def kinesis_handler(process=parse_order, *, report: bool = True):
    """A Kinesis handler that processes records in order and, at the first failure, stops
    and reports that record's sequence number (with ``report``), or raises (without)."""

    def handler(event, context):
        for record in event["Records"]:
            try:
                process(base64.b64decode(record["kinesis"]["data"]))
            except Exception:
                if not report:
                    raise
                return {"batchItemFailures": [
                    {"itemIdentifier": record["kinesis"]["sequenceNumber"]}]}
        return {"batchItemFailures": []}

    return handler


def sqs_handler(process=parse_order, *, report: bool = True):
    """An SQS handler that tries every message and reports the ones that failed by
    messageId (with ``report``), or raises at the first failure (without)."""

    def handler(event, context):
        failures = []
        for record in event["Records"]:
            try:
                process(record["body"].encode())
            except Exception:
                if not report:
                    raise
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    return handler
