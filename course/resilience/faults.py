"""Fault injection on boto3 clients, through botocore's event system.

moto answers every call and never fails one. ``FaultInjector`` sits on one client and
makes chosen calls fail the way AWS fails them, so the client's own code (and botocore's
retry logic) sees exactly what it would see in production:

- ``throttle``: HTTP 400 with the service's throttling error code;
- ``server_error``: HTTP 500/503;
- ``timeout``: ``ReadTimeoutError`` after the client's read timeout, in simulated time;
  with ``delivered=True`` the service still did the work (a real timeout does not cancel
  the request, so a retry may do it twice);
- ``latency``: simulated time passes before the answer; past the read timeout, the call
  times out (a hang is a ``timeout``: the answer never comes);
- ``unreachable``: ``ConnectTimeoutError`` after the client's connect timeout; nothing was
  sent, so nothing was done;
- ``drop``: a dropped connection: ``EndpointConnectionError`` before the request went out
  (nothing was done), or ``ConnectionClosedError`` after it went out (``delivered=True``:
  the service did the work, but its answer never came back);
- ``error``: any other error the service answers with, by its code and HTTP status (a
  ``ConditionalCheckFailedException``, a ``ValidationException``, ...);
- ``fail_entries``: a batch call succeeds (HTTP 200) while some of its entries fail, in each
  API's own shape: Kinesis PutRecords ``FailedRecordCount`` and per-record ``ErrorCode``,
  SQS ``Failed`` entries, DynamoDB BatchWriteItem ``UnprocessedItems``;
- ``shard_limits``: Kinesis's per-shard write limits (1,000 records and 1 MiB a second),
  in simulated time: a burst really gets a partial failure from a moto stream.

Each rule fires for the first N matching calls, at a rate (under a seed), or inside a
window of simulated time. How it works: moto serves calls from a ``before-send`` handler;
on this client we take that handler out and put ours in, which fails the call or hands
it to moto. (Returning an error from a second handler would not stop moto from also
doing the work.)
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.client import BaseClient
from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from resilience.aws import shards
from resilience.aws.facts import (
    ACCOUNT_ID,
    BATCH_WRITE_ITEM_MAX_ITEMS,
    KINESIS_SHARD_BYTES_PER_S,
    KINESIS_SHARD_RECORDS_PER_S,
    PUT_RECORDS_MAX_BYTES,
    PUT_RECORDS_MAX_RECORDS,
    SQS_BATCH_MAX_ENTRIES,
)
from resilience.aws.kinesisgaps import PUT_RECORDS_TOO_LARGE
from resilience.clock import DEFAULT_SEED, SimClock

__all__ = [  # what chapters and labs import from this module
    "FaultInjector",
    "Rule",
    "CallRecord",
    "THROTTLING_CODES",
    "SERVER_ERRORS",
    "ENTRY_FAILURE_CODES",
]

# The error code each service really returns when it throttles a caller.
THROTTLING_CODES = {
    "dynamodb": "ProvisionedThroughputExceededException",
    "kinesis": "ProvisionedThroughputExceededException",
    "sqs": "ThrottlingException",
}
DEFAULT_THROTTLING_CODE = "ThrottlingException"
OUTCOMES = {"throttle": "throttled", "server_error": "server_error", "error": "error"}
SERVER_ERRORS = {500: "InternalServerError", 503: "ServiceUnavailable"}
# The code a failed entry of a batch call carries when the service itself failed it.
ENTRY_FAILURE_CODES = {"kinesis": "InternalFailure", "sqs": "InternalError"}
KINESIS_MESSAGES = {
    "InternalFailure": "Internal service failure.",
    "ProvisionedThroughputExceededException": "Rate exceeded for shard {shard} in stream "
                                              "{stream} under account " + ACCOUNT_ID + ".",
}


@dataclass
class Rule:
    """One kind of fault and when it fires."""

    kind: str  # throttle, server_error, error, timeout, unreachable, drop, latency or entry
    operation: str | None = None  # e.g. "PutItem"; None matches every operation
    first: int | None = None  # fire on the first N matching calls only
    rate: float | None = None  # fire with this probability per matching call
    between_s: tuple[float, float] | None = None  # fire while clock time is in [start, end)
    code: str | None = None
    status: int = 400
    delivered: bool = False  # for timeouts: did the service do the work anyway?
    latency_s: float | Callable[[random.Random], float] = 0.0
    when: Callable[[dict], bool] | None = None  # entry rules: which entries it may fail
    sender_fault: bool = False  # entry rules (SQS): the caller's fault, not worth a retry
    matched: int = 0

    def fires(self, operation: str, now_s: float, rng: random.Random,
              entry: dict | None = None) -> bool:
        """Does this rule apply to this call (or to this entry of a batch call)? Counts the
        call or entry if it matches."""
        if self.operation not in (None, operation):
            return False
        if self.when is not None and (entry is None or not self.when(entry)):
            return False
        self.matched += 1
        if self.first is not None and self.matched > self.first:
            return False
        if self.between_s is not None and not self.between_s[0] <= now_s < self.between_s[1]:
            return False
        if self.rate is not None and rng.random() >= self.rate:
            return False
        return True


@dataclass
class CallRecord:
    """What happened to one call that went through the fault layer."""

    operation: str
    outcome: str  # ok, partial, throttled, server_error, error, timeout, unreachable,
    # dropped or invalid
    at_s: float
    entries: int = 0  # batch calls: entries sent
    failed: int = 0  # batch calls: entries that failed
    payload_bytes: int = 0  # Kinesis: data plus partition keys, as the limits count them


@dataclass
class FaultInjector:
    """Injects faults into the calls of one boto3 client created inside a sandbox."""

    client: BaseClient
    clock: SimClock = field(default_factory=SimClock)
    rng: random.Random = field(default_factory=lambda: random.Random(DEFAULT_SEED))
    rules: list[Rule] = field(default_factory=list)
    entry_rules: list[Rule] = field(default_factory=list)
    calls: list[CallRecord] = field(default_factory=list)
    limits: dict[str, shards.ShardWriteLimits] | None = None  # per stream, once enabled
    _limit_rates: tuple[float, float] = (KINESIS_SHARD_RECORDS_PER_S, KINESIS_SHARD_BYTES_PER_S)
    _ranges: dict[str, list] = field(default_factory=dict, repr=False)  # shard hash ranges

    def __post_init__(self):
        from moto.core.models import botocore_stubber

        self._moto = botocore_stubber
        events = self.client.meta.events
        events.unregister("before-send", botocore_stubber)
        events.register("before-send", self._before_send)
        self._service = self.client.meta.service_model.service_name
        if self.client.meta.service_model.protocol not in ("json", "rest-json"):
            raise ValueError(
                f"fault injection supports JSON-protocol services, not {self._service}")

    # -- the rules a chapter adds -------------------------------------------------------

    def throttle(self, operation=None, *, first=None, rate=None, between_s=None, code=None):
        """Fail matching calls as the service does when a caller goes over its limits."""
        code = code or THROTTLING_CODES.get(self._service, DEFAULT_THROTTLING_CODE)
        return self._add(Rule("throttle", operation, first, rate, between_s, code=code))

    def server_error(self, operation=None, *, first=None, rate=None, between_s=None,
                     status=500):
        """Fail matching calls with a 5xx, which is always worth retrying."""
        rule = Rule("server_error", operation, first, rate, between_s,
                    code=SERVER_ERRORS.get(status, "InternalFailure"), status=status)
        return self._add(rule)

    def timeout(self, operation=None, *, first=None, rate=None, between_s=None,
                delivered=False):
        """Time out matching calls after the client's read timeout (simulated)."""
        rule = Rule("timeout", operation, first, rate, between_s, delivered=delivered)
        return self._add(rule)

    def unreachable(self, operation=None, *, first=None, rate=None, between_s=None):
        """Fail matching calls to connect, after the client's connect timeout (simulated)."""
        return self._add(Rule("unreachable", operation, first, rate, between_s))

    def drop(self, operation=None, *, first=None, rate=None, between_s=None,
             delivered=False):
        """Drop the connection of matching calls: before the request went out
        (``EndpointConnectionError``, nothing done), or, with ``delivered``, after the
        service did the work (``ConnectionClosedError``: a retry may do it twice)."""
        return self._add(Rule("drop", operation, first, rate, between_s, delivered=delivered))

    def error(self, code, operation=None, *, first=None, rate=None, between_s=None,
              status=400):
        """Answer matching calls with the error ``code`` (HTTP ``status``), without doing
        the work: a ``ConditionalCheckFailedException`` on any write, say."""
        return self._add(Rule("error", operation, first, rate, between_s, code=code,
                              status=status))

    def latency(self, seconds, operation=None, *, first=None, rate=None, between_s=None):
        """Delay matching calls by ``seconds`` (a number, or a function of the rng)."""
        return self._add(Rule("latency", operation, first, rate, between_s, latency_s=seconds))

    def fail_entries(self, operation=None, *, first=None, rate=None, between_s=None,
                     when=None, code=None, sender_fault=False):
        """Fail matching entries of batch calls while the call itself succeeds.

        ``first`` and ``rate`` count entries, not calls; ``when(entry)`` picks entries (a
        Kinesis record with its ``Data`` as bytes, an SQS entry, or a DynamoDB request
        with its ``TableName``). DynamoDB leaves them in ``UnprocessedItems``, which has
        no code; SQS marks them ``SenderFault`` when ``sender_fault`` is set.
        """
        if operation is not None and (self._service, operation) not in BATCHES:
            raise ValueError(f"{operation} is not a batch operation the fault layer knows")
        rule = Rule("entry", operation, first, rate, between_s, when=when,
                    code=code or ENTRY_FAILURE_CODES.get(self._service),
                    sender_fault=sender_fault)
        self.entry_rules.append(rule)
        return rule

    def shard_limits(self, *, records_per_s=KINESIS_SHARD_RECORDS_PER_S,
                     bytes_per_s=KINESIS_SHARD_BYTES_PER_S) -> None:
        """Enforce Kinesis's per-shard write limits on PutRecords and PutRecord."""
        if self._service != "kinesis":
            raise ValueError("shard limits are a Kinesis behaviour")
        self.limits = {}
        self._limit_rates = (records_per_s, bytes_per_s)

    def clear(self) -> None:
        """Remove every rule and limit: calls go straight to moto again."""
        self.rules.clear()
        self.entry_rules.clear()
        self.limits = None

    def outcomes(self, operation=None) -> list[str]:
        """The outcome of each call so far, optionally for one operation."""
        return [c.outcome for c in self.calls if operation in (None, c.operation)]

    def _add(self, rule: Rule) -> Rule:
        self.rules.append(rule)
        return rule

    # -- the before-send handler --------------------------------------------------------

    def _before_send(self, request, **kwargs):
        operation = request.context.get("operation_name") or _operation_of(request)
        now_s = self.clock.now()
        for rule in self.rules:
            if rule.fires(operation, now_s, self.rng):
                return self._apply(rule, request, operation)
        return self._serve(request, operation, "ok")

    def _apply(self, rule: Rule, request, operation: str):
        read_timeout_s = self.client.meta.config.read_timeout
        if rule.kind == "latency":
            delay_s = rule.latency_s(self.rng) if callable(rule.latency_s) else rule.latency_s
            if delay_s < read_timeout_s:
                self.clock.advance(delay_s)
                return self._serve(request, operation, "ok")
            rule = Rule("timeout", delivered=True)
        if rule.kind == "timeout":
            self.clock.advance(read_timeout_s)
            if rule.delivered:
                self._moto(event_name="before-send", request=request)
            self._record(operation, "timeout")
            raise ReadTimeoutError(endpoint_url=request.url)
        if rule.kind == "unreachable":
            self.clock.advance(self.client.meta.config.connect_timeout)
            self._record(operation, "unreachable")
            raise ConnectTimeoutError(endpoint_url=request.url)
        if rule.kind == "drop":
            if rule.delivered:
                self._moto(event_name="before-send", request=request)
            self._record(operation, "dropped")
            error = ConnectionClosedError if rule.delivered else EndpointConnectionError
            raise error(endpoint_url=request.url)
        self._record(operation, OUTCOMES[rule.kind])
        assert rule.code is not None  # throttle(), server_error() and error() always give one
        return _error_response(request, rule.status, rule.code)

    def _serve(self, request, operation: str, outcome: str):
        batch = BATCHES.get((self._service, operation))
        if batch is not None:
            return self._serve_batch(batch, request, operation)
        if operation == "PutRecord" and self.limits is not None:
            record = json.loads(request.body)
            failure = self._over_shard_limit(self.limits, record, record)
            if failure is not None:
                self._record(operation, "throttled")
                return _error_response(request, 400, failure[0], failure[1])
        self._record(operation, outcome)
        return self._moto(event_name="before-send", request=request)

    def _serve_batch(self, batch: type[_Batch], request, operation: str):
        """Send moto only the entries that did not fail, then answer as the API does: the
        call succeeds and the failed entries are reported in its response."""
        body = json.loads(request.body)
        entries = batch.entries(body)
        if len(entries) > batch.max_entries:  # moto does not check every API's limit
            self._record(operation, "invalid", entries)
            return _error_response(request, 400, "ValidationException",
                                   f"Too many entries in one {operation} call: "
                                   f"{len(entries)} (at most {batch.max_entries})")
        if batch.too_large(entries):  # refused whole, before any entry can fail
            self._record(operation, "invalid", entries)
            return _error_response(request, 400, "InvalidArgumentException",
                                   PUT_RECORDS_TOO_LARGE)
        failures = {}
        for index, entry in enumerate(entries):
            failure = self._entry_failure(operation, entry, body)
            if failure is not None:
                failures[index] = failure
        kept = [i for i in range(len(entries)) if i not in failures]
        served = None
        if kept:
            response = self._moto(event_name="before-send",
                                  request=_with_body(request, batch.keep(body, kept)))
            if response.status_code != 200 or not failures:
                self._record(operation, "ok" if response.status_code == 200 else "invalid",
                             entries)
                return response
            served = json.loads(response.content)
        self._record(operation, "partial", entries, len(failures))
        answer = batch.answer(served, entries, failures)
        return _json_response(request, 200, answer)

    def _entry_failure(self, operation: str, entry: dict, body: dict):
        """(code, message, sender_fault) if this entry of a batch call fails, else None."""
        for rule in self.entry_rules:
            if rule.fires(operation, self.clock.now(), self.rng, entry):
                message = KINESIS_MESSAGES.get(rule.code or "", f"Injected fault: {rule.code}")
                return rule.code, message, rule.sender_fault
        if self.limits is not None and self._service == "kinesis":
            return self._over_shard_limit(self.limits, entry, body)
        return None

    def _over_shard_limit(self, limits: dict[str, shards.ShardWriteLimits], record: dict,
                          body: dict):
        """The failure of a Kinesis record its shard has no room for this second, or None."""
        stream = body.get("StreamName") or body.get("StreamARN", "").rsplit("/", 1)[-1]
        data = record["Data"] if isinstance(record["Data"], bytes) else base64.b64decode(
            record["Data"])
        if stream not in limits:
            self._ranges[stream] = _shard_ranges(stream)
            limits[stream] = shards.ShardWriteLimits(len(self._ranges[stream]),
                                                          *self._limit_rates)
        ranges = self._ranges[stream]
        shard = shards.shard_for(
            shards.hash_key(record["PartitionKey"], record.get("ExplicitHashKey")), ranges)
        size = shards.record_bytes(data, record["PartitionKey"])
        if limits[stream].admit(shard, size, self.clock.now()):
            return None
        code = "ProvisionedThroughputExceededException"
        return code, KINESIS_MESSAGES[code].format(
            shard=f"shardId-{shard:012d}", stream=stream), False

    def _record(self, operation: str, outcome: str, entries=(), failed: int = 0) -> None:
        payload = sum(shards.record_bytes(e["Data"], e["PartitionKey"]) for e in entries
                      if self._service == "kinesis")
        self.calls.append(CallRecord(operation, outcome, self.clock.now(), len(entries),
                                     failed, payload))


# -- batch calls, in each API's own shape ------------------------------------------------


class _Batch:
    """How one batch API lists its entries and reports the ones that failed."""

    max_entries: int  # entries one call may carry

    @staticmethod
    def too_large(entries: list[dict]) -> bool:
        """Is the call over the API's request size limit? (Only PutRecords has one here.)"""
        return False

    @staticmethod
    def entries(body: dict) -> list[dict]:
        """The request's entries, in order, as the ``when`` of an entry rule sees them."""
        raise NotImplementedError

    @staticmethod
    def keep(body: dict, kept: list[int]) -> dict:
        """The request with only the entries at ``kept``."""
        raise NotImplementedError

    @staticmethod
    def answer(served: dict | None, entries: list[dict], failures: dict) -> dict:
        """The response: moto's for the kept entries (None if none were kept), merged
        with the failures ({index: (code, message, sender_fault)})."""
        raise NotImplementedError


class _KinesisPutRecords(_Batch):
    max_entries = PUT_RECORDS_MAX_RECORDS

    @staticmethod
    def too_large(entries):
        return sum(shards.record_bytes(e["Data"], e["PartitionKey"])
                   for e in entries) > PUT_RECORDS_MAX_BYTES

    @staticmethod
    def entries(body):
        return [dict(r, Data=base64.b64decode(r["Data"])) for r in body.get("Records", [])]

    @staticmethod
    def keep(body, kept):
        return dict(body, Records=[body["Records"][i] for i in kept])

    @staticmethod
    def answer(served, entries, failures):
        succeeded = iter((served or {}).get("Records", []))
        records = [{"ErrorCode": failures[i][0], "ErrorMessage": failures[i][1]}
                   if i in failures else next(succeeded) for i in range(len(entries))]
        return {"FailedRecordCount": len(failures), "Records": records,
                "EncryptionType": (served or {}).get("EncryptionType", "NONE")}


class _SqsBatch(_Batch):
    max_entries = SQS_BATCH_MAX_ENTRIES

    @staticmethod
    def entries(body):
        return list(body.get("Entries", []))

    @staticmethod
    def keep(body, kept):
        return dict(body, Entries=[body["Entries"][i] for i in kept])

    @staticmethod
    def answer(served, entries, failures):
        failed = [{"Id": entries[i]["Id"], "SenderFault": sender_fault, "Code": code,
                   "Message": message}
                  for i, (code, message, sender_fault) in sorted(failures.items())]
        return {"Successful": (served or {}).get("Successful", []),
                "Failed": (served or {}).get("Failed", []) + failed}


class _DynamoDBBatchWrite(_Batch):
    max_entries = BATCH_WRITE_ITEM_MAX_ITEMS

    @staticmethod
    def entries(body):
        return [dict(request, TableName=table)
                for table, requests in body.get("RequestItems", {}).items()
                for request in requests]

    @staticmethod
    def keep(body, kept):
        entries = _DynamoDBBatchWrite.entries(body)
        items = {}
        for i in kept:
            request = dict(entries[i])
            items.setdefault(request.pop("TableName"), []).append(request)
        return dict(body, RequestItems=items)

    @staticmethod
    def answer(served, entries, failures):
        unprocessed = {table: list(requests) for table, requests
                       in (served or {}).get("UnprocessedItems", {}).items()}
        for i in sorted(failures):
            request = dict(entries[i])
            unprocessed.setdefault(request.pop("TableName"), []).append(request)
        return dict(served or {}, UnprocessedItems=unprocessed)


BATCHES: dict[tuple[str, str], type[_Batch]] = {
    ("kinesis", "PutRecords"): _KinesisPutRecords,
    ("sqs", "SendMessageBatch"): _SqsBatch,
    ("sqs", "DeleteMessageBatch"): _SqsBatch,
    ("dynamodb", "BatchWriteItem"): _DynamoDBBatchWrite,
}


def _shard_ranges(stream: str) -> list[tuple[int, int]]:
    """Each open shard's hash key range, as the moto stream reports it."""
    from resilience.sandbox import aws_session

    kinesis = aws_session().client("kinesis")
    listed = kinesis.list_shards(StreamName=stream)["Shards"]
    return [(int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"]))
            for s in listed if "EndingSequenceNumber" not in s["SequenceNumberRange"]]


def _operation_of(request) -> str:
    """The API operation of a JSON-protocol request, from its X-Amz-Target header."""
    target = request.headers.get("X-Amz-Target", b"")
    if isinstance(target, bytes):
        target = target.decode()
    return target.rsplit(".", 1)[-1]


def _json_response(request, status: int, body: dict) -> AWSResponse:
    """A response shaped as a JSON-protocol AWS service sends it."""
    from moto.core.botocore_stubber import MockRawResponse

    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "fault"}
    return AWSResponse(request.url, status, headers, MockRawResponse(json.dumps(body)))


def _error_response(request, status: int, code: str, message: str = "") -> AWSResponse:
    """An error response shaped as a JSON-protocol AWS service sends it."""
    return _json_response(request, status,
                          {"__type": code, "message": message or f"Injected fault: {code}"})


def _with_body(request, body: dict) -> AWSPreparedRequest:
    """A copy of a prepared request carrying another JSON body."""
    data = json.dumps(body).encode()
    headers = dict(request.headers, **{"Content-Length": str(len(data))})
    return AWSPreparedRequest(request.method, request.url, headers, data,
                              request.stream_output)
