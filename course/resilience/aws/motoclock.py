"""moto in simulated time: the timestamps, timers and retention that moto keeps by the wall
clock follow a ``SimClock`` instead.

With it, a message sent at simulated second 5 carries ``SentTimestamp`` 5 s after the
simulated epoch, a visibility timeout of 30 s ends 30 simulated seconds after a receive,
a long poll on an empty queue waits in simulated time, a Kinesis record's
``ApproximateArrivalTimestamp`` is its simulated arrival, and a stream drops records older
than its retention period (24 h unless raised), as Kinesis does and moto does not. So an
emulator can run a day of a stream's life in a second, and every timestamp is the same on
every run.

``moto_follows(clock)`` patches moto's models for the duration of a ``with`` block (the
sandbox does this whenever it is given a clock). moto is one per process, so only one
clock can drive it at a time.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from resilience.aws.facts import SECONDS_PER_HOUR
from resilience.clock import SimClock

# What simulated second 0 reads as in every moto timestamp (UTC).
SIM_EPOCH = datetime.datetime(2026, 1, 1)
SIM_EPOCH_S = (SIM_EPOCH - datetime.datetime(1970, 1, 1)).total_seconds()


def epoch_s(clock: SimClock) -> float:
    """The Unix time (seconds) that the clock's present reads as in moto."""
    return SIM_EPOCH_S + clock.now()


def unix_time(clock: SimClock) -> Callable[[], float]:
    """A ``time.time`` that reads the simulated clock: what code under test is given as
    ``now``, so its Unix timestamps agree with moto's."""
    return lambda: epoch_s(clock)


def sim_s(unix_s: float) -> float:
    """Simulated seconds of a Unix time that moto stamped (the inverse of ``epoch_s``)."""
    return unix_s - SIM_EPOCH_S


@dataclass
class ExpiredRecord:
    """A Kinesis record that its stream dropped at the end of its retention period."""

    stream: str
    shard_id: str
    sequence_number: str
    partition_key: str
    data: bytes
    arrived_s: float  # simulated time


@dataclass
class MotoClock:
    """What ``moto_follows`` hands back: the clock, and the records streams dropped."""

    clock: SimClock
    expired: list[ExpiredRecord] = field(default_factory=list)

    def trim_streams(self) -> None:
        """Drop every record past its stream's retention now (moto trims a stream's shards
        whenever they are read; call this before counting what expired)."""
        from moto.kinesis.models import kinesis_backends

        for backend in _all_backends(kinesis_backends):
            for stream in backend.streams.values():
                for shard in stream.shards.values():
                    self._trim(stream, shard)

    def _trim(self, stream, shard) -> None:
        oldest_kept_s = epoch_s(self.clock) - stream.retention_period_hours * SECONDS_PER_HOUR
        numbers = _numbers(shard)
        expired = 0
        while expired < len(numbers) and (
                shard.records[numbers[expired]].created_at < oldest_kept_s):
            expired += 1
        for number in numbers[:expired]:
            record = shard.records.pop(number)
            self.expired.append(ExpiredRecord(
                stream.stream_name, shard.shard_id, str(number), record.partition_key,
                _decoded(record.data), sim_s(record.created_at)))
        del numbers[:expired]


def _numbers(shard) -> list[int]:
    """The shard's sequence numbers in order, kept beside moto's records so that reads and
    writes cost O(log n), not O(n) (moto scans every record of a shard on each call)."""
    if not hasattr(shard, "sequence_numbers"):
        shard.sequence_numbers = list(shard.records)
        shard.last_sequence_number = shard.sequence_numbers[-1] if shard.records else 0
    return shard.sequence_numbers


def _all_backends(backend_dict):
    """Every (account, region) backend moto has created."""
    for regions in backend_dict.values():
        yield from regions.values()


def _decoded(data: str) -> bytes:
    import base64

    return base64.b64decode(data)


@contextmanager
def moto_follows(clock: SimClock) -> Iterator[MotoClock]:
    """Inside the block, moto's SQS and Kinesis keep time by ``clock``."""
    import moto.kinesis.models as kinesis
    import moto.sqs.models as sqs
    from moto.core.utils import unix_time as wall_unix_time

    state = MotoClock(clock)

    def unix_time(dt=None):
        return wall_unix_time(dt) if dt is not None else epoch_s(clock)

    def unix_time_millis(dt=None):
        return unix_time(dt) * 1000.0

    def utcnow():
        return SIM_EPOCH + datetime.timedelta(seconds=clock.now())

    def wait_for_messages(queue, timeout):
        """A long poll finds the queue empty: wait in simulated time, not real time."""
        clock.advance(timeout)

    original_get_shard = kinesis.Stream.get_shard

    def get_shard(stream, shard_id):
        """Every read of a shard first drops the records past the stream's retention."""
        shard = original_get_shard(stream, shard_id)
        state._trim(stream, shard)
        return shard

    def put_record(shard, partition_key, data, explicit_hash_key):
        """moto's ``Shard.put_record``, in O(1), and with sequence numbers that keep rising
        after every record of a shard has expired (moto would start again at 1)."""
        _numbers(shard)
        number = shard.last_sequence_number + 1
        shard.records[number] = kinesis.Record(partition_key, data, number, explicit_hash_key)
        shard.sequence_numbers.append(number)
        shard.last_sequence_number = number
        return str(number)

    def get_max_sequence_number(shard):
        """The last sequence number given out (a LATEST iterator starts after it)."""
        _numbers(shard)
        return shard.last_sequence_number

    def get_records(shard, last_sequence_id, limit):
        """moto's ``Shard.get_records``, found by bisection rather than a scan."""
        numbers = _numbers(shard)
        start = bisect.bisect_right(numbers, int(last_sequence_id))
        chosen = numbers[start:start + limit] if limit else numbers[start:]
        records = [shard.records[number] for number in chosen]
        if not records:
            return [], int(last_sequence_id), 0
        behind_s = shard.records[numbers[-1]].created_at - records[-1].created_at
        return records, chosen[-1], int(behind_s * 1000)

    def retained(backend, queue_name, message):
        """moto's retention check, in O(1): moto reads every attribute of the queue, each
        time counting its messages, for every message it looks at (most of the time of a
        busy queue's receives)."""
        retention_s = backend.get_queue(queue_name).message_retention_period
        return retention_s + message.sent_timestamp / 1000 > unix_time()

    patches = [(sqs, "unix_time", unix_time), (sqs, "unix_time_millis", unix_time_millis),
               (sqs.Queue, "wait_for_messages", wait_for_messages),
               (sqs.SQSBackend, "is_message_valid_based_on_retention_period", retained),
               (kinesis, "utcnow", utcnow), (kinesis.Stream, "get_shard", get_shard),
               (kinesis.Shard, "put_record", put_record),
               (kinesis.Shard, "get_records", get_records),
               (kinesis.Shard, "get_max_sequence_number", get_max_sequence_number)]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    for owner, name, replacement in patches:
        setattr(owner, name, replacement)
    try:
        yield state
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)
