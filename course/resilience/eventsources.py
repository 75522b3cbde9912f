"""Lambda event source mappings for Kinesis and SQS, emulated over moto in simulated time.

moto stores event source mappings but never runs them, and runs no Lambda code without
Docker. These emulators do what Lambda's pollers do: read a moto stream or queue, invoke a
plain Python handler ``handler(event, context)`` with the event exactly as Lambda shapes it,
and act on the outcome as AWS documents, with the mapping's parameters under AWS's own
names (``BatchSize``, ``MaximumRetryAttempts``, ...) and defaults. A handler written for
AWS, aws-lambda-powertools' batch utilities included, runs unmodified.

Time is simulated (a ``Timeline`` on the sandbox's ``SimClock``): a day of retries runs in
a second, and the same inputs give the same run every time.

The parameters: a mapping takes every parameter CreateEventSourceMapping takes for its kind
of source, and refuses what Lambda refuses (``resilience.aws.mappingparams``).

What the emulators model, from the Lambda developer guide:

- Both: ``Enabled`` false polls nothing until ``enable()``; ``FilterCriteria`` passes a
  record on only if it matches one of the filters (EventBridge's pattern rules, with the
  operators Lambda's event filtering lists), its data (a Kinesis record's ``data``, an SQS
  message's ``body``) read as JSON when it is JSON; what no filter matches is dropped, and
  for SQS deleted from the queue, as Lambda does (``Metrics.filtered`` counts them).
- Kinesis: each shard read in order, once a second when idle; a failed batch retried until
  it succeeds, its records expire with the stream's retention, they pass
  ``MaximumRecordAgeInSeconds``, or the retries pass ``MaximumRetryAttempts`` (both -1,
  unbounded, by default); ``BisectBatchOnFunctionError`` splits a failed batch in two
  without counting a retry; discarded batches go to the ``OnFailure`` destination (an SQS
  queue, an SNS topic or an S3 bucket) as Lambda's invocation record, which names the
  records but does not hold them; with ``ReportBatchItemFailures`` the checkpoint moves to
  the lowest failed sequence number and the retry starts there; ``ParallelizationFactor``
  lanes keep each partition key in order; with ``MaximumBatchingWindowInSeconds`` a lane
  waits (reading once a second) until it holds ``BatchSize`` records or the window that its
  first record opened closes; ``StartingPosition`` ``LATEST`` and ``AT_TIMESTAMP`` (with
  ``StartingPositionTimestamp``) read from where they say.
- SQS: a mapping whose function timeout exceeds the queue's visibility timeout is refused,
  when it is made or enabled, as Lambda refuses it on CreateEventSourceMapping and
  UpdateEventSourceMapping; pollers receive up to ``BatchSize`` messages; success deletes
  the batch; an error (a function timeout too) leaves every message to reappear after the
  visibility timeout (and to move to the queue's dead-letter queue after
  ``maxReceiveCount`` receives, which moto does); with ``ReportBatchItemFailures`` only the
  listed messages stay; an invalid partial response fails the whole batch;
  ``ScalingConfig``'s ``MaximumConcurrency`` sets the pollers.

Accepted, checked, and not modelled: ``TumblingWindowInSeconds`` (no window state is passed
to the handler); ``MaximumBatchingWindowInSeconds`` on SQS (messages are handed over as soon
as they are received; the window changes timing and batch sizes only); the 6 MB payload
limit of a batch; ``MetricsConfig`` (no CloudWatch metrics), ``KMSKeyArn`` (nothing is
encrypted), ``Tags`` and ``ProvisionedPollerConfig``; ``FunctionName`` (only its form is
checked: the mapping invokes the function it is given); ``EventSourceArn`` must name the
stream (or one of its consumers, read as the stream is) or queue the mapping reads. An S3
destination gets one object a discarded batch, under a key of the emulator's own, without
the payload AWS adds there. AWS requires ``StartingPosition`` for a stream; the emulator
defaults it to ``TRIM_HORIZON``. The filters also see the record's other fields (a Kinesis
record's ``partitionKey``, an SQS message's ``attributes``), as the guide's first examples
did; the guide now documents filtering on the data alone.

Where AWS documents no number, the model says so: failed Kinesis batches are retried at the
one-second polling rhythm; a discarded batch past its maximum age is reported with the
condition ``RecordAgeExceeded`` (AWS's documentation shows only ``RetryAttemptsExhausted``);
records that expire from the stream are lost, not reported; SQS pollers do not scale with
load (five unless ``ScalingConfig`` says otherwise). Where AWS documents no behaviour, the
model makes an assumption and says so: under ``ParallelizationFactor``, records go to lanes
by a hash of their partition key, each lane retries its own failed batch while the shard's
other lanes read on (AWS documents only that order is kept per partition key). Lambda
itself is never throttled here, so the reason AWS recommends a visibility timeout of six
times the function timeout (room to retry a throttled batch) does not show.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import heapq
import json
import uuid
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from botocore.client import BaseClient
from botocore.utils import parse_to_aware_datetime

from resilience.aws.eventfilters import kinesis_filter_view, passes_filters, sqs_filter_view
from resilience.aws.facts import (
    LAMBDA_DEFAULT_TIMEOUT_S,
    REGION,
    REPORT_BATCH_ITEM_FAILURES,
    SECONDS_PER_HOUR,
    SQS_BATCH_MAX_ENTRIES,
    arn,
    function_arn,
)
from resilience.aws.mappingparams import (
    InvalidParameterValue,
    arn_service,
    expect_source,
    expect_timeout_within_visibility,
    filter_patterns,
    kinesis_config,
    on_failure_arn,
    refuse,
    sqs_config,
)
from resilience.aws.motoclock import epoch_s
from resilience.aws.shardpeek import holds_records_after
from resilience.clock import Clock, SimClock, Timeline, next_tick_s
from resilience.sandbox import Sandbox

__all__ = [  # what chapters and labs import from this module
    "KinesisEventSourceMapping",
    "SqsEventSourceMapping",
    "Function",
    "LambdaContext",
    "Metrics",
    "InvalidParameterValue",
    "kinesis_config",
    "sqs_config",
    "kinesis_event_record",
    "sqs_event_record",
]

POLL_INTERVAL_S = 1.0  # Lambda polls each shard of a stream at a base rate of once a second
INVOCATION_S = 0.1  # simulated run time of one invocation, unless the Function says otherwise
SQS_POLLERS = 5  # concurrent batches Lambda starts an SQS mapping with
VISIBILITY_MARGIN_S = 0.001  # moto shows a message again only once its timeout has passed
FUNCTION_NAME = "handler"



# -- the function ----------------------------------------------------------------------------


@dataclass
class LambdaContext:
    """The context object Lambda passes a handler, with the remaining time simulated."""

    aws_request_id: str
    deadline_s: float
    clock: Clock
    function_name: str = FUNCTION_NAME
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 128
    log_group_name: str = f"/aws/lambda/{FUNCTION_NAME}"
    log_stream_name: str = "2026/01/01/[$LATEST]emulated"

    @property
    def invoked_function_arn(self) -> str:
        return function_arn(self.function_name)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline_s - self.clock.now()) * 1000))


@dataclass
class Function:
    """A Lambda function: its handler, its timeout and how long an invocation runs.

    ``duration_s`` is a number or a function of the event: simulated seconds an invocation
    takes. Past ``timeout_s`` the invocation fails as "Task timed out", although the
    handler's work so far is done, as in Lambda.
    """

    handler: Callable[[dict, object], object]
    timeout_s: float = LAMBDA_DEFAULT_TIMEOUT_S
    duration_s: float | Callable[[dict], float] = INVOCATION_S
    name: str = FUNCTION_NAME

    @property
    def arn(self) -> str:
        return function_arn(self.name)


@dataclass
class Outcome:
    """How one invocation ended: its response, or the error Lambda saw."""

    response: object = None
    error: str | None = None  # "ValueError: bad record", "Task timed out after 3.00 seconds"
    ends_s: float = 0.0


def invoke(function: Function, event: dict, clock: Clock, request_number: int) -> Outcome:
    """Run the handler on ``event`` now; the outcome is due at the end of its run time: the
    function's ``duration_s`` plus the simulated time the handler waited (on a slow
    dependency, say). A handler that waits moves the clock on; the clock is put back where
    the invocation began, so the rest of the simulated world goes on meanwhile, and the
    outcome is due when the handler's time is up."""
    started_s = clock.now()
    request_id = str(uuid.UUID(int=request_number))
    context = LambdaContext(request_id, started_s + function.timeout_s, clock, function.name)
    duration_s = function.duration_s(event) if callable(function.duration_s) else (
        function.duration_s)
    response, error = None, None
    try:
        response = function.handler(event, context)
    except Exception as exc:  # noqa: BLE001 - a function error, as Lambda reports it
        error = f"{type(exc).__name__}: {exc}"
    duration_s += _waited_s(clock, started_s)
    if duration_s > function.timeout_s:
        return Outcome(error=f"Task timed out after {function.timeout_s:.2f} seconds",
                       ends_s=started_s + function.timeout_s)
    return Outcome(response=response, error=error, ends_s=started_s + duration_s)


def _waited_s(clock: Clock, started_s: float) -> float:
    """How long a handler waited in simulated time; the clock goes back to ``started_s``."""
    waited_s = clock.now() - started_s
    if waited_s > 0 and isinstance(clock, SimClock):
        clock.rewind_to(started_s)
    return waited_s


def failed_item_ids(response, batch_ids: list[str]) -> list[str] | None:
    """The identifiers a partial batch response reports as failed ([] for complete
    success), or None when the response is invalid and the whole batch counts as failed.

    Success: no response, an empty one, or a null or empty ``batchItemFailures``. Failure:
    anything else that is not a list of ``{"itemIdentifier": <an id of this batch>}``.
    """
    if response is None or response == {}:
        return []
    if not isinstance(response, dict):
        return None
    failures = response.get("batchItemFailures")
    if failures is None or failures == []:
        return [] if set(response) <= {"batchItemFailures"} else None
    if not isinstance(failures, list):
        return None
    ids = []
    for item in failures:
        identifier = item.get("itemIdentifier") if isinstance(item, dict) else None
        if not isinstance(identifier, str) or identifier not in batch_ids:
            return None
        ids.append(identifier)
    return ids


# -- metrics ---------------------------------------------------------------------------------


@dataclass
class Metrics:
    """What a mapping did, for tests and figures. Records are named by their ``eventID``
    (Kinesis: ``shardId:sequenceNumber``) or ``messageId`` (SQS)."""

    invocations: int = 0
    failed_invocations: int = 0
    processed: Counter = field(default_factory=Counter)  # id -> times it counted as done
    discarded: dict[str, str] = field(default_factory=dict)  # id -> the condition
    sent_to_destination: int = 0  # invocation records sent to the on-failure destination
    expired: set = field(default_factory=set)  # ids dropped by the stream's retention
    filtered: set = field(default_factory=set)  # ids FilterCriteria dropped (SQS: deleted)
    iterator_age: list[tuple[float, float]] = field(default_factory=list)  # (t, age s)
    events: list[tuple[float, str, str]] = field(default_factory=list)  # (t, kind, detail)

    _delivered: dict = field(default_factory=dict, repr=False)  # id(ids) -> [ids, times]

    def deliver(self, ids: tuple[str, ...]) -> None:
        """Count one delivery of each record of a batch (cheap when the same batch is
        retried thousands of times: it is counted per batch, expanded on reading)."""
        entry = self._delivered.get(id(ids))
        if entry is None or entry[0] is not ids:
            self._delivered[id(ids)] = [ids, 1]
        else:
            entry[1] += 1

    @property
    def deliveries(self) -> Counter:
        """Record id -> times it was handed to the function."""
        counts: Counter = Counter()
        for ids, times in self._delivered.values():
            for record_id in ids:
                counts[record_id] += times
        return counts

    @property
    def redeliveries(self) -> int:
        """Times a record was handed to the function again after its first delivery."""
        return sum(times - 1 for times in self.deliveries.values() if times > 1)

    @property
    def lost_to_expiry(self) -> int:
        """Records that left the stream at its retention without ever being processed or
        reported to the destination: data gone for good."""
        return len(self.expired - set(self.processed) - set(self.discarded))

    @property
    def max_iterator_age_s(self) -> float:
        return max((age for _, age in self.iterator_age), default=0.0)


# -- Kinesis ---------------------------------------------------------------------------------


def kinesis_event_record(record: dict, shard_id: str, stream_arn: str) -> dict:
    """One record of a Lambda Kinesis event, from a GetRecords record."""
    arrival = record["ApproximateArrivalTimestamp"]
    return {
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": record["PartitionKey"],
            "sequenceNumber": record["SequenceNumber"],
            "data": base64.b64encode(record["Data"]).decode(),
            "approximateArrivalTimestamp": arrival.timestamp() if hasattr(
                arrival, "timestamp") else float(arrival),
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": f"{shard_id}:{record['SequenceNumber']}",
        "eventName": "aws:kinesis:record",
        "invokeIdentityArn": arn("iam", "role/lambda-role"),
        "awsRegion": REGION,
        "eventSourceARN": stream_arn,
    }


def _iso(unix_s: float) -> str:
    moment = datetime.datetime.fromtimestamp(unix_s, datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class _Poller:
    """Something that polls at Lambda's rhythm and, with nothing to do, sleeps until some
    other action happens, then looks again at the next tick."""

    def __init__(self, mapping):
        self.mapping = mapping
        self.last_poll_s = mapping.clock.now()
        self.asleep = False

    def poll(self) -> None:
        raise NotImplementedError

    def sleep(self) -> None:
        """Nothing to do: cost nothing until something else happens."""
        self.asleep = True
        self.mapping.timeline.when_active(self.wake)

    def wake(self) -> None:
        """Something happened: look again at the next tick of the polling rhythm."""
        if self.asleep:
            self.asleep = False
            self.mapping.timeline.at(next_tick_s(self.last_poll_s, self.mapping.clock.now(),
                                                 POLL_INTERVAL_S), self.poll)


@dataclass
class _Batch:
    records: list[dict]  # Lambda event records, in sequence order
    retries: int = 0

    def __post_init__(self):
        self.ids = tuple(r["eventID"] for r in self.records)


class _Lane:
    """One of a shard's ParallelizationFactor lanes: its records in order, one batch at a
    time."""

    def __init__(self, shard: _Shard, number: int):
        self.shard, self.number = shard, number
        self.buffer: deque[dict] = deque()  # records read from the stream, not yet batched
        self.pending: list[_Batch] = []  # the batch in hand (bisected halves: several)
        self.busy = False
        self.window_closes_s: float | None = None  # while gathering a batch: its window's end

    @property
    def idle(self) -> bool:
        return not self.busy and not self.pending

    def gathering_until_s(self) -> float | None:
        """While the lane waits to fill a batch, when its batching window closes; else None.
        It waits only with a MaximumBatchingWindowInSeconds, while it holds fewer records
        than BatchSize, until the window its first record opened closes."""
        config, now_s = self.shard.mapping.config, self.shard.mapping.clock.now()
        window_s = config["MaximumBatchingWindowInSeconds"]
        if not window_s or not self.buffer or len(self.buffer) >= config["BatchSize"]:
            return None
        if self.window_closes_s is None:
            self.window_closes_s = now_s + window_s
        return self.window_closes_s if now_s < self.window_closes_s else None

    def wants_records(self) -> bool:
        return not self.buffer or self.gathering_until_s() is not None

    def step(self) -> None:
        """Invoke the function with the batch in hand, or a new one from the buffer."""
        mapping = self.shard.mapping
        if not self.pending:
            self.window_closes_s = None
            records = mapping.take_batch(self)
            if not records:  # everything buffered had expired: read on
                mapping.timeline.after(0, self.shard.poll)
                return
            self.pending.append(_Batch(records))
        batch = self.pending[0] = mapping.drop_aged(self, self.pending[0])
        if not batch.records:
            self.pending.pop(0)
            mapping.timeline.after(0, self.step if self.pending else self.shard.poll)
            return
        self.busy = True
        outcome = mapping.invoke(self.shard.shard_id, batch)
        mapping.timeline.at(outcome.ends_s, lambda: self.finish(batch, outcome))

    def finish(self, batch: _Batch, outcome: Outcome) -> None:
        self.busy = False
        mapping = self.shard.mapping
        retry = mapping.settle(self.shard.shard_id, batch, outcome)
        self.pending.pop(0)
        self.pending[:0] = retry
        if self.pending:  # a retry waits for the next poll; a bisected half goes at once
            mapping.timeline.after(POLL_INTERVAL_S if retry else 0, self.step)
        self.shard.poll()  # other lanes (and this one, if it is done) read on


class _Shard(_Poller):
    """A shard's poller: reads the stream in order and hands records to its lanes."""

    def __init__(self, mapping: KinesisEventSourceMapping, shard_id: str, iterator: str):
        super().__init__(mapping)
        self.shard_id, self.iterator = shard_id, iterator
        self.lanes = [_Lane(self, n) for n in range(mapping.config["ParallelizationFactor"])]
        self.repoll_s: float | None = None  # when a lane gathering a batch is looked at next

    def lane_for(self, partition_key: str) -> _Lane:
        digest = hashlib.md5(partition_key.encode()).digest()
        return self.lanes[int.from_bytes(digest[:8], "big") % len(self.lanes)]

    def read(self) -> int:
        """One GetRecords call from the checkpointed position; records that pass the
        mapping's filters go to their lanes, the others are skipped (the iterator moves on).
        Returns how many records the call read."""
        mapping = self.mapping
        if not holds_records_after(self.iterator):
            self.last_poll_s = mapping.clock.now()
            return 0  # an empty read, known without making it (see ``aws.shardpeek``)
        limit = mapping.config["BatchSize"] * len(self.lanes)
        page = mapping.kinesis.get_records(ShardIterator=self.iterator, Limit=limit)
        self.iterator = page["NextShardIterator"]
        self.last_poll_s = mapping.clock.now()
        for record in page["Records"]:
            event_record = kinesis_event_record(record, self.shard_id, mapping.stream_arn)
            if passes_filters(mapping.filters, kinesis_filter_view(event_record), "data"):
                self.lane_for(record["PartitionKey"]).buffer.append(event_record)
            else:
                mapping.metrics.filtered.add(event_record["eventID"])
        return len(page["Records"])

    def poll(self) -> None:
        """Start every idle lane that has a batch ready; read the stream when an idle lane
        wants records; go quiet until something happens when there is nothing to read; look
        again soon while a lane gathers a batch in its batching window."""
        idle = [lane for lane in self.lanes if lane.idle]
        if any(lane.wants_records() for lane in idle) and self.read() == 0 and all(
                not lane.buffer for lane in idle) and len(idle) == len(self.lanes):
            self.sleep()
            return
        for lane in idle:
            if lane.buffer and lane.gathering_until_s() is None:
                lane.step()
        self.look_again_while_gathering()

    def look_again_while_gathering(self) -> None:
        """While a lane gathers a batch, poll at the next tick of the polling rhythm, or
        when its window closes if that is sooner (once: a poll already due is enough)."""
        closes = [close_s for lane in self.lanes
                  if lane.idle and (close_s := lane.gathering_until_s()) is not None]
        if not closes:
            return
        time_s = min(next_tick_s(self.last_poll_s, self.mapping.clock.now(), POLL_INTERVAL_S),
                     *closes)
        if self.repoll_s is not None and self.repoll_s <= time_s:
            return
        self.repoll_s = time_s
        self.mapping.timeline.at(time_s, lambda: self.repoll(time_s))

    def repoll(self, time_s: float) -> None:
        """The poll a gathering lane asked for, unless an earlier one replaced it."""
        if self.repoll_s != time_s:
            self.mapping.timeline.idle()
            return
        self.repoll_s = None
        self.poll()


def _simulated_clock(sandbox: Sandbox) -> SimClock:
    """The sandbox's simulated clock: a mapping polls, waits and retries in it."""
    if sandbox.clock is None:
        raise ValueError("an event source mapping runs in simulated time: make the sandbox "
                         "with aws_sandbox(..., clock=SimClock())")
    return sandbox.clock


class KinesisEventSourceMapping:
    """Lambda's Kinesis poller over a moto stream: ``config`` takes CreateEventSourceMapping's
    parameters (defaults as AWS's); ``run(until_s)`` moves simulated time on; a mapping made
    with ``Enabled`` false polls nothing until ``enable()``."""

    def __init__(self, sandbox: Sandbox, stream: str, function: Function | Callable,
                 config: Mapping | None = None, timeline: Timeline | None = None):
        self.clock = _simulated_clock(sandbox)
        self.config = kinesis_config(config)
        self.function = function if isinstance(function, Function) else Function(function)
        self.sandbox = sandbox
        self.timeline = timeline or Timeline(self.clock)
        self.stream, self.stream_arn = stream, sandbox.stream_arn(stream)
        expect_source(self.config, self.stream_arn)
        self.starting_timestamp = self._starting_timestamp()
        self.kinesis = sandbox.client("kinesis")
        self.filters = filter_patterns(self.config)
        self.destination_arn = on_failure_arn(self.config)
        self.destination_service = arn_service(self.destination_arn)  # sqs, sns, s3 or None
        self.destination_client = sandbox.client(self.destination_service) if (
            self.destination_service) else None
        self.metrics = Metrics()
        self.retention_s = self.kinesis.describe_stream_summary(StreamName=stream)[
            "StreamDescriptionSummary"]["RetentionPeriodHours"] * SECONDS_PER_HOUR
        self.shards: list[_Shard] = []
        if self.config["Enabled"]:
            self.enable()

    def _starting_timestamp(self) -> datetime.datetime | None:
        """StartingPositionTimestamp as a time, which "cannot be in the future" (AWS)."""
        if "StartingPositionTimestamp" not in self.config:
            return None
        moment = parse_to_aware_datetime(self.config["StartingPositionTimestamp"])
        if moment.timestamp() > epoch_s(self.clock):
            refuse(f"StartingPositionTimestamp cannot be in the future; got {moment}")
        return moment

    def enable(self) -> None:
        """Start polling (CreateEventSourceMapping, or UpdateEventSourceMapping to Enabled
        true): each shard is read from StartingPosition as of now."""
        self.config["Enabled"] = True
        if self.shards:
            return
        position: dict[str, object] = {"ShardIteratorType": self.config["StartingPosition"]}
        if self.starting_timestamp is not None:
            position["Timestamp"] = self.starting_timestamp
        for shard in self.kinesis.list_shards(StreamName=self.stream)["Shards"]:
            iterator = self.kinesis.get_shard_iterator(
                StreamName=self.stream, ShardId=shard["ShardId"], **position)["ShardIterator"]
            self.shards.append(_Shard(self, shard["ShardId"], iterator))
            self.timeline.at(self.clock.now(), self.shards[-1].poll)

    def run(self, until_s: float | None = None) -> Metrics:
        """Poll and invoke until ``until_s`` of simulated time (or until nothing is left to
        do), then report the metrics so far."""
        self.timeline.run(until_s)
        self._note_expired()
        return self.metrics

    # -- steps of a lane ---------------------------------------------------------------------

    def take_batch(self, lane: _Lane) -> list[dict]:
        """Up to BatchSize records from the lane's buffer, skipping any the stream has
        already dropped."""
        records: list[dict] = []
        while lane.buffer and len(records) < self.config["BatchSize"]:
            record = lane.buffer.popleft()
            if not self._expired(record):
                records.append(record)
        return records

    def drop_aged(self, lane: _Lane, batch: _Batch) -> _Batch:
        """Take out of the batch the records that expired from the stream (lost) or passed
        MaximumRecordAgeInSeconds (discarded to the destination)."""
        max_age_s = self.config["MaximumRecordAgeInSeconds"]
        oldest_age_s = self._age_s(batch.records[0])  # records arrive in sequence order
        if oldest_age_s < self.retention_s and (max_age_s == -1 or oldest_age_s <= max_age_s):
            return batch  # the common case, once per retry: nothing to drop
        aged = [r for r in batch.records if max_age_s != -1 and not self._expired(r)
                and self._age_s(r) > max_age_s]
        if aged:
            self._discard(lane.shard.shard_id, aged, "RecordAgeExceeded", batch)
        kept = [r for r in batch.records if not self._expired(r) and r not in aged]
        return _Batch(kept, batch.retries)

    def invoke(self, shard_id: str, batch: _Batch) -> Outcome:
        """Hand the batch to the function."""
        self.metrics.invocations += 1
        self.metrics.deliver(batch.ids)
        self.metrics.iterator_age.append((self.clock.now(), self._age_s(batch.records[-1])))
        outcome = invoke(self.function, {"Records": batch.records}, self.clock,
                         self.metrics.invocations)
        self.metrics.events.append((self.clock.now(), "invoke",
                                    f"{shard_id}: {len(batch.records)} records"))
        return outcome

    def settle(self, shard_id: str, batch: _Batch, outcome: Outcome) -> list[_Batch]:
        """Act on how an invocation ended; return the batches still to try, in order."""
        failure = self._failure(batch, outcome)
        if failure is None:
            self.metrics.processed.update(batch.ids)
            return []
        start, whole_batch = failure
        self.metrics.processed.update(r["eventID"] for r in batch.records[:start])
        rest = batch.records[start:]
        if whole_batch:
            self.metrics.failed_invocations += 1
            self.metrics.events.append((self.clock.now(), "error", outcome.error or
                                        "invalid batchItemFailures response"))
            if self.config["BisectBatchOnFunctionError"] and len(rest) > 1:
                middle = len(rest) // 2  # splitting does not count as a retry
                return [_Batch(rest[:middle], batch.retries), _Batch(rest[middle:], batch.retries)]
        else:
            self.metrics.events.append((self.clock.now(), "partial",
                                        f"{shard_id}: checkpoint before {rest[0]['eventID']}"))
        retries = batch.retries + 1
        limit = self.config["MaximumRetryAttempts"]
        if limit != -1 and retries > limit:
            self._discard(shard_id, rest, "RetryAttemptsExhausted", batch)
            return []
        if start == 0:  # the same batch again (kept as one object: cheap to count)
            batch.retries = retries
            return [batch]
        return [_Batch(rest, retries)]

    def _failure(self, batch: _Batch, outcome: Outcome) -> tuple[int, bool] | None:
        """None if the batch succeeded; else where the retry starts and whether the whole
        batch failed (an error or an invalid response) rather than reporting its items."""
        if outcome.error is not None:
            return 0, True
        if REPORT_BATCH_ITEM_FAILURES not in self.config["FunctionResponseTypes"]:
            return None  # the response is ignored unless the mapping asks for it
        sequence_numbers = [r["kinesis"]["sequenceNumber"] for r in batch.records]
        failed = failed_item_ids(outcome.response, sequence_numbers)
        if failed is None:
            return 0, True
        if not failed:
            return None
        # Lambda checkpoints just before the lowest failed sequence number.
        return min(sequence_numbers.index(number) for number in failed), False

    def _discard(self, shard_id: str, records: list[dict], condition: str,
                 batch: _Batch) -> None:
        """Give up on records: send Lambda's invocation record to the destination, if any."""
        for record in records:
            self.metrics.discarded[record["eventID"]] = condition
        self.metrics.events.append((self.clock.now(), "discard",
                                    f"{shard_id}: {len(records)} records ({condition})"))
        destination, client = self.destination_arn, self.destination_client
        if destination is None or client is None:  # no on-failure destination
            return
        document = json.dumps(self._invocation_record(shard_id, records, condition,
                                                      batch.retries + 1))
        if self.destination_service == "sqs":
            client.send_message(QueueUrl=_queue_url(client, destination), MessageBody=document)
        elif self.destination_service == "sns":
            client.publish(TopicArn=destination, Message=document)
        else:  # an S3 bucket: one object a record, under a key of the emulator's own
            key = f"aws/lambda/{shard_id}/{_iso(epoch_s(self.clock))}-{self.metrics.invocations}"
            client.put_object(Bucket=destination.rsplit(":", 1)[-1], Key=key,
                              Body=document.encode())
        self.metrics.sent_to_destination += 1

    def _invocation_record(self, shard_id: str, records: list[dict], condition: str,
                           attempts: int) -> dict:
        """What Lambda sends an on-failure destination for a discarded Kinesis batch."""
        arrivals = [r["kinesis"]["approximateArrivalTimestamp"] for r in records]
        return {
            "requestContext": {"requestId": str(uuid.UUID(int=self.metrics.invocations)),
                               "functionArn": self.function.arn, "condition": condition,
                               "approximateInvokeCount": attempts},
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST",
                                "functionError": "Unhandled"},
            "version": "1.0",
            "timestamp": _iso(epoch_s(self.clock)),
            "KinesisBatchInfo": {
                "shardId": shard_id,
                "startSequenceNumber": records[0]["kinesis"]["sequenceNumber"],
                "endSequenceNumber": records[-1]["kinesis"]["sequenceNumber"],
                "approximateArrivalOfFirstRecord": _iso(arrivals[0]),
                "approximateArrivalOfLastRecord": _iso(arrivals[-1]),
                "batchSize": len(records),
                "streamArn": self.stream_arn,
            },
        }

    def _age_s(self, record: dict) -> float:
        return epoch_s(self.clock) - record["kinesis"]["approximateArrivalTimestamp"]

    def _expired(self, record: dict) -> bool:
        if self._age_s(record) < self.retention_s:
            return False
        self.metrics.expired.add(record["eventID"])
        return True

    def _note_expired(self) -> None:
        """Count the records the stream dropped before the mapping ever read them."""
        moto_clock = self.sandbox.moto_clock
        if moto_clock is None:  # a sandbox in simulated time always has one
            return
        moto_clock.trim_streams()
        self.metrics.expired.update(f"{e.shard_id}:{e.sequence_number}"
                                    for e in moto_clock.expired if e.stream == self.stream)


# -- SQS -------------------------------------------------------------------------------------


def _queue_url(sqs: BaseClient, arn: str) -> str:
    return sqs.get_queue_url(QueueName=arn.rsplit(":", 1)[-1])["QueueUrl"]


def sqs_event_record(message: dict, queue_arn: str) -> dict:
    """One record of a Lambda SQS event, from a ReceiveMessage message."""
    attributes = {name: message.get("Attributes", {})[name] for name in (
        "ApproximateReceiveCount", "SentTimestamp", "SenderId",
        "ApproximateFirstReceiveTimestamp", "SequenceNumber", "MessageGroupId",
        "MessageDeduplicationId") if name in message.get("Attributes", {})}
    message_attributes = {
        name: {"stringValue": value.get("StringValue"), "binaryValue": value.get("BinaryValue"),
               "stringListValues": [], "binaryListValues": [], "dataType": value["DataType"]}
        for name, value in message.get("MessageAttributes", {}).items()}
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": attributes,
        "messageAttributes": message_attributes,
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }


class _SqsPoller(_Poller):
    """One of the mapping's concurrent pollers: receive a batch, invoke, settle, repeat."""

    def poll(self) -> None:
        mapping = self.mapping
        self.last_poll_s = mapping.clock.now()
        records = mapping.receive()
        if records:
            outcome = mapping.invoke(records)
            mapping.timeline.at(outcome.ends_s, lambda: self.finish(records, outcome))
        elif mapping.in_flight_elsewhere():  # look again when a message can reappear
            mapping.timeline.idle()
            mapping.timeline.at(mapping.next_reappearance_s(), self.poll)
        else:
            self.sleep()

    def finish(self, records: list[dict], outcome: Outcome) -> None:
        self.mapping.settle(records, outcome)
        self.poll()


class SqsEventSourceMapping:
    """Lambda's SQS poller over a moto queue: ``config`` takes CreateEventSourceMapping's
    parameters; the queue's own attributes (VisibilityTimeout, RedrivePolicy) apply. A
    mapping made with ``Enabled`` false polls nothing until ``enable()``."""

    def __init__(self, sandbox: Sandbox, queue: str, function: Function | Callable,
                 config: Mapping | None = None, timeline: Timeline | None = None):
        self.clock = _simulated_clock(sandbox)
        self.config = sqs_config(config, fifo=queue.endswith(".fifo"))
        self.function = function if isinstance(function, Function) else Function(function)
        self.timeline = timeline or Timeline(self.clock)
        self.sqs = sandbox.client("sqs")
        self.queue_url = self.sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        self.queue_arn = sandbox.queue_arn(queue)
        expect_source(self.config, self.queue_arn)
        self.filters = filter_patterns(self.config)
        self.metrics = Metrics()
        self.visibility_timeout_s = self._visibility_timeout_s()
        self._reappearances: list[float] = []  # when received messages become visible again
        self.pollers: list[_SqsPoller] = []
        if self.config["Enabled"]:
            self.enable()

    def _visibility_timeout_s(self) -> int:
        """The queue's visibility timeout, once Lambda would accept it for this function:
        at least the function's timeout."""
        visibility_s = int(self.sqs.get_queue_attributes(
            QueueUrl=self.queue_url, AttributeNames=["VisibilityTimeout"])["Attributes"][
            "VisibilityTimeout"])
        expect_timeout_within_visibility(visibility_s, self.function.timeout_s)
        return visibility_s

    def enable(self) -> None:
        """Start polling (CreateEventSourceMapping, or UpdateEventSourceMapping to Enabled
        true), with ScalingConfig's MaximumConcurrency pollers (five by default). An update
        checks the queue's visibility timeout against the function's again, as Lambda does."""
        if self.pollers:
            return
        if not self.config["Enabled"]:  # an update: the queue may have changed since
            self.visibility_timeout_s = self._visibility_timeout_s()
        self.config["Enabled"] = True
        count = self.config["ScalingConfig"].get("MaximumConcurrency", SQS_POLLERS)
        self.pollers = [_SqsPoller(self) for _ in range(count)]
        for poller in self.pollers:
            self.timeline.at(self.clock.now(), poller.poll)

    def run(self, until_s: float | None = None) -> Metrics:
        """Poll and invoke until ``until_s`` of simulated time (or until nothing is left to
        do), then report the metrics so far."""
        self.timeline.run(until_s)
        return self.metrics

    def receive(self) -> list[dict]:
        """Up to BatchSize messages that pass the mapping's filters, as Lambda event records
        (ReceiveMessage takes 10 at most a call). Lambda deletes the messages its filters
        drop."""
        records: list[dict] = []
        while len(records) < self.config["BatchSize"]:
            wanted = min(SQS_BATCH_MAX_ENTRIES, self.config["BatchSize"] - len(records))
            messages = self.sqs.receive_message(
                QueueUrl=self.queue_url, MaxNumberOfMessages=wanted, WaitTimeSeconds=0,
                MessageSystemAttributeNames=["All"], MessageAttributeNames=["All"],
            ).get("Messages", [])
            received = [sqs_event_record(m, self.queue_arn) for m in messages]
            dropped = [r for r in received
                       if not passes_filters(self.filters, sqs_filter_view(r), "body")]
            self.delete(dropped)
            self.metrics.filtered.update(r["messageId"] for r in dropped)
            records += [r for r in received if r not in dropped]
            if len(messages) < wanted:
                break
        if records:
            heapq.heappush(self._reappearances, self.clock.now() + self.visibility_timeout_s)
        return records

    def next_reappearance_s(self) -> float:
        """When a message this mapping received next becomes visible (moto shows it just
        after its visibility timeout), or one polling interval from now."""
        now_s = self.clock.now()
        while self._reappearances and self._reappearances[0] < now_s:
            heapq.heappop(self._reappearances)
        if self._reappearances:
            return self._reappearances[0] + VISIBILITY_MARGIN_S
        return now_s + POLL_INTERVAL_S

    def in_flight_elsewhere(self) -> bool:
        """Are messages invisible or delayed (they will come back without any action)?"""
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=self.queue_url, AttributeNames=["ApproximateNumberOfMessagesNotVisible",
                                                     "ApproximateNumberOfMessagesDelayed"])
        return any(int(v) for v in attributes["Attributes"].values())

    def invoke(self, records: list[dict]) -> Outcome:
        self.metrics.invocations += 1
        self.metrics.deliver(tuple(r["messageId"] for r in records))
        self.metrics.events.append((self.clock.now(), "invoke", f"{len(records)} messages"))
        return invoke(self.function, {"Records": records}, self.clock, self.metrics.invocations)

    def settle(self, records: list[dict], outcome: Outcome) -> None:
        """Delete what succeeded; leave the rest to reappear after the visibility timeout."""
        failed: list[str] | None = []
        if outcome.error is not None:
            failed = None
        elif REPORT_BATCH_ITEM_FAILURES in self.config["FunctionResponseTypes"]:
            failed = failed_item_ids(outcome.response, [r["messageId"] for r in records])
        if failed is None:
            self.metrics.failed_invocations += 1
            self.metrics.events.append((self.clock.now(), "error",
                                        outcome.error or "invalid batchItemFailures"))
            return
        done = [r for r in records if r["messageId"] not in failed]
        if failed:
            self.metrics.events.append((self.clock.now(), "partial",
                                        f"{len(failed)} of {len(records)} failed"))
        self.delete(done)
        self.metrics.processed.update(r["messageId"] for r in done)

    def delete(self, records: list[dict]) -> None:
        """Delete these messages from the queue, ten a DeleteMessageBatch call."""
        for start in range(0, len(records), SQS_BATCH_MAX_ENTRIES):
            chunk = records[start:start + SQS_BATCH_MAX_ENTRIES]
            self.sqs.delete_message_batch(QueueUrl=self.queue_url, Entries=[
                {"Id": str(n), "ReceiptHandle": r["receiptHandle"]} for n, r in enumerate(chunk)])

    def queue_depth(self, queue_url: str | None = None) -> int:
        """Messages visible in a queue (this one unless named): for a DLQ's alarm."""
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=queue_url or self.queue_url, AttributeNames=["ApproximateNumberOfMessages"])
        return int(attributes["Attributes"]["ApproximateNumberOfMessages"])
