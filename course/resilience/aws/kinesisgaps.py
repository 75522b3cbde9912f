"""moto's Kinesis gaps, filled as AWS behaves: every sandbox enters ``kinesis_gaps_filled``.

- A shard iterator asked for by ``StreamARN`` alone (as AWS allows) names no stream in moto.
- moto 5.2 refuses PutRecords calls over 5 MiB; AWS's limit is ``PUT_RECORDS_MAX_BYTES``.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from resilience.aws.facts import (
    KINESIS_RECORD_MAX_BYTES,
    PUT_RECORDS_MAX_BYTES,
    PUT_RECORDS_MAX_RECORDS,
    MiB,
)
from resilience.aws.shards import record_bytes

__all__ = ["kinesis_gaps_filled", "PUT_RECORDS_TOO_LARGE"]

# What AWS answers a PutRecords call over its request limit (InvalidArgumentException).
PUT_RECORDS_TOO_LARGE = f"Records size exceeds {PUT_RECORDS_MAX_BYTES // MiB} MB limit"

# The PutRecords request limit moto (5.2) enforces: AWS's until large records came in 2025.
MOTO_PUT_RECORDS_MAX_BYTES = 5 * MiB


def _shard_iterator_by_arn(original: Callable) -> Callable:
    """moto's ``get_shard_iterator``, given a ``StreamARN`` alone (as AWS allows): moto would
    hand out an iterator that names no stream, so the next GetRecords fails. Name the stream
    the ARN names."""
    def get_shard_iterator(backend, stream_arn, stream_name, *args, **kwargs):
        if stream_name is None and stream_arn:
            stream_name = stream_arn.rsplit("/", 1)[-1]
        return original(backend, stream_arn, stream_name, *args, **kwargs)

    return get_shard_iterator


def _put_records_to_aws_limit(original: Callable) -> Callable:
    """moto's ``put_records``, with AWS's request limit, ``PUT_RECORDS_MAX_BYTES``, in place of
    moto's older 5 MiB: a request over it is refused with AWS's ``InvalidArgumentException``
    (counting partition keys in UTF-8 bytes, as AWS does); one within it that moto would
    refuse is written in parts moto takes, in order, and answered as one call. moto's other
    checks stay: at most 500 records, and 1 MiB a record (a default stream)."""
    from moto.kinesis.exceptions import InvalidArgumentError, RecordSizeExceedsLimit

    def put_records(backend, stream_arn, stream_name, records):
        blobs = [base64.b64decode(record.get("Data", "")) for record in records]
        keys = [record.get("PartitionKey", "") for record in records]
        sizes = [record_bytes(blob, key) for blob, key in zip(blobs, keys, strict=True)]
        if len(records) > PUT_RECORDS_MAX_RECORDS or sum(sizes) <= MOTO_PUT_RECORDS_MAX_BYTES:
            return original(backend, stream_arn, stream_name, records)
        if sum(sizes) > PUT_RECORDS_MAX_BYTES:
            raise InvalidArgumentError(PUT_RECORDS_TOO_LARGE)
        # moto checks every record (its data and its key's characters) before it writes any,
        # and so must a call written in parts.
        oversized = next((n for n, (blob, key) in enumerate(zip(blobs, keys, strict=True))
                          if len(blob) + len(key) > KINESIS_RECORD_MAX_BYTES), None)
        if oversized is not None:
            raise RecordSizeExceedsLimit(position=oversized + 1)
        answers = [original(backend, stream_arn, stream_name, part)
                   for part in _parts_within(records, sizes, MOTO_PUT_RECORDS_MAX_BYTES)]
        return {"FailedRecordCount": sum(a["FailedRecordCount"] for a in answers),
                "Records": [entry for answer in answers for entry in answer["Records"]]}

    return put_records


def _parts_within(records: list, sizes: list[int], limit: int) -> list[list]:
    """``records`` cut, in order, into runs of at most ``limit`` bytes each (by ``sizes``;
    no record is over ``limit`` alone)."""
    parts: list[list] = [[]]
    used = 0
    for record, size in zip(records, sizes, strict=True):
        if used + size > limit:
            parts.append([])
            used = 0
        parts[-1].append(record)
        used += size
    return parts


@contextmanager
def kinesis_gaps_filled() -> Iterator[None]:
    """Fill moto's Kinesis gaps for as long as the block lives: shard iterators asked for by
    ARN (``_shard_iterator_by_arn``), and PutRecords' request limit
    (``_put_records_to_aws_limit``)."""
    from moto.kinesis.models import KinesisBackend

    patches = {"get_shard_iterator": _shard_iterator_by_arn,
               "put_records": _put_records_to_aws_limit}
    originals = {name: getattr(KinesisBackend, name) for name in patches}
    for name, patch in patches.items():
        setattr(KinesisBackend, name, patch(originals[name]))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(KinesisBackend, name, original)
