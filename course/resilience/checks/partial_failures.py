"""Checks for lab 03: batch writes that succeed in part, to Kinesis and to DynamoDB.

The moto stream enforces a shard's write limits in simulated time, and the fault layer
fails chosen entries of a batch while the call itself succeeds: the learner's writer sees
exactly the responses AWS sends, ``FailedRecordCount`` and ``UnprocessedItems`` included.
"""

from __future__ import annotations

import random
from collections import Counter
from contextlib import contextmanager

from botocore.client import BaseClient

from resilience.aws.facts import (
    BATCH_WRITE_ITEM_MAX_ITEMS,
    KINESIS_RECORD_MAX_BYTES,
    PUT_RECORDS_MAX_BYTES,
    PUT_RECORDS_MAX_RECORDS,
)
from resilience.aws.shards import TOO_LARGE
from resilience.checks import RUNAWAY_CALLS, expect, stop_runaway
from resilience.clock import Clock, SimClock

STREAM = "telemetry"
TABLE = "inventory"
MAX_ATTEMPTS = 4  # sends of each record the checks ask for, the first included
BURST_ATTEMPTS = 10  # for bursts: enough rounds for any fair jitter to outlast the limit
BASE_S = 0.1
CAP_S = 2.0
THROTTLED = "ProvisionedThroughputExceededException"


def _record(i: int, size_bytes: int = 100, key: str | None = None) -> dict:
    """A record whose data says which one it is, padded to ``size_bytes``."""
    data = f"record-{i:05d}|".encode()
    return {"Data": data + b"." * max(0, size_bytes - len(data)),
            "PartitionKey": key or f"device-{i % 97}"}


def _size(record: dict) -> int:
    return len(record["Data"]) + len(record["PartitionKey"].encode())


# -- planning calls ----------------------------------------------------------------------


def _expect_valid_plan(plan, records: list[dict], what: str) -> None:
    sendable = [i for i, r in enumerate(records) if _size(r) <= KINESIS_RECORD_MAX_BYTES]
    expect(isinstance(plan, list) and all(isinstance(b, list) for b in plan),
           f"plan_batches should return a list of lists of indices; got {plan!r:.100}")
    flat = [i for batch in plan for i in batch]
    expect(flat == sendable,
           f"For {what}, the batches should hold every index of a record that fits in a call, "
           "once each, in the input's order; "
           + (f"index {sorted(set(sendable) - set(flat))[0]} is missing."
              if set(sendable) - set(flat) else
              f"index {sorted(set(flat) - set(sendable))[0]} should not be there: that record "
              "is larger than 1 MiB (data plus partition key) and no call can carry it."
              if set(flat) - set(sendable) else "the order or the count differs."))
    for number, batch in enumerate(plan):
        size = sum(_size(records[i]) for i in batch)
        expect(0 < len(batch) <= PUT_RECORDS_MAX_RECORDS and size <= PUT_RECORDS_MAX_BYTES,
               f"For {what}, batch {number} has {len(batch)} records and {size:,} bytes; a "
               f"PutRecords call takes 1 to {PUT_RECORDS_MAX_RECORDS} records and at most "
               f"{PUT_RECORDS_MAX_BYTES:,} bytes (5 MiB), partition keys included.")
        following = plan[number + 1][0] if number + 1 < len(plan) else None
        expect(following is None or len(batch) == PUT_RECORDS_MAX_RECORDS
               or size + _size(records[following]) > PUT_RECORDS_MAX_BYTES,
               f"For {what}, batch {number} could also have taken record {following}: fill "
               "each call before starting the next (fewer calls, fewer partial failures).")


def check_plan_batches(plan_batches) -> None:
    """Batches keep the input's order and stay within PutRecords' limits."""
    small = [_record(i) for i in range(1200)]
    plan = plan_batches(small)
    _expect_valid_plan(plan, small, "1,200 records of 100 bytes")
    expect([len(b) for b in plan] == [500, 500, 200],
           f"1,200 small records go in calls of 500, 500 and 200; yours: {[len(b) for b in plan]}")
    large = [_record(i, 400 * 1024) for i in range(14)]
    _expect_valid_plan(plan_batches(large), large, "14 records of 400 KiB")
    key = "k"
    edge = [_record(0), {"Data": b"x" * (KINESIS_RECORD_MAX_BYTES - len(key)), "PartitionKey": key},
            {"Data": b"x" * (KINESIS_RECORD_MAX_BYTES - len(key) + 1), "PartitionKey": key},
            _record(3)]
    _expect_valid_plan(plan_batches(edge), edge,
                       "a record of exactly 1 MiB and one a byte over (partition key counted)")


def check_failed_records(failed_records) -> None:
    """Failed entries are matched to the records sent, by position in the response."""
    response = {"FailedRecordCount": 2, "Records": [
        {"SequenceNumber": "1", "ShardId": "shardId-000000000000"},
        {"ErrorCode": THROTTLED, "ErrorMessage": "Rate exceeded for shard"},
        {"SequenceNumber": "2", "ShardId": "shardId-000000000000"},
        {"SequenceNumber": "3", "ShardId": "shardId-000000000001"},
        {"ErrorCode": "InternalFailure", "ErrorMessage": "Internal service failure."}]}
    got = failed_records([40, 41, 42, 43, 44], response)
    expected = [(41, THROTTLED), (44, "InternalFailure")]
    expect([tuple(pair) for pair in got or []] == expected,
           f"Sending records [40, 41, 42, 43, 44], the 2nd and 5th entries of the response "
           f"failed, so failed_records should return {expected}; it returned {got!r}. "
           + ("Those are positions in the call, not indices of the records you sent: map "
              "them back through the batch, or you will resend the wrong records."
              if got and [p[0] for p in got] == [1, 4] else
              "The response's Records are in the order of the request; a failed one has an "
              "ErrorCode instead of a SequenceNumber."))
    fine = {"FailedRecordCount": 0, "Records": [{"SequenceNumber": "9", "ShardId": "s"}]}
    expect(list(failed_records([7], fine) or []) == [],
           "When FailedRecordCount is 0, no record failed: return an empty list.")


# -- writing to Kinesis --------------------------------------------------------------------


@contextmanager
def kinesis_stream(shard_count: int = 1, shard_limits: bool = True,
                   max_calls: int = RUNAWAY_CALLS):
    """A moto stream, a learner's client on it (SDK retries off) and its fault layer."""
    from resilience.faults import FaultInjector
    from resilience.sandbox import aws_sandbox

    clock = SimClock()
    with aws_sandbox(streams={STREAM: shard_count}, clock=clock) as aws:
        kinesis = aws.client("kinesis", total_max_attempts=1)
        stop_runaway(kinesis, "PutRecords", max_calls)
        faults = FaultInjector(kinesis, clock=clock)
        if shard_limits:
            faults.shard_limits()
        yield kinesis, faults, clock, aws.client("kinesis")


def _stream_contents(reader: BaseClient) -> Counter[bytes]:
    """How many times each record (by its data) is in the stream."""
    found: Counter[bytes] = Counter()
    for shard in reader.list_shards(StreamName=STREAM)["Shards"]:
        iterator = reader.get_shard_iterator(StreamName=STREAM, ShardId=shard["ShardId"],
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while iterator:
            page = reader.get_records(ShardIterator=iterator, Limit=10_000)
            found.update(r["Data"].split(b"|")[0] for r in page["Records"])
            iterator = page["NextShardIterator"] if page["Records"] else None
    return found


def _put(put_records_reliably, kinesis: BaseClient, records, clock: Clock, seed=1,
         max_attempts=MAX_ATTEMPTS):
    return put_records_reliably(kinesis, STREAM, records, max_attempts=max_attempts,
                                base=BASE_S, cap=CAP_S, sleep=clock.sleep,
                                rng=random.Random(seed))


def _example(found) -> str:
    """One of the records or items a message is about (messages are built even when the
    check passes, so this must not fail on an empty collection)."""
    first = min(found, default=b"")
    return first.decode() if isinstance(first, bytes) else str(first)


def _expect_each_once(found: Counter, records: list[dict], skip=()) -> None:
    wanted = Counter(r["Data"].split(b"|")[0] for i, r in enumerate(records) if i not in skip)
    missing = wanted - found
    extra = found - wanted
    expect(not missing,
           f"{sum(missing.values())} record(s) never reached the stream, e.g. "
           f"{_example(missing)}. A PutRecords call that returns HTTP 200 may still "
           "have failed some records: read FailedRecordCount and each record's ErrorCode, "
           "and send the failed ones again.")
    expect(not extra,
           f"{sum(extra.values())} record(s) are in the stream more than once, e.g. "
           f"{_example(extra)}. Resend only the records that failed: resending "
           "the whole batch duplicates every record that had landed.")


def _expect_result(result, expected: dict, what: str) -> None:
    got = dict(result) if isinstance(result, dict) else result
    expect(got == expected,
           f"{what} put_records_reliably should return {expected or '{}'} (index: last error "
           f"code of each record that never landed); it returned {got!r:.200}.")


def check_burst_lands_once(put_records_reliably) -> None:
    """A burst past the shard's limits lands in full, each record exactly once."""
    records = [_record(i) for i in range(2500)]
    with kinesis_stream(shard_count=2) as (kinesis, faults, clock, reader):
        result = _put(put_records_reliably, kinesis, records, clock,
                      max_attempts=BURST_ATTEMPTS)
        partial = sum(call.failed for call in faults.calls)
        expect(partial > 0, "The stream should have turned records away (test set-up).")
        _expect_each_once(_stream_contents(reader), records)
        _expect_result(result, {}, "When every record lands in the end,")


def check_only_failed_resent(put_records_reliably) -> None:
    """Only the records that failed are sent again, never the ones that landed."""
    records = [_record(i) for i in range(2500)]
    with kinesis_stream(shard_count=2) as (kinesis, faults, clock, reader):
        _put(put_records_reliably, kinesis, records, clock, seed=2,
             max_attempts=BURST_ATTEMPTS)
        puts = [c for c in faults.calls if c.operation == "PutRecords"]
        sent, failed = sum(c.entries for c in puts), sum(c.failed for c in puts)
        expect(sent == len(records) + failed,
               f"{len(records)} records, {failed} of whose sends failed, should take "
               f"{len(records) + failed} record sends in all; your writer made {sent}. "
               "Send again only what failed: every extra send of a record that had landed "
               "is a duplicate downstream and load on a stream that is already full.")
        _expect_each_once(_stream_contents(reader), records)


def check_backoff_between_rounds(put_records_reliably) -> None:
    """Between rounds of resends the writer waits a full-jitter delay, through sleep."""
    first_waits = set()
    with kinesis_stream(shard_limits=False, max_calls=25 * 2 * MAX_ATTEMPTS) as (
            kinesis, faults, clock, _):
        faults.fail_entries("PutRecords")  # every record fails, every time
        records = [_record(i) for i in range(10)]
        for seed in range(25):
            before = len(clock.sleeps)
            _put(put_records_reliably, kinesis, records, clock, seed=seed)
            waits = clock.sleeps[before:]
            expect(len(waits) == MAX_ATTEMPTS - 1,
                   f"With max_attempts={MAX_ATTEMPTS} and every record failing, the writer "
                   f"should send {MAX_ATTEMPTS} rounds with one wait between rounds "
                   f"({MAX_ATTEMPTS - 1} waits); it waited {len(waits)} time(s). "
                   + ("Did you call time.sleep? Wait through the sleep you are given."
                      if not waits else "Wait once between rounds, not after the last."))
            for retry, wait in enumerate(waits):
                ceiling = min(CAP_S, BASE_S * 2**retry)
                expect(0 <= wait <= ceiling,
                       f"Wait number {retry + 1} was {wait:.4f} s; draw it from [0, min(cap, "
                       f"base * 2**{retry})] = [0, {ceiling}]. Retrying at once hits the "
                       "shard in the same second that it turned the records away.")
            first_waits.add(waits[0])
    expect(len(first_waits) > 12,
           f"Across 25 seeds the first wait took only {len(first_waits)} different values: "
           "there is no jitter. Draw each wait from the rng you are given, so producers that "
           "were throttled together do not come back together.")


def check_permanent_failure_reported(put_records_reliably) -> None:
    """A record that always fails is sent max_attempts times, then reported, not retried."""
    records = [_record(i, key="poison" if i in (7, 150) else None) for i in range(200)]
    with kinesis_stream(shard_limits=False) as (kinesis, faults, clock, reader):
        faults.fail_entries("PutRecords", when=lambda entry: entry["PartitionKey"] == "poison")
        result = _put(put_records_reliably, kinesis, records, clock)
        poison_sends = sum(c.failed for c in faults.calls)
        expect(poison_sends == 2 * MAX_ATTEMPTS,
               f"Two records fail on every send; with max_attempts={MAX_ATTEMPTS} each should "
               f"be sent {MAX_ATTEMPTS} times ({2 * MAX_ATTEMPTS} sends), but they were sent "
               f"{poison_sends} times. Bound the rounds: a record that cannot land must not "
               "keep the writer busy for ever.")
        _expect_result(result, {7: "InternalFailure", 150: "InternalFailure"},
                       "Records 7 and 150 always fail with InternalFailure, so")
        _expect_each_once(_stream_contents(reader), records, skip=(7, 150))


def check_limits_respected(put_records_reliably) -> None:
    """Every call stays within 500 records and 5 MiB; a record over 1 MiB is reported."""
    records = [_record(i, 20 * 1024) for i in range(300)]  # 6 MB: two calls by size
    records.insert(150, {"Data": b"record-oversize|" + b"." * KINESIS_RECORD_MAX_BYTES,
                         "PartitionKey": "big"})
    with kinesis_stream(shard_limits=False) as (kinesis, faults, clock, reader):
        try:
            result = _put(put_records_reliably, kinesis, records, clock)
        except Exception as error:  # noqa: BLE001 - the service's refusal is the feedback
            raise AssertionError(
                f"Writing 300 records of 20 KiB and one over 1 MiB raised "
                f"{type(error).__name__}: {error}. Plan calls within PutRecords' limits "
                "(500 records, 5 MiB, partition keys included) and never send a record "
                "over 1 MiB: the service rejects the whole call.") from None
        worst = max((c for c in faults.calls if c.operation == "PutRecords"),
                    key=lambda c: (c.entries, c.payload_bytes))
        expect(worst.entries <= PUT_RECORDS_MAX_RECORDS and all(
            c.payload_bytes <= PUT_RECORDS_MAX_BYTES for c in faults.calls),
            f"A call carried {worst.entries} records and {worst.payload_bytes:,} bytes: over "
            "PutRecords' limits.")
        _expect_result(result, {150: TOO_LARGE},
                       f"Record 150 is over 1 MiB, so it can never be sent: report it as "
                       f"{TOO_LARGE!r}.")
        _expect_each_once(_stream_contents(reader), records, skip=(150,))


# -- writing to DynamoDB -------------------------------------------------------------------


def _item(i: int) -> dict:
    return {"id": {"S": f"item-{i:03d}"}, "count": {"N": str(i)}}


@contextmanager
def inventory_table():
    """A moto table, a learner's client on it (SDK retries off) and its fault layer."""
    from resilience.faults import FaultInjector
    from resilience.sandbox import aws_sandbox

    clock = SimClock()
    with aws_sandbox(tables=[TABLE], clock=clock) as aws:
        dynamodb = aws.client("dynamodb", total_max_attempts=1)
        stop_runaway(dynamodb, "BatchWriteItem")
        yield dynamodb, FaultInjector(dynamodb, clock=clock), clock


def _write(write_items_reliably, dynamodb: BaseClient, items, clock: Clock, seed=1):
    return write_items_reliably(dynamodb, TABLE, items, max_attempts=MAX_ATTEMPTS,
                                base=BASE_S, cap=CAP_S, sleep=clock.sleep,
                                rng=random.Random(seed))


def _stored_ids(dynamodb: BaseClient) -> set[str]:
    return {item["id"]["S"] for item in dynamodb.scan(TableName=TABLE)["Items"]}


def _writes(faults) -> list:
    return [c for c in faults.calls if c.operation == "BatchWriteItem"]


def check_batch_write_all_items(write_items_reliably) -> None:
    """Unprocessed items are written in the end, in calls of at most 25."""
    items = [_item(i) for i in range(60)]
    with inventory_table() as (dynamodb, faults, clock):
        faults.fail_entries("BatchWriteItem", rate=0.3)
        result = _write(write_items_reliably, dynamodb, items, clock)
        biggest = max((c.entries for c in _writes(faults)), default=0)
        expect(biggest <= BATCH_WRITE_ITEM_MAX_ITEMS and not any(
            c.outcome == "invalid" for c in faults.calls),
            f"A BatchWriteItem call carried {biggest} items; the API takes at most "
            f"{BATCH_WRITE_ITEM_MAX_ITEMS} and rejects the whole call otherwise.")
        missing = {i["id"]["S"] for i in items} - _stored_ids(dynamodb)
        expect(not missing,
               f"{len(missing)} item(s) are not in the table, e.g. {_example(missing)}. "
               "BatchWriteItem succeeds while leaving some items in UnprocessedItems: send "
               "those again.")
        expect(list(result or []) == [],
               f"Every item was written, so return an empty list; got {result!r:.200}.")


def check_batch_write_only_unprocessed(write_items_reliably) -> None:
    """Only unprocessed items are sent again, after a jittered wait."""
    items = [_item(i) for i in range(60)]
    with inventory_table() as (dynamodb, faults, clock):
        faults.fail_entries("BatchWriteItem", rate=0.3)
        _write(write_items_reliably, dynamodb, items, clock, seed=5)
        writes = _writes(faults)
        sent, unprocessed = sum(c.entries for c in writes), sum(c.failed for c in writes)
        expect(sent == len(items) + unprocessed,
               f"{len(items)} items, {unprocessed} of whose sends came back unprocessed, "
               f"should take {len(items) + unprocessed} item sends; your writer made {sent}. "
               "Resend UnprocessedItems only.")
        rounds = len({c.at_s for c in writes})  # calls of one round share a moment
        expect(clock.sleeps and len(clock.sleeps) == rounds - 1,
               f"Your writer sent {len(writes)} calls at {rounds} different moment(s) and "
               f"waited {len(clock.sleeps)} time(s). Wait once, through the sleep you are "
               "given, before each round of resends: resending at once meets the same "
               "exhausted capacity that left the items unprocessed.")
        for retry, wait in enumerate(clock.sleeps):
            expect(0 <= wait <= min(CAP_S, BASE_S * 2**retry),
                   f"Wait number {retry + 1} was {wait:.4f} s, outside [0, min(cap, base * "
                   f"2**{retry})].")


def check_batch_write_gives_up(write_items_reliably) -> None:
    """An item that is never processed is returned after max_attempts sends."""
    items = [_item(i) for i in range(30)]
    with inventory_table() as (dynamodb, faults, clock):
        faults.fail_entries("BatchWriteItem",
                            when=lambda entry: entry["PutRequest"]["Item"]["id"]["S"]
                            == "item-017")
        result = _write(write_items_reliably, dynamodb, items, clock)
        stuck_sends = sum(c.failed for c in _writes(faults))
        expect(stuck_sends == MAX_ATTEMPTS,
               f"item-017 is never processed; with max_attempts={MAX_ATTEMPTS} it should be "
               f"sent {MAX_ATTEMPTS} times, and it was sent {stuck_sends} times.")
        expect(list(result or []) == [items[17]],
               f"Return the items that were never written, exactly as you were given them: "
               f"expected [{items[17]}], got {result!r:.200}.")
        expect(_stored_ids(dynamodb) == {i["id"]["S"] for i in items} - {"item-017"},
               "Every other item should be in the table.")
