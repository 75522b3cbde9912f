"""Kinesis shards: where a record lands, the API's size limits, and each shard's write limits.

Kinesis maps a record to a shard by the MD5 hash of its partition key, read as a 128-bit
integer, and each shard owns one range of those integers. Each shard accepts writes of up
to 1,000 records and 1 MiB per second (partition keys included); past that, the records
fail with ``ProvisionedThroughputExceededException``. The fault layer uses this module to
make a moto stream enforce those limits in simulated time, and the chapter's simulation
uses it to model a producer bursting into a stream.

The documented limits live in ``resilience.aws.facts``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from resilience.aws.facts import KINESIS_SHARD_BYTES_PER_S, KINESIS_SHARD_RECORDS_PER_S

HASH_KEY_SPACE = 2**128  # MD5 hash keys run from 0 to 2**128 - 1
# The course's own code for a record over KINESIS_RECORD_MAX_BYTES, which no call can carry:
# Kinesis would reject the whole call, so a writer reports the record instead of sending it.
TOO_LARGE = "RecordTooLarge"


def hash_key(partition_key: str, explicit_hash_key: str | None = None) -> int:
    """The 128-bit hash key Kinesis routes a record by (an explicit one wins)."""
    if explicit_hash_key is not None:
        return int(explicit_hash_key)
    return int(hashlib.md5(partition_key.encode("utf-8")).hexdigest(), 16)


def even_ranges(shard_count: int) -> list[tuple[int, int]]:
    """The hash key range of each shard of a new stream: the key space split evenly, the
    last shard taking the remainder (as CreateStream does)."""
    step = HASH_KEY_SPACE // shard_count
    return [(i * step, (i + 1) * step - 1 if i < shard_count - 1 else HASH_KEY_SPACE - 1)
            for i in range(shard_count)]


def shard_for(key: int, ranges: Sequence[tuple[int, int]]) -> int:
    """The index of the shard whose range holds ``key``."""
    for index, (low, high) in enumerate(ranges):
        if low <= key <= high:
            return index
    raise ValueError(f"hash key {key} is in no shard's range")


def record_bytes(data: bytes, partition_key: str) -> int:
    """What a record counts against the limits: its data plus its partition key, in bytes."""
    return len(data) + len(partition_key.encode("utf-8"))


@dataclass
class _Bucket:
    """A token bucket holding at most one second's worth of a shard's capacity."""

    per_s: float
    tokens: float
    updated_s: float = 0.0

    def refill(self, now_s: float) -> None:
        self.tokens = min(self.per_s, self.tokens + (now_s - self.updated_s) * self.per_s)
        self.updated_s = now_s


@dataclass
class ShardWriteLimits:
    """Each shard's write limits in simulated time: a record is accepted only if its shard
    still has a record and its bytes left in the current second's allowance.

    Each limit is a token bucket that holds one second's worth and refills continuously, so
    a shard that was idle takes a burst of up to 1,000 records at once and then 1,000 a
    second, as AWS describes the limit.
    """

    shard_count: int
    records_per_s: float = KINESIS_SHARD_RECORDS_PER_S
    bytes_per_s: float = KINESIS_SHARD_BYTES_PER_S
    _records: list[_Bucket] = field(init=False, repr=False)
    _bytes: list[_Bucket] = field(init=False, repr=False)

    def __post_init__(self):
        self._records = [_Bucket(self.records_per_s, self.records_per_s)
                         for _ in range(self.shard_count)]
        self._bytes = [_Bucket(self.bytes_per_s, self.bytes_per_s)
                       for _ in range(self.shard_count)]

    def admit(self, shard: int, size_bytes: int, now_s: float) -> bool:
        """Take one record of ``size_bytes`` into ``shard`` at ``now_s``, if it has room."""
        records, volume = self._records[shard], self._bytes[shard]
        records.refill(now_s)
        volume.refill(now_s)
        if records.tokens < 1 or volume.tokens < size_bytes:
            return False
        records.tokens -= 1
        volume.tokens -= size_bytes
        return True
