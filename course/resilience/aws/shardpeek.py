"""Whether a moto shard holds records past a shard iterator, asked without an API call.

Lambda's poller reads each shard about once a second, and most reads of a caught-up shard
come back empty. Through botocore and moto such a read costs ~2.5 ms, and a simulated
minute of a pipeline makes dozens. The event source mapping emulator asks this first and
skips a read that would return nothing. Skipping changes nothing: moto's iterator names the
stream, the shard and the last sequence number read, so an empty read hands back the very
iterator it was given, and this looks at the shard the way a read does (through
``Stream.get_shard``, which drops the records past retention in simulated time).
"""

from __future__ import annotations

from resilience.aws.facts import ACCOUNT_ID, REGION

__all__ = ["holds_records_after"]


def holds_records_after(shard_iterator: str) -> bool:
    """Whether a GetRecords call with ``shard_iterator`` would return any record. True
    when moto cannot say (an iterator it would refuse, a stream gone): then the real call
    answers, as AWS would."""
    from moto.kinesis.models import kinesis_backends
    from moto.kinesis.utils import decompose_shard_iterator

    try:
        stream_name, shard_id, last_sequence_id = decompose_shard_iterator(shard_iterator)
        stream = kinesis_backends[ACCOUNT_ID][REGION].describe_stream(None, stream_name)
        records, _, _ = stream.get_shard(shard_id).get_records(last_sequence_id, 1)
        return bool(records)
    except Exception:  # noqa: BLE001 - whatever moto would refuse, the real call reports
        return True
