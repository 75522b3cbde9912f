"""Checks for lab 03: batch writes that succeed in part, to Kinesis and to DynamoDB.

The writers run against moto, through the fault layer, which fails chosen entries of a batch
while the call itself succeeds: the learner's code sees exactly the responses AWS sends,
``FailedRecordCount`` and ``UnprocessedItems`` included. A hidden scenario scripts, for each
record or item, which of its sends fail (and with which error code), so the lab's contract
fixes every call, every wait and the result; the checks work them out (the grouping into
calls with the reference ``plan_batches``) and compare them with what the learner's writer
did, call by call and wait by wait. Scenarios vary per submission (``varied``).

Records cross the grader's wire at a cost in time per megabyte, so only two checks send
records near the limits (1 MiB a record, 10 MiB a call); the others use small records.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from botocore.client import BaseClient
from hypothesis import strategies as st

from resilience.aws.facts import (
    BATCH_WRITE_ITEM_MAX_ITEMS,
    KINESIS_RECORD_MAX_BYTES,
    PUT_RECORDS_ERROR_CODES,
    PUT_RECORDS_MAX_BYTES,
    PUT_RECORDS_MAX_RECORDS,
    MiB,
)
from resilience.aws.shards import TOO_LARGE
from resilience.checks import expect, stop_runaway, varied
from resilience.checks.properties import for_all
from resilience.checks.requirements import Requirement
from resilience.clock import SimClock

LAB = "03-partial-failures"
STREAM = "telemetry"
TABLE = "inventory"
THROTTLED, INTERNAL_FAILURE = PUT_RECORDS_ERROR_CODES
UNPROCESSED = ""  # the "code" of an item DynamoDB left unprocessed: it has none
REQUEST_LIMIT = f"{PUT_RECORDS_MAX_BYTES // MiB} MiB"  # PutRecords' limit, as messages state it

REQUIREMENTS = (
    Requirement("1.1", "A call holds 1 to `PUT_RECORDS_MAX_RECORDS` (500) records.",
                ("test_plan_batches",)),
    Requirement("1.2", f"A call holds at most `PUT_RECORDS_MAX_BYTES` ({REQUEST_LIMIT}).",
                ("test_plan_batches",)),
    Requirement("1.3", "Sizes count the data **plus the partition key**, as UTF-8 bytes",
                ("test_plan_batches",)),
    Requirement("1.4", "Every index of a record that fits in a call appears once, in input "
                "order.", ("test_plan_batches",)),
    Requirement("1.5", "Fill each call before starting the next", ("test_plan_batches",)),
    Requirement("1.6", "Leave out any record over `KINESIS_RECORD_MAX_BYTES` (1 MiB)",
                ("test_plan_batches",)),
    Requirement("2.1", "return `(index, error_code)` for each record whose entry has an "
                "`ErrorCode`, with that code", ("test_failed_records",)),
    Requirement("2.2", "the i-th entry answers `batch[i]`: return indices from `batch`, not "
                "positions in the call", ("test_failed_records",)),
    Requirement("2.3", "list them in the order of `batch`, and return an empty list when none "
                "failed", ("test_failed_records",)),
    Requirement("3.1", "send the records in rounds; each round sends, with `plan_batches`, "
                "only the records still pending, in the order of `records`",
                ("test_burst_lands_once", "test_only_failed_resent", "test_limits_respected")),
    Requirement("3.2", "between rounds, wait `rng.uniform(0, min(cap, base * 2**retry))` "
                "through `sleep`", ("test_backoff_between_rounds",)),
    Requirement("3.3", "send each record at most `max_attempts` times: stop after "
                "`max_attempts` rounds, or as soon as no record is pending",
                ("test_permanent_failure_reported",)),
    Requirement("3.4", "return `{index: error_code}` for every record that never landed, with "
                "the last error code it got", ("test_permanent_failure_reported",)),
    Requirement("3.5", "never send a record over 1 MiB: report it as `TOO_LARGE`",
                ("test_limits_respected",)),
    Requirement("3.6", "every record that landed is in the stream exactly once",
                ("test_burst_lands_once", "test_only_failed_resent")),
    Requirement("4.1", "write the items in calls of at most `BATCH_WRITE_ITEM_MAX_ITEMS` (25)",
                ("test_batch_write_all_items", "test_batch_write_only_unprocessed"),
                leaves_open="How many items each call takes (1 to 25) and in which order: "
                            "the checks count each item's sends, never the grouping."),
    Requirement("4.2", "resend only the unprocessed ones, in rounds",
                ("test_batch_write_all_items", "test_batch_write_only_unprocessed")),
    Requirement("4.3", "with the same waits as above", ("test_batch_write_only_unprocessed",)),
    Requirement("4.4", "send each item at most `max_attempts` times, stopping as soon as none "
                "is pending", ("test_batch_write_gives_up",)),
    Requirement("4.5", "return the list of items never written, exactly as given",
                ("test_batch_write_all_items", "test_batch_write_gives_up"),
                leaves_open="The order of the returned list: the checks compare it as a "
                            "collection."),
)


# -- records -----------------------------------------------------------------------------------

ASCII_KEY_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789-"
WIDE_KEY_CHARACTERS = "éü€水😀"  # 2, 2, 3, 3 and 4 bytes each in UTF-8
KEY_MAX_CHARS = 64  # the longest partition key the scenarios draw


def _tag(index: int) -> bytes:
    """The start of record ``index``'s data, by which the checks know it in any call."""
    return f"record-{index:05d}|".encode()


def _index_of_data(data: Any) -> bytes:
    """The tag a record's data starts with (the data as sent, bytes or text)."""
    data = data.encode() if isinstance(data, str) else bytes(data or b"")
    return data[:data.find(b"|") + 1]


def _size(record: dict) -> int:
    """What a record counts against PutRecords' limits: data plus partition key, in bytes."""
    return len(record["Data"]) + len(record["PartitionKey"].encode())


def _sized_record(index: int, size_bytes: int, key: str) -> dict:
    """Record ``index`` whose data pads it to ``size_bytes``, its partition key included."""
    data = _tag(index)
    padding = size_bytes - len(data) - len(key.encode())
    if padding < 0:
        raise ValueError(f"a record of {size_bytes} bytes cannot hold key {key!r}")
    return {"Data": data + b"." * padding, "PartitionKey": key}


def _record(index: int, size_bytes: int = 100) -> dict:
    """A small record with an ASCII partition key."""
    return _sized_record(index, size_bytes, f"device-{index % 97}")


def _key(rng: random.Random, chars: int, wide: bool) -> str:
    """A partition key of ``chars`` characters: ASCII, or (``wide``) each of several bytes."""
    return "".join(rng.choice(WIDE_KEY_CHARACTERS if wide else ASCII_KEY_CHARACTERS)
                   for _ in range(chars))


def _key_extra_bytes(key: str) -> int:
    """How many more UTF-8 bytes than characters a key has."""
    return len(key.encode()) - len(key)


def _listed(values, most: int = 6) -> str:
    """A few values for a message: ``3, 17 and 40``, or the first few and how many."""
    values = list(values)
    if not values:
        return "none"  # messages are built even when the check passes
    shown = [str(v) for v in values[:most]]
    if len(values) > most:
        return f"{', '.join(shown)}, ... ({len(values)} in all)"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


# -- planning calls ----------------------------------------------------------------------------


def _as_plan(plan: Any) -> list[list[int]] | None:
    """The plan as lists of ints, or None if it is not shaped as a list of lists of indices."""
    if not isinstance(plan, (list, tuple)):
        return None
    batches = []
    for batch in plan:
        if not isinstance(batch, (list, tuple)) or not all(
                isinstance(i, int) and not isinstance(i, bool) for i in batch):
            return None
        batches.append(list(batch))
    return batches


def _describe_plan(plan: list[list[int]]) -> str:
    """A plan in a line: each call's indices, as ranges where they run on."""
    def call(batch: list[int]) -> str:
        if len(batch) > 2 and batch == list(range(batch[0], batch[-1] + 1)):
            return f"[{batch[0]}..{batch[-1]}]"
        return f"[{_listed(batch, 5)}]"
    return "[" + ", ".join(call(b) for b in plan[:6]) + (", ...]" if len(plan) > 6 else "]")


def _oversize_hint(record: dict) -> str:
    """Why a learner may have taken a record over 1 MiB for one that fits."""
    key = record["PartitionKey"]
    if len(record["Data"]) + len(key) > KINESIS_RECORD_MAX_BYTES:
        return ""
    return (f" Its data alone fits: the partition key counts too, in UTF-8 bytes ({key!r:.40} "
            f"is {len(key)} character(s) but {len(key.encode())} bytes).")


def _plan_problem(plan: Any, records: list[dict], what: str) -> str | None:
    """What is wrong with ``plan`` for ``records`` (the first problem, in a teaching
    message), or None if it meets requirements 1.1 to 1.6."""
    batches = _as_plan(plan)
    if batches is None:
        return (f"For {what}, plan_batches should return a list of lists of indices; it "
                f"returned {plan!r:.100}.")
    sendable = [i for i, r in enumerate(records) if _size(r) <= KINESIS_RECORD_MAX_BYTES]
    flat = [i for batch in batches for i in batch]
    if flat != sendable:
        return _indices_problem(flat, sendable, records, what)
    for number, batch in enumerate(batches):
        size = sum(_size(records[i]) for i in batch)
        if not 0 < len(batch) <= PUT_RECORDS_MAX_RECORDS:
            return (f"For {what}, call {number} holds {len(batch)} records; a PutRecords call "
                    f"takes 1 to {PUT_RECORDS_MAX_RECORDS} records.")
        if size > PUT_RECORDS_MAX_BYTES:
            characters = sum(len(records[i]["Data"]) + len(records[i]["PartitionKey"])
                             for i in batch)
            hint = (" Counting each partition key's characters instead of its UTF-8 bytes "
                    f"gives {characters:,}: count bytes." if characters <= PUT_RECORDS_MAX_BYTES
                    else "")
            return (f"For {what}, call {number} holds {size:,} bytes; a PutRecords call takes "
                    f"at most {PUT_RECORDS_MAX_BYTES:,} bytes ({REQUEST_LIMIT}), partition keys "
                    f"included.{hint}")
        following = batches[number + 1][0] if number + 1 < len(batches) else None
        if following is not None and len(batch) < PUT_RECORDS_MAX_RECORDS and \
                size + _size(records[following]) <= PUT_RECORDS_MAX_BYTES:
            exact = (f" A call of exactly {REQUEST_LIMIT} is within the limit."
                     if size + _size(records[following]) == PUT_RECORDS_MAX_BYTES else "")
            return (f"For {what}, call {number} ({len(batch)} records, {size:,} bytes) could "
                    f"also have taken record {following} ({_size(records[following]):,} "
                    "bytes): fill each call before starting the next (fewer calls, fewer "
                    f"partial failures).{exact}")
    return None


def _indices_problem(flat: list[int], sendable: list[int], records: list[dict],
                     what: str) -> str:
    """Why the indices of a plan, read in order, are not every sendable index once in
    order: a missing one, an extra one, a repeated one, or the order."""
    intro = (f"For {what}, the calls should hold every index of a record that fits in a "
             "call, once each, in the input's order; ")
    if flat == list(range(len(sendable))):
        return intro + ("those are positions among the records that fit, not indices of "
                        "records: keep each record's own index, so that a retry finds it.")
    extra = sorted(set(flat) - set(sendable))
    if extra:
        index = extra[0]
        if not 0 <= index < len(records):
            return intro + f"index {index} is not an index of the records given."
        return intro + (f"index {index} should not be there: that record is "
                        f"{_size(records[index]):,} bytes, over 1 MiB with its partition key, "
                        "and no call can carry it." + _oversize_hint(records[index]))
    missing = sorted(set(sendable) - set(flat))
    if missing:
        index = missing[0]
        exact = (" A record of exactly 1 MiB fits: leave out only those over it."
                 if _size(records[index]) == KINESIS_RECORD_MAX_BYTES else "")
        return intro + f"index {index} is missing ({len(missing)} missing in all).{exact}"
    repeated = [i for i, n in Counter(flat).items() if n > 1]
    if repeated:
        return intro + f"index {repeated[0]} is in more than one call."
    return intro + ("they are all there, but out of order: keep the input's order, so that "
                    "records with the same partition key reach their shard in order.")


def check_plan_batches(plan_batches) -> None:
    """Batches keep the input's order and stay within PutRecords' limits (visible)."""
    small = [_record(i) for i in range(1200)]
    plan = plan_batches(small)
    problem = _plan_problem(plan, small, "1,200 records of 100 bytes")
    expect(problem is None, str(problem))
    sizes = [len(b) for b in _as_plan(plan) or []]
    expect(sizes == [500, 500, 200],
           f"1,200 small records go in calls of 500, 500 and 200; yours: {sizes}")
    # Data 1 byte short of 1 MiB, key one character of 2 bytes: 1 MiB + 1 byte in all.
    edge = [_record(0), _record(1), _sized_record(2, KINESIS_RECORD_MAX_BYTES + 1, "ü"),
            _record(3), _record(4)]
    problem = _plan_problem(plan_batches(edge), edge,
                            "five small records and, in the middle, one of 1 MiB + 1 byte "
                            "(data 1 MiB - 1 byte, partition key 'ü', 2 bytes)")
    expect(problem is None, str(problem))


PLAN_COUNT_EDGES = (0, 500, 501, 1001)  # planned in every scenario
PLAN_MAX_RECORDS_DRAWN = 1_100
PLAN_EXAMPLES = 6  # generated counts besides the edges (each crosses the wire)
SMALL_KEYS = 32  # partition keys a list of small records shares


def _small_records(count: int, seed: int) -> list[dict]:
    """``count`` small records (under 100 bytes), with keys of 1 to 8 characters, some of
    several bytes each."""
    rng = random.Random(seed)
    keys = [_key(rng, rng.randint(1, 8), wide=rng.random() < 0.3) for _ in range(SMALL_KEYS)]
    records = []
    for index in range(count):
        key = rng.choice(keys)
        records.append(_sized_record(index, len(_tag(index)) + len(key.encode())
                                     + rng.randint(0, 40), key))
    return records


# Records of about 1 MiB that fill a call of exactly PutRecords' limit (with a few small ones).
BOUNDARY_BIG_RECORDS = PUT_RECORDS_MAX_BYTES // KINESIS_RECORD_MAX_BYTES


def _request_limit_boundary(rng: random.Random) -> list[dict]:
    """Records whose first call is exactly PutRecords' limit (10 MiB), partition keys of
    several-byte characters included, then a 1-byte record that must start the next call (a
    few small ones follow).

    Ten records of about 1 MiB each (one of exactly 1 MiB) and a few small ones, in any
    order, make up the first call's 10 MiB; the record after them is 1 byte (an empty data
    blob, a one-character key), so a plan that counts characters, leaves keys out or counts
    a byte short puts it in the first call; one that takes "exactly 10 MiB" for too much
    starts the second call a record early.
    """
    small_keys = [_key(rng, rng.randint(1, 8), wide=False) for _ in range(rng.randint(0, 5))]
    small_sizes = [len(_tag(0)) + len(key) + rng.randint(0, 180) for key in small_keys]
    # The big records fall short of 1 MiB by as many bytes as the small ones hold, in all.
    cuts = sorted(rng.randint(0, sum(small_sizes)) for _ in range(BOUNDARY_BIG_RECORDS - 2))
    shortfalls = [b - a for a, b in zip([0, *cuts], [*cuts, sum(small_sizes)], strict=True)]
    shortfalls.append(0)
    rng.shuffle(shortfalls)
    big_keys = [_key(rng, rng.randint(16, KEY_MAX_CHARS), wide=True)
                for _ in range(BOUNDARY_BIG_RECORDS)]
    first_call = [(key, KINESIS_RECORD_MAX_BYTES - short)
                  for key, short in zip(big_keys, shortfalls, strict=True)]
    first_call += list(zip(small_keys, small_sizes, strict=True))
    rng.shuffle(first_call)
    follower = {"Data": b"", "PartitionKey": _key(rng, 1, wide=False)}  # the limit + 1 byte
    after = []
    for _ in range(rng.randint(1, 4)):
        key = _key(rng, rng.randint(1, 8), wide=rng.random() < 0.5)
        after.append((key, len(_tag(0)) + len(key.encode()) + rng.randint(0, 50)))
    records = [_sized_record(i, size, key) for i, (key, size) in enumerate(first_call)]
    return records + [follower] + [_sized_record(len(records) + 1 + i, size, key)
                                   for i, (key, size) in enumerate(after)]


def _expect_plan(plan_batches, records: list[dict], expected: list[list[int]],
                 what: str) -> None:
    """The learner's plan for ``records`` is ``expected``, the one the contract fixes (the
    reference's), or a message says which requirement it misses."""
    plan = plan_batches(records)
    if _as_plan(plan) == expected:
        return
    problem = _plan_problem(plan, records, what)
    raise AssertionError(problem or f"For {what}, plan_batches should return "
                         f"{_describe_plan(expected)}; it returned {plan!r:.200}.")


@varied
def check_plan_batches_contract(plan_batches, *, seed: int, reference) -> None:
    """Any number of records, and a first call of exactly PutRecords' limit with multibyte
    keys, are planned as the contract fixes it (hidden)."""
    def prove(example: tuple[int, int]) -> None:
        records = _small_records(*example)
        _expect_plan(plan_batches, records, reference.plan_batches(records),
                     f"{example[0]} small records")

    for count in PLAN_COUNT_EDGES:
        prove((count, seed))
    for_all(st.tuples(st.integers(1, PLAN_MAX_RECORDS_DRAWN), st.integers(0, 2**16)), prove,
            seed=seed, examples=PLAN_EXAMPLES,
            show=lambda e: f"{e[0]} small records (drawn with _small_records({e[0]}, {e[1]}))")
    records = _request_limit_boundary(random.Random(seed))
    expected = reference.plan_batches(records)
    wide = [i for i, r in enumerate(records) if _key_extra_bytes(r["PartitionKey"])]
    _expect_plan(plan_batches, records, expected,
                 f"{len(records)} records whose first {len(expected[0])} make exactly "
                 f"{REQUEST_LIMIT} (records {_listed(wide)} have partition keys of several-byte "
                 "characters)")


# -- reading a response ------------------------------------------------------------------------


def _put_records_response(codes: list[str | None]) -> dict:
    """A PutRecords response whose entry ``i`` failed with ``codes[i]`` (None: landed)."""
    entries = [{"ErrorCode": code, "ErrorMessage": f"{code} (made by the test)"} if code else
               {"SequenceNumber": f"4959{n:020d}", "ShardId": f"shardId-{n % 4:012d}"}
               for n, code in enumerate(codes)]
    return {"FailedRecordCount": sum(1 for c in codes if c), "Records": entries,
            "EncryptionType": "NONE"}


def _as_pairs(got: Any) -> list[tuple] | None:
    """The learner's answer as a list of tuples, or None if it is not a list of pairs."""
    if not isinstance(got, (list, tuple)) or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 for p in got):
        return None
    return [tuple(p) for p in got]


def _expect_failed_records(failed_records, batch: list[int], codes: list[str | None]) -> None:
    """``failed_records(batch, response)`` names each failed record by its index in
    ``batch``, with its code, in order."""
    response = _put_records_response(codes)
    got = failed_records(list(batch), response)
    expected = [(index, code) for index, code in zip(batch, codes, strict=True) if code]
    pairs = _as_pairs(got)
    if pairs == expected:
        return
    sent = f"Sending records {_listed(batch, 8)}"
    failed_positions = [n for n, code in enumerate(codes) if code]
    if not expected:
        raise AssertionError(f"{sent}, no entry of the response has an ErrorCode, so no "
                             f"record failed: return an empty list, not {got!r:.120}.")
    intro = (f"{sent}, the entries at positions {_listed(failed_positions)} of the response "
             f"failed, so failed_records should return {expected!r:.200}; it returned "
             f"{got!r:.200}. ")
    if pairs is None:
        raise AssertionError(intro + "Return a list of (index, error_code) pairs.")
    if sorted(pairs, key=str) == sorted(expected, key=str):
        raise AssertionError(intro + "The right pairs, in another order: list them in the "
                             "order of the batch (the i-th entry answers batch[i]).")
    if [p[0] for p in pairs] == failed_positions:
        raise AssertionError(intro + "Those are positions in the call, not indices of the "
                             "records you sent: map them back through the batch (the i-th "
                             "entry answers batch[i]), or you will resend the wrong records.")
    if [p[0] for p in pairs] == [i for i, _ in expected]:
        raise AssertionError(intro + "The right records, with other codes: return each "
                             "entry's ErrorCode as the response gives it.")
    raise AssertionError(intro + "The response's Records are in the order of the request; "
                         "every entry with an ErrorCode is a failed record, wherever it is "
                         "(FailedRecordCount only says how many).")


def check_failed_records(failed_records) -> None:
    """Failed entries are matched to the records sent, by position in the response
    (visible)."""
    _expect_failed_records(failed_records, [40, 41, 42, 43, 44],
                           [None, THROTTLED, None, None, INTERNAL_FAILURE])
    _expect_failed_records(failed_records, [7], [None])


FAILED_RECORDS_EXAMPLES = 25
FAILED_RECORDS_MAX_BATCH = 12  # entries per generated response: small inputs shrink fast
FIRST_INDEX_DRAWN = 9_000


def _answered_batch(example: tuple[list[str | None], int, int]) -> tuple[list[int], list]:
    """A call's indices and each entry's fate, from a generated example: the fates (None:
    landed), the first index, and a seed that shuffles the indices (0: keep them in order)."""
    fates, first, shuffle_seed = example
    batch = list(range(first, first + len(fates)))
    if shuffle_seed:
        random.Random(shuffle_seed).shuffle(batch)
    return batch, fates


@varied
def check_failed_records_contract(failed_records, *, seed: int) -> None:
    """Failed entries at any positions, with either code, in calls of any indices in any
    order (hidden)."""
    fates = st.lists(st.sampled_from([None, THROTTLED, INTERNAL_FAILURE]), min_size=1,
                     max_size=FAILED_RECORDS_MAX_BATCH)
    examples = st.tuples(fates, st.integers(0, FIRST_INDEX_DRAWN), st.integers(0, 255))

    def show(example) -> str:
        batch, codes = _answered_batch(example)
        return f"batch {batch}, entry codes {codes}"

    for_all(examples, lambda e: _expect_failed_records(failed_records, *_answered_batch(e)),
            seed=seed, examples=FAILED_RECORDS_EXAMPLES, show=show)


# -- what a writer did -------------------------------------------------------------------------


@dataclass
class Call:
    """One batch call as the service saw it."""

    sent: list  # the records (indices) or items (ids) it carried, in order; None: unknown
    failed: dict = field(default_factory=dict)  # of those, the ones that failed: id -> code
    refused: str = "not sent"  # why the service refused the whole call ("" if it did not)


@dataclass
class Wait:
    """One wait through the ``sleep`` the writer was given."""

    seconds: float


class WriterLog:
    """A writer's calls and waits, in the order it made them. Its ``sleep`` is the one the
    writer is given: it records the wait and moves simulated time on."""

    def __init__(self) -> None:
        self.clock = SimClock()
        self.events: list[Call | Wait] = []

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of simulated time."""
        self.events.append(Wait(float(seconds)))
        self.clock.sleep(seconds)

    @property
    def calls(self) -> list[Call]:
        return [e for e in self.events if isinstance(e, Call)]

    @property
    def waits(self) -> list[float]:
        return [e.seconds for e in self.events if isinstance(e, Wait)]

    def watch(self, client: BaseClient, operation: str, sent_of: Callable[[dict], list],
              failed_of: Callable[[dict, list], dict]) -> None:
        """Log each ``operation`` call the client makes: what it carried (``sent_of`` its
        parameters) and what failed (``failed_of`` its response and what it carried)."""
        service = client.meta.service_model.service_id.hyphenize()

        def before(params, **_):
            self.events.append(Call(sent_of(params)))

        def after(parsed, **_):
            call = self.calls[-1]
            error = parsed.get("Error", {}).get("Code")
            call.refused = error or ""
            if not error:
                call.failed = failed_of(parsed, call.sent)

        client.meta.events.register(f"before-parameter-build.{service}.{operation}", before)
        client.meta.events.register(f"after-call.{service}.{operation}", after)

    def sends(self) -> Counter:
        """How many times each record or item was sent (in calls the service took)."""
        return Counter(i for call in self.calls if not call.refused for i in call.sent)

    def landed(self) -> Counter:
        """How many times each record or item landed."""
        return Counter(i for call in self.calls if not call.refused for i in call.sent
                       if i not in call.failed)


@dataclass
class Script:
    """Which sends of each record (or item) fail, and with which error code: the ``k``-th
    send of ``key`` fails with ``failures[key][k - 1]``; a send past its list lands."""

    failures: dict[Any, list[str]]
    key_of: Callable[[dict], Any]  # the record or item a fault-layer entry is
    sends: Counter = field(default_factory=Counter)
    _entry: Any = None
    _code: str | None = None

    def code_for(self, entry: dict) -> str | None:
        """The code this send of ``entry`` fails with, or None if it lands. Each rule of the
        fault layer asks, in turn, about the same entry: the send is counted once."""
        if entry is not self._entry:
            key = self.key_of(entry)
            self.sends[key] += 1
            codes = self.failures.get(key, [])
            self._entry = entry
            self._code = codes[self.sends[key] - 1] if self.sends[key] <= len(codes) else None
        return self._code

    def install(self, faults, operation: str, codes: tuple[str | None, ...]) -> None:
        """Add the fault layer's rules that fail the scripted sends of ``operation``."""
        for code in codes:
            faults.fail_entries(operation, when=lambda e, c=code: self.code_for(e) == c,
                                code=code)


def _expected_waits(count: int, base: float, cap: float, rng_seed: int) -> list[float]:
    """The waits the contract fixes between ``count + 1`` rounds: the ``retry``-th is
    ``rng.uniform(0, min(cap, base * 2**retry))``, drawn from ``Random(rng_seed)``."""
    rng = random.Random(rng_seed)
    return [rng.uniform(0, min(cap, base * 2**retry)) for retry in range(count)]


def _wait_hint(got: float, retry: int, base: float, cap: float, draws: list[float],
               calls: tuple[int, int] = (0, 0)) -> str:
    """Why wait ``retry`` (0-based) may differ from the contract's draw (``calls``: how many
    calls the writer made before it, in all and in its retry rounds)."""
    ceiling = min(cap, base * 2**retry)
    in_all, in_retry_rounds = calls
    if retry > 0 and any(  # the waits before were right: retry does start at 0
            exponent != retry and math.isclose(got, draws[retry] * min(cap, base * 2**exponent))
            for exponent in (in_retry_rounds, in_all - 1)):
        return (f" retry counts rounds, not calls: it is {retry} before round {retry + 2}, "
                f"however many calls the rounds before took (your writer made {in_all} "
                "calls before this wait); yours seems to count calls. The window should grow "
                "with each round that fails again, not with the size of a round.")
    if not 0 <= got <= ceiling:
        if got <= base * 2**retry:
            return (f" It is above the cap: the window is [0, min(cap, base * 2**retry)] = "
                    f"[0, {ceiling:g}].")
        if retry + 1 < 64 and got <= min(cap, base * 2 ** (retry + 1)):
            return (" retry is 0 before the second round, 1 before the third, and so on: "
                    "yours seems to start at 1.")
        return f" Draw it from [0, {ceiling:g}]."
    if math.isclose(got, ceiling):
        return (" That is the window's top, every time: there is no jitter. Draw each wait "
                "at random in the window, so that writers throttled together do not come "
                "back together.")
    if math.isclose(got, draws[retry] * min(cap, base * 2 ** (retry + 1))):
        return (" retry is 0 before the second round, 1 before the third, and so on: yours "
                "seems to start at 1.")
    return (" Draw each wait with exactly rng.uniform(0, min(cap, base * 2**retry)), from the "
            "rng you are given, once per wait, and draw nothing else from it: the same seed "
            "must give the same waits.")


def _round_of_each_call(log: WriterLog) -> list[int]:
    """For each call, in order, the round it belongs to: the highest send count, after the
    call, of what it carried (the first round's calls send everything once)."""
    seen: Counter = Counter()
    rounds = []
    for call in log.calls:
        for i in call.sent:
            seen[i] += 1
        rounds.append(max((seen[i] for i in call.sent), default=0))
    return rounds


def _expect_whole_rounds(log: WriterLog, what: str, writer: str = "writer") -> None:
    """The writer sent whole rounds: no call of a round after a call of a later one."""
    latest = 0
    for current in _round_of_each_call(log):
        if current < latest:
            raise AssertionError(f"{what}, your {writer} sent round {latest} before it had sent "
                                 f"all of round {current}: send a whole round, wait, then send "
                                 "what failed in it as the next round.")
        latest = current


def _expect_waits(log: WriterLog, rounds: int, base: float, cap: float, rng_seed: int,
                  what: str, writer: str = "writer") -> None:
    """The writer waited once between each two rounds, never elsewhere, exactly the
    contract's draws (``rounds``: how many rounds the scenario takes)."""
    expected = _expected_waits(max(rounds - 1, 0), base, cap, rng_seed)
    waits = log.waits
    about = f"{what} (max_attempts and {rounds} round(s) needed; base={base:g}, cap={cap:g})"
    _expect_whole_rounds(log, about, writer)
    if expected and not waits:
        raise AssertionError(
            f"{about}, your {writer} should wait {len(expected)} time(s) through the sleep it "
            "is given, once between each two rounds; it never called it. Did you call "
            "time.sleep? Wait through the sleep you are given, so tests and simulations run "
            "in simulated time.")
    call_rounds = iter(_round_of_each_call(log))
    previous = 0  # the round of the last call before this event (0: none yet)
    waited = False
    for event in log.events:
        if isinstance(event, Wait):
            if previous == 0:
                raise AssertionError(f"{about}, your {writer} waited before its first call: "
                                     "wait only between rounds.")
            if waited:
                raise AssertionError(f"{about}, your {writer} waited twice in a row: wait "
                                     "once between each two rounds.")
            waited = True
            continue
        current = next(call_rounds)
        if current == previous and waited:
            raise AssertionError(f"{about}, your {writer} waited between two calls of round "
                                 f"{current}: wait only between rounds, once the whole round "
                                 "is sent.")
        if current > previous > 0 and not waited:
            raise AssertionError(f"{about}, your {writer} sent round {current} without waiting "
                                 "first: resending at once meets the same exhausted capacity "
                                 "that failed the records.")
        previous, waited = current, False
    if waited:
        raise AssertionError(f"{about}, your {writer} waited after its last call: wait only "
                             "between rounds, never after the last one.")
    if len(waits) != len(expected):
        raise AssertionError(f"{about}, your {writer} should wait {len(expected)} time(s), once "
                             f"between each two rounds; it waited {len(waits)} time(s).")
    draws = _unit_draws(len(expected), rng_seed)
    calls = _calls_before_each_wait(log)
    for retry, (got, want) in enumerate(zip(waits, expected, strict=True)):
        if not math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12):
            raise AssertionError(
                f"{about}: wait number {retry + 1} (retry={retry}) should be "
                f"rng.uniform(0, {min(cap, base * 2**retry):g}) = {want:.6f} s with the rng "
                f"you were given; it was {got:.6f} s."
                + _wait_hint(got, retry, base, cap, draws, calls[retry]))


def _calls_before_each_wait(log: WriterLog) -> list[tuple[int, int]]:
    """For each wait, how many calls the writer made before it: in all, and in its retry
    rounds (every round but the first)."""
    call_rounds = iter(_round_of_each_call(log))
    in_all = in_retry_rounds = 0
    before = []
    for event in log.events:
        if isinstance(event, Wait):
            before.append((in_all, in_retry_rounds))
        else:
            in_all += 1
            in_retry_rounds += next(call_rounds) > 1
    return before


def _unit_draws(count: int, rng_seed: int) -> list[float]:
    """The first ``count`` values ``Random(rng_seed).random()`` gives: each wait's fraction
    of its window, as ``rng.uniform`` draws it."""
    rng = random.Random(rng_seed)
    return [rng.random() for _ in range(count)]


@dataclass
class Scenario:
    """A writer's task: what to write, which of its sends fail, and the writer's settings."""

    records: list  # Kinesis records, or DynamoDB items
    failures: dict[Any, list[str]]  # by record index or item id: the codes its sends fail with
    max_attempts: int
    base: float
    cap: float
    rng_seed: int

    def settings(self) -> str:
        return f"max_attempts={self.max_attempts}, base={self.base:g}, cap={self.cap:g}"


BASES_S = (0.05, 0.1, 0.2, 0.25, 0.5, 1.0)


def _draw_scenario(rng: random.Random, records: list, attempts: tuple[int, int],
                   failures: Callable[[int], dict[Any, list[str]]]) -> Scenario:
    """A scenario whose settings are drawn from ``rng``: ``max_attempts`` in ``attempts``,
    a base, and a cap above the second window (so that the windows' doubling shows) that
    binds from some later retry on, or never; ``failures(max_attempts)`` scripts the failing
    sends."""
    max_attempts = rng.randint(*attempts)
    base = rng.choice(BASES_S)
    cap = base * 2 ** rng.randint(1, max(1, max_attempts - 2)) * rng.uniform(1.05, 1.9)
    return Scenario(records, failures(max_attempts), max_attempts, base, round(cap, 3),
                    rng.randrange(2**32))


def _failing(rng: random.Random, keys: list, share: float, sends: tuple[int, int],
             codes: tuple[str, ...]) -> dict[Any, list[str]]:
    """Failures for about ``share`` of ``keys`` (the first and last often among them): each
    fails a number of sends in ``sends`` (one of them the most, so that the scenario takes
    every round it can), each with a code drawn from ``codes``."""
    chosen = set(rng.sample(keys, max(1, round(len(keys) * rng.uniform(share / 2, share)))))
    chosen |= {key for key in (keys[0], keys[-1]) if rng.random() < 0.5}
    ordered = sorted(chosen, key=keys.index)
    deepest = rng.choice(ordered)
    return {key: [rng.choice(codes) for _ in range(
        sends[1] if key == deepest else rng.randint(*sends))] for key in ordered}


# -- writing to Kinesis --------------------------------------------------------------------------

BASE_S = 0.1
CAP_S = 2.0
BURST_RECORDS = 520  # two calls in the first round
BURST_ATTEMPTS = 10  # rounds enough for any fair jitter to outlast the shard's limit
BURST_SHARD_RECORDS_PER_S = 480  # the burst's shard, slowed: both calls of round 1 lose records
RUNAWAY_PUT_RECORDS_CALLS = 60  # far past any scenario's calls: a writer that never stops


@dataclass
class Round:
    """One round the contract fixes: its calls (record indices) and what failed in it."""

    calls: list[list[int]]
    failed: dict[int, str]


def _sendable(records: list[dict]) -> list[int]:
    return [i for i, record in enumerate(records) if _size(record) <= KINESIS_RECORD_MAX_BYTES]


def _kinesis_rounds(scenario: Scenario, plan: Callable[[list[dict]], list[list[int]]]
                    ) -> list[Round]:
    """The rounds the contract fixes for ``scenario``: each sends the pending records, in
    order, in the calls ``plan`` (the reference's ``plan_batches``) groups them into."""
    pending = _sendable(scenario.records)
    sends: Counter[int] = Counter()
    rounds: list[Round] = []
    while pending and len(rounds) < scenario.max_attempts:
        calls = [[pending[p] for p in batch]
                 for batch in plan([scenario.records[i] for i in pending])]
        failed = {}
        for index in pending:
            sends[index] += 1
            codes = scenario.failures.get(index, [])
            if sends[index] <= len(codes):
                failed[index] = codes[sends[index] - 1]
        rounds.append(Round(calls, failed))
        pending = sorted(failed)
    return rounds


def _kinesis_result(scenario: Scenario, rounds: list[Round]) -> dict[int, str]:
    """The result the contract fixes: the last code of each record that never landed, and
    ``TOO_LARGE`` for each record over 1 MiB."""
    too_large = {i: TOO_LARGE for i, record in enumerate(scenario.records)
                 if _size(record) > KINESIS_RECORD_MAX_BYTES}
    return {**too_large, **(rounds[-1].failed if rounds else {})}


@contextmanager
def _sandbox(**resources) -> Iterator:
    """A moto sandbox with ``streams`` or ``tables``."""
    from resilience.sandbox import aws_sandbox

    with aws_sandbox(**resources) as aws:
        yield aws


def _refusal(call: Call, records: list, unit: str) -> str:
    """Why the service refused one of the writer's calls, in a teaching message."""
    if call.refused == "not sent":
        return (f"Your writer made a call that botocore refused before sending it: its "
                f"parameters are not valid (it carried {len(call.sent)} {unit}s). A call "
                f"carries at least one {unit}.")
    oversize = [i for i in call.sent if isinstance(i, int) and _size(records[i])
                > KINESIS_RECORD_MAX_BYTES]
    if oversize:
        return (f"Your writer sent record {oversize[0]}, which is over 1 MiB, and the service "
                f"refused the whole call ({call.refused}). Never send a record over 1 MiB: "
                "leave it out and report it as TOO_LARGE.")
    return (f"The service refused a call of {len(call.sent)} {unit}s with {call.refused}: a "
            f"PutRecords call takes at most {PUT_RECORDS_MAX_RECORDS} records and "
            f"{REQUEST_LIMIT}, a BatchWriteItem call at most {BATCH_WRITE_ITEM_MAX_ITEMS} items.")


def _write_records(put_records_reliably, aws, stream: str, scenario: Scenario,
                   shard_records_per_s: int | None = None) -> tuple[WriterLog, Any]:
    """Run the learner's writer on ``scenario`` against a moto stream, its scripted sends
    failing through the fault layer; what it did, and what it returned."""
    from resilience.faults import FaultInjector

    log = WriterLog()
    kinesis = aws.client("kinesis", total_max_attempts=1)
    stop_runaway(kinesis, "PutRecords", RUNAWAY_PUT_RECORDS_CALLS)
    faults = FaultInjector(kinesis, clock=log.clock)
    if shard_records_per_s is not None:
        faults.shard_limits(records_per_s=shard_records_per_s)
    index_of = {_tag(i): i for i in range(len(scenario.records))}

    def indices(params: dict) -> list:
        return [index_of.get(_index_of_data(r.get("Data"))) if isinstance(r, dict) else None
                for r in params.get("Records") or []]

    def failed(parsed: dict, sent: list) -> dict:
        return {i: entry["ErrorCode"] for i, entry in zip(sent, parsed.get("Records", []),
                                                           strict=False) if "ErrorCode" in entry}

    Script(scenario.failures, key_of=lambda entry: index_of.get(_index_of_data(
        entry["Data"]))).install(faults, "PutRecords", PUT_RECORDS_ERROR_CODES)
    log.watch(kinesis, "PutRecords", indices, failed)
    try:
        result = put_records_reliably(kinesis, stream, scenario.records,
                                      max_attempts=scenario.max_attempts, base=scenario.base,
                                      cap=scenario.cap, sleep=log.sleep,
                                      rng=random.Random(scenario.rng_seed))
    except Exception:
        refused = next((call for call in log.calls if call.refused), None)
        if refused is not None:
            raise AssertionError(_refusal(refused, scenario.records, "record")) from None
        raise
    return log, result


def _expect_calls_within_limits(log: WriterLog, records: list[dict]) -> None:
    """Every call carried records it was given, within PutRecords' limits (500 records,
    10 MiB), none over 1 MiB."""
    for number, call in enumerate(log.calls, 1):
        expect(None not in call.sent,
               f"Call {number} of your writer carried a record that is not one of the "
               "records it was given: send each record exactly as given (its data and "
               "partition key).")
        oversize = [i for i in call.sent if _size(records[i]) > KINESIS_RECORD_MAX_BYTES]
        expect(not oversize,
               f"Call {number} of your writer carried record {_listed(oversize)}, over 1 MiB "
               f"({_size(records[oversize[0]]) if oversize else 0:,} bytes with its partition "
               "key). Never send a record over 1 MiB: Kinesis refuses the whole call; report "
               "it as TOO_LARGE instead." + (_oversize_hint(records[oversize[0]])
                                            if oversize else ""))
        size = sum(_size(records[i]) for i in call.sent)
        expect(len(call.sent) <= PUT_RECORDS_MAX_RECORDS and size <= PUT_RECORDS_MAX_BYTES,
               f"Call {number} of your writer carried {len(call.sent)} records and {size:,} "
               f"bytes: over PutRecords' limits ({PUT_RECORDS_MAX_RECORDS} records, "
               f"{PUT_RECORDS_MAX_BYTES:,} bytes). Send each round with plan_batches.")


def _expect_each_landed_once(log: WriterLog, records: list[dict], reported) -> None:
    """Each record landed exactly once, but for those the writer reports as never landed."""
    landed = log.landed()
    duplicates = sorted(i for i, times in landed.items() if times > 1)
    expect(not duplicates,
           f"Record(s) {_listed(duplicates)} are in the stream more than once. Resend only "
           "the records that failed: resending one that landed duplicates it downstream.")
    missing = [i for i in range(len(records)) if not landed[i] and i not in reported]
    expect(not missing,
           f"Record(s) {_listed(missing)} never reached the stream, and your writer does not "
           "report them. A PutRecords call that returns HTTP 200 may still have failed some "
           "records: read each entry's ErrorCode and send the failed ones again.")


def _result_dict(result: Any, what: str) -> dict:
    """The writer's result as a dict, or a message saying what it should be."""
    expect(isinstance(result, dict),
           f"{what}, put_records_reliably should return a dict {{index: error_code}}; it "
           f"returned {result!r:.120}.")
    expect(all(isinstance(k, int) for k in result),
           f"{what}, the returned dict's keys should be the records' indices (ints); got "
           f"keys {_listed(list(result)[:6])}.")
    return result


def _expect_result(result: Any, expected: dict[int, str], scenario: Scenario, what: str) -> None:
    """The writer returned exactly the never-landed records with their last codes."""
    got = _result_dict(result, what)
    if got == expected:
        return
    wrong_too_large = [i for i, code in expected.items() if code == TOO_LARGE
                       and got.get(i) != TOO_LARGE]
    expect(not wrong_too_large,
           f"{what}: record {_listed(wrong_too_large)} is over 1 MiB with its partition key, "
           f"so it can never be sent: report it as {TOO_LARGE!r} (TOO_LARGE); your result "
           f"gives {got.get(wrong_too_large[0]) if wrong_too_large else None!r}.")
    missing = sorted(set(expected) - set(got))
    expect(not missing,
           f"{what}: record(s) {_listed(missing)} never landed (they failed on every one of "
           f"their {scenario.max_attempts} sends) but your result leaves them out. Return "
           "every record that never landed, with the last error code it got: the caller "
           "must know what was lost.")
    extra = sorted(set(got) - set(expected))
    expect(not extra,
           f"{what}: your result reports record(s) {_listed(extra)}, which landed in the end. "
           "Report only the records that never landed, with the last error code each got.")
    wrong = next(i for i in sorted(expected) if got[i] != expected[i])
    codes = scenario.failures.get(wrong, [])[:scenario.max_attempts]
    raise AssertionError(f"{what}: record {wrong} failed with {_listed(codes)}, in that "
                         f"order, so report its last code, {expected[wrong]!r}; your result "
                         f"gives {got[wrong]!r}.")


def _expect_rounds_of_calls(log: WriterLog, scenario: Scenario, rounds: list[Round],
                            what: str) -> None:
    """The writer made exactly the calls the contract fixes, round by round: each round the
    pending records, in order, grouped by plan_batches."""
    calls, position = log.calls, 0
    landed: set[int] = set()
    for number, round_ in enumerate(rounds, 1):
        pending = [i for call in round_.calls for i in call]
        sent: list[int] = []
        for expected in round_.calls:
            if position == len(calls):
                raise AssertionError(_stopped_early(number, pending, sent, rounds, scenario,
                                                    what))
            call = calls[position]
            if call.sent != expected:
                codes = rounds[number - 2].failed if number > 1 else {}
                raise AssertionError(f"{what}: " + _wrong_call(
                    call.sent, expected, number, pending, sent, landed, scenario.records,
                    codes))
            sent += expected
            position += 1
        landed |= set(pending) - set(round_.failed)
    if position < len(calls):
        extra = calls[position].sent
        final = rounds[-1].failed if rounds else {}
        if not final:
            raise AssertionError(
                f"{what}: every record had landed after round {len(rounds)}, but your writer "
                f"made another call (with record(s) {_listed(extra)}). Stop as soon as no "
                "record is pending.")
        raise AssertionError(
            f"{what}: records {_listed(sorted(final))} had been sent max_attempts="
            f"{scenario.max_attempts} times, but your writer sent record(s) {_listed(extra)} "
            "again. Send each record at most max_attempts times, then report it.")


def _stopped_early(number: int, pending: list[int], sent: list[int], rounds: list[Round],
                   scenario: Scenario, what: str) -> str:
    """Why a writer that made no more calls, with records still to send, is wrong."""
    unsent = [i for i in pending if i not in sent]
    if number == 1:
        return (f"{what}: your writer never sent record(s) {_listed(unsent)}. The first round "
                "sends every record that fits in a call." + _fits_hint(unsent, scenario.records))
    before = rounds[number - 2].failed
    return (f"{what}: record(s) {_listed(unsent)} failed in round {number - 1} (with "
            f"{_listed(sorted({before[i] for i in unsent}))}) and max_attempts="
            f"{scenario.max_attempts} allows another round, but your writer did not send them "
            "again. Read each entry of every call's response, and send the failed records in "
            "the next round.")


def _fits_hint(indices: list[int], records: list[dict]) -> str:
    """A hint for records of exactly 1 MiB among ``indices``, which a writer may take for
    too large."""
    exact = [i for i in indices if _size(records[i]) == KINESIS_RECORD_MAX_BYTES]
    return (f" Record {exact[0]} is exactly 1 MiB with its partition key: it fits; only a "
            "record over 1 MiB is TOO_LARGE." if exact else "")


def _wrong_call(got: list, expected: list[int], number: int, pending: list[int],
                sent: list[int], landed: set[int], records: list[dict],
                codes: dict[int, str]) -> str:
    """Why call ``got`` of round ``number`` is not the call ``expected`` (the round sends
    ``pending``; ``sent`` of them went in its earlier calls; ``landed`` had landed before;
    ``codes``: what each pending record failed with in the round before)."""
    again = [i for i in got if i in landed]
    if again:
        return (f"in round {number}, your writer sent record(s) {_listed(again)} again, "
                "though they had landed in an earlier round (their entries had a "
                "SequenceNumber). Resend only the records that failed: every resend of a "
                "landed record is a duplicate downstream.")
    early = [i for i in got if i in sent]
    if early:
        return (f"your writer sent record(s) {_listed(early)} again before sending the rest of "
                f"round {number} (record(s) {_listed([i for i in pending if i not in sent])}). "
                "Send the whole round, then wait, then send what failed in it as the next "
                "round.")
    unknown = [i for i in got if i not in pending]
    if unknown:
        return (f"in round {number}, your writer sent record(s) {_listed(unknown)}, which were "
                f"not pending in that round. Round {number} sends record(s) "
                f"{_listed(pending)}, each once.")
    remaining = [i for i in pending if i not in sent]
    if got != sorted(got):
        return (f"round {number} should send its pending records in the order of records "
                f"({_listed(remaining)}); your call sent {_listed(got)}. Keep the input's "
                "order, so that a partition key's records reach their shard in order."
                + _order_hint(got, codes))
    skipped = [i for i in remaining if i < max(got, default=-1) and i not in got]
    if skipped:
        return (f"in round {number}, your writer did not send record(s) {_listed(skipped)}, "
                f"which were pending (all the records in round 1, then those that failed in "
                "the round before)." + _fits_hint(skipped, records))
    size = sum(_size(records[i]) for i in got)
    return (f"round {number}'s call should carry record(s) {_listed(expected)}: plan_batches "
            f"groups the pending records into calls, each filled before the next; yours "
            f"carried {len(got)} records ({size:,} bytes): {_listed(got)}.")


def _order_hint(got: list[int], codes: dict[int, str]) -> str:
    """Why a writer may have resent a round's records out of order: it kept them in a set,
    or sorted them by the error code each failed with."""
    as_a_set = got in (list(set(sorted(got))), list(set(got)))  # built in either order
    by_code = [codes.get(i, "") for i in got]
    runs = [code for n, code in enumerate(by_code) if n == 0 or code != by_code[n - 1]]
    grouped = len(runs) == len(set(runs)) > 1 and all(
        [i for i in got if codes.get(i, "") == code] == sorted(i for i in got
                                                              if codes.get(i, "") == code)
        for code in runs)
    if as_a_set and grouped:
        return (" Did you keep them in a set (a set keeps no order), or sort them by error "
                "code? Either way, resend them in the order of records.")
    if as_a_set:
        return (" Yours is the order a set of them has: a set keeps no order, so keep the "
                "failed indices in a list, in the order of records (or sort them).")
    if grouped:
        return (" Yours puts them in groups by error code: resend every failed record in the "
                "order of records, whatever its code; a throttled record is no more urgent "
                "than one that met an internal failure.")
    return ""


def check_burst_lands_once(put_records_reliably) -> None:
    """A burst past the shard's limit lands in full, each record exactly once (visible)."""
    records = [_record(i) for i in range(BURST_RECORDS)]
    scenario = Scenario(records, {}, BURST_ATTEMPTS, BASE_S, CAP_S, rng_seed=1)
    with _sandbox(streams={STREAM: 1}) as aws:
        log, result = _write_records(put_records_reliably, aws, STREAM, scenario,
                                     shard_records_per_s=BURST_SHARD_RECORDS_PER_S)
    expect(any(call.failed for call in log.calls),
           "The stream should have turned records away (test set-up).")
    _expect_calls_within_limits(log, records)
    _expect_whole_rounds(log, f"Writing a burst of {len(records)} records")
    reported = set(result) if isinstance(result, dict) else set()
    _expect_each_landed_once(log, records, reported)
    _expect_result(result, {}, scenario, f"When all {len(records)} records land in the end,")


def _scripted_records(rng: random.Random, count: int, oversize: int | None = None,
                      one_mib: int | None = None) -> list[dict]:
    """``count`` small records, some with partition keys of several-byte characters; with
    ``oversize``, the record at that index is over 1 MiB by its key's bytes alone (its data,
    and its key's characters, fit); with ``one_mib``, the record there is exactly 1 MiB."""
    records = []
    for index in range(count):
        if index in (oversize, one_mib):
            key = _key(rng, rng.randint(8, KEY_MAX_CHARS), wide=True)
            size = MiB + (rng.randint(1, _key_extra_bytes(key)) if index == oversize else 0)
        else:
            key = _key(rng, rng.randint(1, 12), wide=rng.random() < 0.3)
            size = len(_tag(index)) + len(key.encode()) + rng.randint(0, 120)
        records.append(_sized_record(index, size, key))
    return records


def _out_of_order_three(rng: random.Random, count: int) -> tuple[int, int, int]:
    """Three indices below ``count`` (at least 11), ``a < b < c``, that a set of the three
    lists as ``b, a, c``: modulo 8, ``b`` is below ``a``, and ``a`` below ``c`` (an int hashes
    to itself, and CPython's set of up to four ints lists them by their value modulo 8)."""
    high = rng.randint(2, min(7, count - 9))
    low, middle = sorted(rng.sample(range(high), 2))
    block_c = rng.randint(1, (count - 1 - high) // 8)
    block_b = rng.randint(1, block_c)
    return (8 * rng.randint(0, block_b - 1) + middle, 8 * block_b + low, 8 * block_c + high)


@varied
def check_only_failed_resent(put_records_reliably, *, seed: int, reference) -> None:
    """Records failing at any positions, with either code, are resent (and only they) in
    rounds, in order, as plan_batches groups them; the last round resends three records,
    the first of which failed with InternalFailure and the others throttled, in an order
    that a set of them, or an order by error code, changes (hidden)."""
    rng = random.Random(seed)
    records = _scripted_records(rng, rng.randint(11, 160))

    def failures(attempts: int) -> dict[int, list[str]]:
        script = _failing(rng, list(range(len(records))), 0.4, (1, attempts - 2),
                          PUT_RECORDS_ERROR_CODES)
        a, b, c = _out_of_order_three(rng, len(records))
        for index, last in ((a, INTERNAL_FAILURE), (b, THROTTLED), (c, THROTTLED)):
            script[index] = [rng.choice(PUT_RECORDS_ERROR_CODES)
                             for _ in range(attempts - 2)] + [last]  # the last round's only ones
        return dict(sorted(script.items()))

    scenario = _draw_scenario(rng, records, (3, 7), failures)
    rounds = _kinesis_rounds(scenario, reference.plan_batches)
    with _sandbox(streams={STREAM: rng.randint(1, 3)}) as aws:
        log, result = _write_records(put_records_reliably, aws, STREAM, scenario)
    what = (f"Writing {len(records)} records ({scenario.settings()}), records "
            f"{_listed(list(scenario.failures))} failing on their first sends")
    _expect_calls_within_limits(log, records)
    _expect_rounds_of_calls(log, scenario, rounds, what)
    _expect_each_landed_once(log, records, set())


@varied
def check_backoff_between_rounds(put_records_reliably, *, seed: int, reference) -> None:
    """Between rounds, and only there, the writer waits exactly the contract's full-jitter
    draws, through sleep: when all lands at once, when it lands in a few rounds, when
    records fail to the end, and when a retry round takes two calls (hidden)."""
    rng = random.Random(seed)
    streams = [f"{STREAM}-{n}" for n in range(4)]
    share = (0.0, 0.3, 0.3)
    with _sandbox(streams=dict.fromkeys(streams, 1)) as aws:
        for stream, failing_share, case in zip(streams[:3], share, range(3), strict=True):
            records = _scripted_records(rng, rng.randint(3, 40))
            keys = list(range(len(records)))

            def failures(attempts, failing_share=failing_share, case=case, keys=keys):
                if not failing_share:
                    return {}
                last = attempts - 1 if case == 1 else attempts + 2  # lands before the end, or never
                return _failing(rng, keys, failing_share, (max(1, last - 1), max(1, last)),
                                PUT_RECORDS_ERROR_CODES)

            scenario = _draw_scenario(rng, records, (1 if case == 2 else 2, 7), failures)
            rounds = _kinesis_rounds(scenario, reference.plan_batches)
            log, _ = _write_records(put_records_reliably, aws, stream, scenario)
            _expect_waits(log, len(rounds), scenario.base, scenario.cap, scenario.rng_seed,
                          f"Writing {len(records)} records with {scenario.settings()}, "
                          + ("none failing" if not scenario.failures else
                             f"records {_listed(list(scenario.failures))} failing "
                             + ("several times" if case == 1 else "on every send")))
        _expect_waits_after_a_round_of_two_calls(put_records_reliably, aws, streams[3], rng,
                                                 reference)


RETRY_ROUND_RECORDS = (PUT_RECORDS_MAX_RECORDS + 1, PUT_RECORDS_MAX_RECORDS + 12)


def _expect_waits_after_a_round_of_two_calls(put_records_reliably, aws, stream: str,
                                             rng: random.Random, reference) -> None:
    """More than 500 records all fail their first send, so round 2 takes two calls; a few
    (in both calls) fail again, so a wait follows it: its window is the one for retry=1,
    however many calls round 2 took (every scenario has this case: a writer that counts
    calls shows only when a retry round needs two)."""
    records = _scripted_records(rng, rng.randint(*RETRY_ROUND_RECORDS))
    first_call = range(PUT_RECORDS_MAX_RECORDS)  # of round 2, which resends every record
    second_call = range(PUT_RECORDS_MAX_RECORDS, len(records))

    def failures(attempts: int) -> dict[int, list[str]]:
        again = rng.sample(first_call, rng.randint(1, 3)) + rng.sample(second_call, 1)
        deepest = rng.choice(again)  # lands on its last allowed send: every round is sent
        script = {i: [rng.choice(PUT_RECORDS_ERROR_CODES)] for i in range(len(records))}
        for index in again:
            depth = attempts - 1 if index == deepest else rng.randint(2, attempts - 1)
            script[index] = [rng.choice(PUT_RECORDS_ERROR_CODES) for _ in range(depth)]
        return script

    scenario = _draw_scenario(rng, records, (3, 6), failures)
    rounds = _kinesis_rounds(scenario, reference.plan_batches)
    log, _ = _write_records(put_records_reliably, aws, stream, scenario)
    again = sorted(i for i, codes in scenario.failures.items() if len(codes) > 1)
    _expect_waits(log, len(rounds), scenario.base, scenario.cap, scenario.rng_seed,
                  f"Writing {len(records)} records with {scenario.settings()}, all failing "
                  f"their first send (so round 2 takes {len(rounds[1].calls)} calls) and "
                  f"records {_listed(again)} failing again")


PERMANENT_FAILURE_ATTEMPTS = (2, 6)


@varied
def check_permanent_failure_reported(put_records_reliably, *, seed: int, reference) -> None:
    """Records that keep failing are sent max_attempts times (at least twice) and reported
    with their last code, which differs from their first; records that land on their last
    allowed send are not reported (hidden)."""
    rng = random.Random(seed)
    records = _scripted_records(rng, rng.randint(6, 80))
    keys = list(range(len(records)))

    def failures(attempts: int) -> dict[int, list[str]]:
        forever = (RUNAWAY_PUT_RECORDS_CALLS + 1,) * 2  # more sends than any writer makes
        doomed = _failing(rng, keys, 0.3, forever, PUT_RECORDS_ERROR_CODES)
        for index in doomed:  # the last code differs from the first
            codes = doomed[index]
            codes[attempts - 1] = next(c for c in PUT_RECORDS_ERROR_CODES if c != codes[0])
        just_in_time = [i for i in keys if i not in doomed]
        for index in rng.sample(just_in_time, min(len(just_in_time), rng.randint(1, 3))):
            doomed[index] = [rng.choice(PUT_RECORDS_ERROR_CODES) for _ in range(attempts - 1)]
        return {i: codes for i, codes in doomed.items() if codes}

    # Two sends at least, so that the last code can differ from the first (max_attempts=1
    # stays among the draws of check_backoff_between_rounds and check_batch_write_gives_up).
    scenario = _draw_scenario(rng, records, PERMANENT_FAILURE_ATTEMPTS, failures)
    rounds = _kinesis_rounds(scenario, reference.plan_batches)
    with _sandbox(streams={STREAM: 1}) as aws:
        log, result = _write_records(put_records_reliably, aws, STREAM, scenario)
    always = sorted(i for i, c in scenario.failures.items() if len(c) > scenario.max_attempts)
    what = (f"Writing {len(records)} records with {scenario.settings()}, records "
            f"{_listed(always)} failing on every send")
    _expect_sends(log, scenario, rounds, what)
    _expect_result(result, _kinesis_result(scenario, rounds), scenario, what)


def _expect_sends(log: WriterLog, scenario: Scenario, rounds: list[Round], what: str) -> None:
    """Each record was sent as many times as the contract fixes: until it landed, or
    max_attempts times."""
    expected = Counter(i for round_ in rounds for call in round_.calls for i in call)
    sends = log.sends()
    for index in sorted(set(expected) | set(sends), key=lambda i: (i is None, i or 0)):
        got, want = sends[index], expected[index]
        if got > scenario.max_attempts:
            raise AssertionError(
                f"{what}: record {index} was sent {got} times; with max_attempts="
                f"{scenario.max_attempts} it should be sent at most {scenario.max_attempts} "
                "times, then reported. Bound the rounds: a record that cannot land must not "
                "keep the writer (and the stream) busy for ever.")
        if got < want:
            raise AssertionError(
                f"{what}: record {index} failed on each of its {got} send(s), and max_attempts="
                f"{scenario.max_attempts} allows {want}; your writer gave up early. Send rounds "
                "until no record is pending or max_attempts rounds were sent.")
        if got > want:
            raise AssertionError(
                f"{what}: record {index} was sent {got} times, though it landed on its send "
                f"{want}. Resend only the records that failed.")


@varied
def check_limits_respected(put_records_reliably, *, seed: int, reference) -> None:
    """Rounds of more than 500 records go in several calls, as plan_batches groups them (the
    first call of round 1 all lands, the second does not: each call of a round is sent, and
    its failures resent); a record over 1 MiB (by its partition key's bytes) is never sent and
    is reported; one of exactly 1 MiB is sent (hidden)."""
    rng = random.Random(seed)
    count = rng.randint(PUT_RECORDS_MAX_RECORDS + 2, PUT_RECORDS_MAX_RECORDS + 40)
    oversize, one_mib = rng.sample(range(count), 2)
    records = _scripted_records(rng, count, oversize, one_mib)
    second_call = [i for i in range(count) if i != oversize][PUT_RECORDS_MAX_RECORDS:]
    keys = [i for i in second_call if i != one_mib]
    scenario = _draw_scenario(rng, records, (3, 6), lambda attempts: _failing(
        rng, keys, 0.5, (1, attempts - 2), PUT_RECORDS_ERROR_CODES))
    rounds = _kinesis_rounds(scenario, reference.plan_batches)
    with _sandbox(streams={STREAM: 2}) as aws:
        log, result = _write_records(put_records_reliably, aws, STREAM, scenario)
    what = (f"Writing {len(records)} records ({scenario.settings()}), record {oversize} "
            f"over 1 MiB, record {one_mib} of exactly 1 MiB and records "
            f"{_listed(list(scenario.failures))} failing on their first sends")
    _expect_calls_within_limits(log, records)
    _expect_rounds_of_calls(log, scenario, rounds, what)
    _expect_result(result, _kinesis_result(scenario, rounds), scenario, what)
    _expect_each_landed_once(log, records, {oversize})


# -- writing to DynamoDB -------------------------------------------------------------------------

RUNAWAY_BATCH_WRITE_CALLS = 80


def _item_id(item: Any) -> Any:
    """An item's id (its ``id`` attribute's string), or None for anything else."""
    try:
        return item["id"]["S"]
    except (KeyError, TypeError):
        return None


def _item(index: int, rng: random.Random | None = None) -> dict:
    """Item ``index`` in DynamoDB JSON; with ``rng``, with a few more attributes of its
    choosing (a string set, a map, a list, a flag)."""
    item: dict = {"id": {"S": f"item-{index:03d}"}, "count": {"N": str(index)}}
    if rng is not None:
        if rng.random() < 0.5:
            item["tags"] = {"SS": sorted({rng.choice("abcdef") for _ in range(3)})}
        if rng.random() < 0.5:
            item["where"] = {"M": {"aisle": {"N": str(rng.randint(1, 40))},
                                   "shelf": {"S": rng.choice("ABCD")}}}
        if rng.random() < 0.3:
            item["history"] = {"L": [{"N": str(rng.randint(0, 9))} for _ in range(2)]}
        if rng.random() < 0.3:
            item["stocked"] = {"BOOL": rng.random() < 0.5}
    return item


def _write_items(write_items_reliably, aws, scenario: Scenario) -> tuple[WriterLog, Any]:
    """Run the learner's writer on ``scenario`` against a moto table, its scripted sends
    left unprocessed through the fault layer; what it did, and what it returned."""
    from resilience.faults import FaultInjector

    log = WriterLog()
    dynamodb = aws.client("dynamodb", total_max_attempts=1)
    stop_runaway(dynamodb, "BatchWriteItem", RUNAWAY_BATCH_WRITE_CALLS)
    faults = FaultInjector(dynamodb, clock=log.clock)

    def ids(params: dict) -> list:
        requests = [r for table in (params.get("RequestItems") or {}).values() for r in table]
        return [_item_id((r.get("PutRequest") or {}).get("Item")) if isinstance(r, dict)
                else None for r in requests]

    def unprocessed(parsed: dict, sent: list) -> dict:
        return {_item_id(r["PutRequest"]["Item"]): UNPROCESSED
                for table in parsed.get("UnprocessedItems", {}).values() for r in table}

    Script(scenario.failures, key_of=lambda entry: _item_id(
        entry["PutRequest"]["Item"])).install(faults, "BatchWriteItem", (UNPROCESSED,))
    log.watch(dynamodb, "BatchWriteItem", ids, unprocessed)
    try:
        result = write_items_reliably(dynamodb, TABLE, scenario.records,
                                      max_attempts=scenario.max_attempts, base=scenario.base,
                                      cap=scenario.cap, sleep=log.sleep,
                                      rng=random.Random(scenario.rng_seed))
    except Exception:
        refused = next((n for n, call in enumerate(log.calls) if call.refused), None)
        if refused is not None:
            raise AssertionError(_item_refusal(log, refused)) from None
        raise
    return log, result


def _item_refusal(log: WriterLog, number: int) -> str:
    """Why DynamoDB refused the writer's call ``number`` (0-based), in a teaching message."""
    call = log.calls[number]
    if call.refused == "not sent" or len(call.sent) <= BATCH_WRITE_ITEM_MAX_ITEMS:
        return _refusal(call, [], "item")
    round_ = _round_of_each_call(log)[number]
    retry = (f" More than {BATCH_WRITE_ITEM_MAX_ITEMS} items can come back unprocessed: "
             "split every round, the retry rounds too, into calls of at most "
             f"{BATCH_WRITE_ITEM_MAX_ITEMS}." if round_ > 1 else "")
    return (f"In round {round_}, your writer sent a BatchWriteItem call of {len(call.sent)} "
            f"items, and DynamoDB refused the whole call ({call.refused}): a call takes at "
            f"most {BATCH_WRITE_ITEM_MAX_ITEMS} items, and none of them was written.{retry}")


def _expected_item_sends(scenario: Scenario) -> dict[Any, int]:
    """How many times the contract sends each item: until it is written, or max_attempts."""
    return {_item_id(item): min(len(scenario.failures.get(_item_id(item), [])) + 1,
                                scenario.max_attempts) for item in scenario.records}


def _expect_item_calls(log: WriterLog, items: list[dict]) -> None:
    """Every call carried items it was given, at most 25 of them."""
    ids = {_item_id(item) for item in items}
    for number, call in enumerate(log.calls, 1):
        expect(len(call.sent) <= BATCH_WRITE_ITEM_MAX_ITEMS,
               f"BatchWriteItem call {number} carried {len(call.sent)} items; the API takes "
               f"at most {BATCH_WRITE_ITEM_MAX_ITEMS} and refuses the whole call otherwise.")
        expect(all(i in ids for i in call.sent),
               f"BatchWriteItem call {number} carried an item that is not one of the items "
               "given: send each item exactly as given, as a PutRequest.")


def _expect_item_sends(log: WriterLog, scenario: Scenario, what: str) -> None:
    """Each item was sent as many times as the contract fixes."""
    sends = log.sends()
    for item_id, want in _expected_item_sends(scenario).items():
        got, unprocessed = sends[item_id], len(scenario.failures.get(item_id, []))
        if got > scenario.max_attempts:
            raise AssertionError(
                f"{what}: {item_id} was sent {got} times; with max_attempts="
                f"{scenario.max_attempts} it should be sent at most {scenario.max_attempts} "
                "times, then returned.")
        if got > want:
            raise AssertionError(
                f"{what}: {item_id} was sent {got} times, though it was written on its send "
                f"{want} (it was not in UnprocessedItems). Resend only the unprocessed items.")
        if got < want:
            raise AssertionError(
                f"{what}: {item_id} came back in UnprocessedItems after each of its {got} "
                f"send(s) (it would be written on send {unprocessed + 1}), and max_attempts="
                f"{scenario.max_attempts} allows {want}: resend unprocessed items in rounds "
                "until none is pending or max_attempts rounds were sent.")


def check_batch_write_all_items(write_items_reliably) -> None:
    """Unprocessed items are written in the end, in calls of at most 25 (visible)."""
    rng = random.Random(3)
    items = [_item(i) for i in range(60)]
    scenario = Scenario(items, _failing(rng, [_item_id(i) for i in items], 0.5, (1, 2),
                                        (UNPROCESSED,)), 4, BASE_S, CAP_S, rng_seed=1)
    with _sandbox(tables=[TABLE]) as aws:
        log, result = _write_items(write_items_reliably, aws, scenario)
    _expect_item_calls(log, items)
    landed = log.landed()
    missing = [i for i in _expected_item_sends(scenario) if not landed[i]]
    expect(not missing,
           f"{len(missing)} item(s) never reached the table, e.g. {missing[:1]}. BatchWriteItem "
           "answers HTTP 200 while leaving some items in UnprocessedItems: send those again.")
    expect(isinstance(result, list) and not result,
           f"Every item was written, so return an empty list; got {result!r:.200}.")


UNPROCESSED_ITEMS_MAX = 70
LEFT_AFTER_ROUND_1 = BATCH_WRITE_ITEM_MAX_ITEMS + 1  # at least: round 2 takes two calls


@varied
def check_batch_write_only_unprocessed(write_items_reliably, *, seed: int) -> None:
    """Only unprocessed items are sent again, in rounds, with the contract's waits between
    rounds; more than 25 items are left unprocessed in round 1, so round 2 too needs calls of
    at most 25 (hidden)."""
    rng = random.Random(seed)
    items = [_item(i, rng) for i in range(rng.randint(LEFT_AFTER_ROUND_1 + 4,
                                                      UNPROCESSED_ITEMS_MAX))]
    ids = [_item_id(i) for i in items]

    def failures(attempts: int) -> dict[Any, list[str]]:
        script = _failing(rng, ids, 0.5, (1, attempts - 2), (UNPROCESSED,))
        others = [i for i in ids if i not in script]
        for item_id in rng.sample(others, max(0, LEFT_AFTER_ROUND_1 - len(script))):
            script[item_id] = [UNPROCESSED]
        return {i: script[i] for i in ids if i in script}

    scenario = _draw_scenario(rng, items, (4, 7), failures)
    with _sandbox(tables=[TABLE]) as aws:
        log, _ = _write_items(write_items_reliably, aws, scenario)
    what = (f"Writing {len(items)} items with {scenario.settings()}, "
            f"{len(scenario.failures)} of them left unprocessed on their first sends")
    _expect_item_calls(log, items)
    _expect_item_sends(log, scenario, what)
    rounds = max(_expected_item_sends(scenario).values())
    _expect_waits(log, rounds, scenario.base, scenario.cap, scenario.rng_seed, what)


def _sorted_items(items: list) -> list:
    return sorted(items, key=lambda item: repr(sorted(item.items()))
                  if isinstance(item, dict) else repr(item))


@varied
def check_batch_write_gives_up(write_items_reliably, *, seed: int) -> None:
    """Items never processed are sent max_attempts times and returned exactly as given;
    those written on their last allowed send are not (hidden)."""
    rng = random.Random(seed)
    items = [_item(i, rng) for i in range(rng.randint(2, 40))]
    ids = [_item_id(i) for i in items]

    def failures(attempts: int) -> dict[Any, list[str]]:
        stuck = _failing(rng, ids, 0.3, (attempts + 2, attempts + 2), (UNPROCESSED,))
        just_in_time = [i for i in ids if i not in stuck]
        for item_id in rng.sample(just_in_time, min(len(just_in_time), rng.randint(0, 3))):
            stuck[item_id] = [UNPROCESSED] * (attempts - 1)
        return {i: codes for i, codes in stuck.items() if codes}

    scenario = _draw_scenario(rng, items, (1, 6), failures)
    with _sandbox(tables=[TABLE]) as aws:
        log, result = _write_items(write_items_reliably, aws, scenario)
    never = [item for item in items
             if len(scenario.failures.get(_item_id(item), [])) >= scenario.max_attempts]
    what = (f"Writing {len(items)} items with {scenario.settings()}, "
            f"{_listed([_item_id(i) for i in never]) if never else 'none'} never processed")
    _expect_item_sends(log, scenario, what)
    expect(isinstance(result, list),
           f"{what}: write_items_reliably should return a list of the items never written; "
           f"it returned {result!r:.120}.")
    if _sorted_items(result) != _sorted_items(never):
        got_ids = [_item_id(i) for i in result]
        shaped = all(isinstance(i, dict) and _item_id(i) is not None for i in result)
        raise AssertionError(
            f"{what}: return those items, exactly as you were given them (in any order); "
            f"you returned {len(result)} value(s)"
            + (f" for {_listed(got_ids)}" if shaped else f", e.g. {result[:1]!r:.150}")
            + (". Those are the items' ids or requests: return the items themselves."
               if result and not shaped else
               ". Return every item never written, and none that was written in the end."))
