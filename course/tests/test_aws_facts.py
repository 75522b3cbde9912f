"""The AWS facts the course states, scanned in every chapter and lab so they cannot drift
apart: each one, wherever a sentence states it, must give the documented value.

The documented values come from ``resilience.aws.facts``, the one place the course keeps
them (each with the AWS page that documents it; botocore's read from the pinned botocore),
so the prose is checked against the same numbers the emulators and the fault layer use. A
fact is found by the words a sentence uses (all of ``keywords``), and its number by
``pattern``; every fact must be found at least once, so the scan cannot go quiet.
"""

import json
import random
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from resilience.aws import facts

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "course").glob("[0-9][0-9]-*.ipynb")) + sorted(
    (ROOT / "grader" / "source").glob("*/*.ipynb"))


def _mib(size_bytes: int) -> str:
    """A size as the prose states it, in whole MiB."""
    return str(size_bytes // facts.MiB)


def _seconds(value: float) -> str:
    """A duration as the prose states it in seconds ("1", "0.5")."""
    return f"{value:g}"


def _ms(seconds: float) -> str:
    """A duration as the prose states it in milliseconds ("50")."""
    return f"{seconds * 1000:g}"


def _times(count: int) -> str:
    """A count of retries as the prose states it ("twice")."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


BOTOCORE = facts.botocore_defaults()


class Fact(NamedTuple):
    name: str
    keywords: tuple[str, ...]  # a sentence about this fact uses all of these words
    pattern: str  # and states its value in the group of this that matched
    value: str  # the documented value (from resilience.aws.facts), as the prose writes it


FACTS = [
    Fact("Kinesis: records written per shard per second", ("shard",),
         r"([\d,]+) records (?:a|per) second",
         f"{facts.KINESIS_SHARD_RECORDS_PER_S:,}"),
    Fact("Kinesis: bytes written per shard per second", ("shard",),
         r"(\d+) MiB (?:a|per) second",
         _mib(facts.KINESIS_SHARD_BYTES_PER_S)),
    Fact("PutRecords: records per call", ("PutRecords",),
         r"records per PutRecords call \| ([\d,]+)|([\d,]+) records and \S+ MiB per PutRecords"
         r"|`PUT_RECORDS_MAX_RECORDS` \((\d+)\)|(?:up to|at most|≤) ([\d,]+) records",
         f"{facts.PUT_RECORDS_MAX_RECORDS:,}"),
    Fact("PutRecords: bytes per call", ("PutRecords",),
         r"one PutRecords call, partition keys included \| (\d+) MiB"
         r"|(\d+) ?Mi?B (?:per|for (?:each|one|a|every|the (?:entire|whole))) "
         r"(?:PutRecords )?(?:call|request)"
         r"|PutRecords (?:call|request)s? (?:takes|holds|carries|accepts|allows|is limited to)"
         r" (?:at most |up to )?(\d+) ?Mi?B",
         _mib(facts.PUT_RECORDS_MAX_BYTES)),
    Fact("PutRecords: bytes per call, by its constant's name", ("PUT_RECORDS_MAX_BYTES",),
         r"`PUT_RECORDS_MAX_BYTES` \((\d+) MiB\)",
         _mib(facts.PUT_RECORDS_MAX_BYTES)),
    Fact("PutRecords: bytes per record", ("record",),
         r"(\d+) MiB per record|`KINESIS_RECORD_MAX_BYTES` \((\d+) MiB\)",
         _mib(facts.KINESIS_RECORD_MAX_BYTES)),
    Fact("Kinesis event source mapping: default BatchSize", ("BatchSize",),
         r"BatchSize` \| (\d+)",
         str(facts.KINESIS_MAPPING_DEFAULTS["BatchSize"])),
    Fact("Kinesis event source mapping: largest ParallelizationFactor",
         ("ParallelizationFactor",), r"\(1 to (\d+)\)",
         str(facts.MAX_PARALLELIZATION_FACTOR)),
    Fact("SQS + Lambda: visibility timeout against the function's timeout",
         ("visibility timeout",), r"(\d+) ?(?:×|times) the function",
         str(facts.SQS_VISIBILITY_PER_FUNCTION_TIMEOUT)),
    Fact("Lambda: concurrency kept unreserved", ("reserve",),
         r"unreserved concurrency minus (\d+)", str(facts.LAMBDA_UNRESERVED_MINIMUM)),
    Fact("Lambda: most that reservations can hold at the default quota", ("reservations",),
         r"reservations add up to ([\d,]+) at most",
         f"{facts.LAMBDA_ACCOUNT_CONCURRENCY - facts.LAMBDA_UNRESERVED_MINIMUM:,}"),
    Fact("Step Functions: a Retrier's defaults", ("defaults are",),
         r"[Tt]he defaults are (\d+ s, [\d.]+ and \d+)",
         "{IntervalSeconds} s, {BackoffRate} and {MaxAttempts}".format(
             **facts.STEP_FUNCTIONS_RETRY_DEFAULTS)),
    Fact("DynamoDB Streams: how long a record is kept", ("stream",),
         r"keeps it for (\d+) hours",
         str(facts.DYNAMODB_STREAM_RETENTION_S // facts.SECONDS_PER_HOUR)),
    Fact("SQS: default visibility timeout", ("SQS default",), r"SQS default is (\d+) s",
         str(facts.SQS_DEFAULT_VISIBILITY_TIMEOUT_S)),
    Fact("Kinesis event source mapping: concurrent batches per shard",
         ("ParallelizationFactor",), r"up to (\d+) batches of one shard",
         str(facts.MAX_PARALLELIZATION_FACTOR)),
    Fact("SQS + Lambda: smallest maxReceiveCount", ("maxReceiveCount",),
         r"maxReceiveCount` (?:≥|of at least|at least) ?(\d+)",
         str(facts.SQS_MIN_MAX_RECEIVE_COUNT)),
    Fact("Lambda asynchronous invocation: retries", ("retried",),
         r"retried (twice|\w+ times)",
         _times(facts.LAMBDA_ASYNC_RETRIES)),
    Fact("Lambda asynchronous invocation: longest event age", ("event",),
         r"up to (\d+) hours",
         str(facts.LAMBDA_ASYNC_MAX_EVENT_AGE_S // facts.SECONDS_PER_HOUR)),
    Fact("EventBridge: retry attempts", ("EventBridge",), r"([\d,]+) attempts",
         str(facts.EVENTBRIDGE_MAX_ATTEMPTS)),
    Fact("Lambda: account concurrency by default", ("account",),
         r"([\d,]+) (?:concurrent executions|by default)",
         f"{facts.LAMBDA_ACCOUNT_CONCURRENCY:,}"),
    Fact("botocore: default connect and read timeouts", ("connect", "read"),
         r"(\d+) s(?:econds)? (?:to connect|by default)",
         str(BOTOCORE.timeout_s)),
    Fact("botocore legacy retry mode: attempts", ("legacy",), r"(\d+) attempts in all",
         str(BOTOCORE.legacy_max_attempts)),
    Fact("botocore legacy retry mode: DynamoDB attempts", ("legacy",),
         r"\((\d+) for DynamoDB\)",
         str(BOTOCORE.legacy_dynamodb_max_attempts)),
    Fact("botocore standard retry mode: attempts", ("standard",),
         r"(\d+) attempts in all",
         str(BOTOCORE.standard_max_attempts)),
    Fact("botocore standard retry mode: DynamoDB attempts", ("DynamoDB",),
         r"(\d+) (?:attempts )?for DynamoDB and DynamoDB Streams|DynamoDB's default of (\d+)",
         str(BOTOCORE.dynamodb_max_attempts)),
    Fact("botocore standard retry mode: backoff base after a throttling error", ("throttl",),
         r"(\d+(?:\.\d+)?) s after a throttling error|base (\d+(?:\.\d+)?) s for throttles",
         _seconds(BOTOCORE.throttling_backoff_base_s)),
    Fact("botocore standard retry mode: backoff base after other transient errors",
         ("transient",), r"(\d+) ms after (?:any )?other transient error",
         _ms(BOTOCORE.transient_backoff_base_s)),
    Fact("botocore standard retry mode: DynamoDB's backoff base", ("transient",),
         r"\((\d+) ms for DynamoDB\)",
         _ms(BOTOCORE.dynamodb_backoff_base_s)),
    Fact("botocore standard retry mode: longest backoff", ("rand",),
         r"(?:capped at|a cap of) (\d+) s|min\(.*?, (\d+) s\)",
         _seconds(BOTOCORE.max_backoff_s)),
    Fact("botocore standard retry mode: retry quota size", ("quota",),
         r"([\d,]+) tokens per client",
         f"{BOTOCORE.retry_quota_tokens:,}"),
    Fact("botocore standard retry mode: quota cost of a transient retry", ("quota",),
         r"(\d+) (?:tokens )?per transient retry|\((\d+) after a timeout\)",
         str(BOTOCORE.transient_retry_cost)),
    Fact("botocore standard retry mode: quota cost of a throttling retry", ("quota",),
         r"(\d+) (?:tokens )?per throttling retry|each retry costing (\d+)",
         str(BOTOCORE.throttling_retry_cost)),
    Fact("botocore standard retry mode: quota refund per success", ("quota",),
         r"(\d+) (?:tokens? )?back per success",
         str(BOTOCORE.success_refund)),
    Fact("Kinesis: the largest record a stream can be raised to", ("record",),
         r"raise (?:it|its maximum record size|its record limit) (?:up )?to (\d+) MiB",
         _mib(facts.KINESIS_RECORD_MAX_BYTES_RAISED)),
    Fact("SQS event source mapping: ScalingConfig.MaximumConcurrency range",
         ("MaximumConcurrency",), r"\((\d+ to [\d,]+)[;)]",
         "{} to {:,}".format(*facts.SQS_MAPPING_CONCURRENCY_RANGE)),
    Fact("SQS: default message retention", ("SQS default",),
         r"keeps? messages (\d+) days, the SQS default",
         str(facts.SQS_DEFAULT_RETENTION_S // facts.SECONDS_PER_DAY)),
    Fact("SQS: longest message retention", ("most SQS allows",),
         r"(\d+) days, the most SQS allows",
         str(facts.SQS_MAX_RETENTION_S // facts.SECONDS_PER_DAY)),
    Fact("SQS redrive: fastest move rate", ("MaxNumberOfMessagesPerSecond",),
         r"up to ([\d,]+) messages a second",
         f"{facts.SQS_MOVE_TASK_MAX_MESSAGES_PER_S:,}"),
    Fact("Step Functions: StartExecution is idempotent for", ("StartExecution",),
         r"idempotent for (\w+)\s+workflows",
         facts.STEP_FUNCTIONS_IDEMPOTENT_WORKFLOWS),
    Fact("Step Functions: an execution name can be reused after", ("execution",),
         r"\*\*(\d+) days\*\* after its execution closes|execution names \((\d+) days",
         str(facts.STEP_FUNCTIONS_NAME_REUSE_DAYS)),
]


# A sentence each fact's scan must catch stating the wrong value (the scan's own test).
DRIFTED: dict[str, str | tuple[str, ...]] = {
    "Step Functions: a Retrier's defaults":
        "The defaults are 1 s, 2.0 and 2.",
    "DynamoDB Streams: how long a record is kept":
        "A stream records every change and keeps it for 48 hours.",
    "Lambda: concurrency kept unreserved":
        "Lambda lets you reserve the account's unreserved concurrency minus 50.",
    "Lambda: most that reservations can hold at the default quota":
        "With a quota of 1,000, reservations add up to 950 at most.",
    "SQS: default visibility timeout": "The SQS default is 60 s.",
    "Kinesis event source mapping: concurrent batches per shard":
        "`ParallelizationFactor` runs up to 8 batches of one shard at once.",
    "Kinesis: records written per shard per second": "Each shard takes 1,024 records per second.",
    "PutRecords: records per call": "PutRecords takes up to 1,000 records per call.",
    "PutRecords: bytes per call": (
        "Plan 600 records and 5 MiB per PutRecords call.",
        "A PutRecords call takes at most 5 MiB, partition keys included.",
        "PutRecords: up to 500 records, up to a limit of 5 MB for the entire request.",
        "Keep each PutRecords request under 5MB per request.",
        "| one PutRecords call, partition keys included | 5 MiB |",
    ),
    "PutRecords: bytes per call, by its constant's name":
        "A call holds at most `PUT_RECORDS_MAX_BYTES` (5 MiB).",
    "SQS + Lambda: visibility timeout against the function's timeout":
        "Set the visibility timeout to 3 times the function's timeout.",
    "Lambda asynchronous invocation: longest event age": "An event is kept for up to 24 hours.",
    "botocore legacy retry mode: attempts": "The legacy mode makes 4 attempts in all.",
    "botocore legacy retry mode: DynamoDB attempts":
        "- **legacy**: 5 attempts in all (5 for DynamoDB), with exponential backoff;",
    "botocore standard retry mode: attempts": "The standard mode makes 5 attempts in all.",
    "botocore standard retry mode: DynamoDB attempts":
        "Standard mode: 3 attempts in all (3 for DynamoDB and DynamoDB Streams).",
    "botocore standard retry mode: backoff base after a throttling error":
        "The wait is `rand * min(2**(n - 1), 20 s)` (full jitter, base 2 s for throttles).",
    "botocore standard retry mode: backoff base after other transient errors":
        "The base is 100 ms after any other transient error (25 ms for DynamoDB).",
    "botocore standard retry mode: DynamoDB's backoff base":
        "The base is 50 ms after any other transient error (50 ms for DynamoDB).",
    "botocore standard retry mode: longest backoff":
        "The wait before retry `n` is `rand * min(base * 2**(n - 1), 30 s)`.",
    "botocore standard retry mode: retry quota size":
        "A **retry quota**: a bucket of 1,000 tokens per client.",
    "botocore standard retry mode: quota cost of a transient retry":
        "A retry quota of 500 tokens per client, each retry costing 5 (10 after a timeout).",
    "botocore standard retry mode: quota cost of a throttling retry":
        "A retry quota of 500 tokens per client, each retry costing 10 (10 after a timeout).",
    "botocore standard retry mode: quota refund per success":
        "The retry quota takes 5 per throttling retry, with 5 back per success.",
    "Kinesis: the largest record a stream can be raised to":
        "A stream can raise its maximum record size up to 5 MiB.",
    "SQS event source mapping: ScalingConfig.MaximumConcurrency range":
        "`ScalingConfig.MaximumConcurrency` caps its instances (1 to 1,250; API reference).",
    "SQS: default message retention":
        "Both queues keep messages 7 days, the SQS default.",
    "SQS: longest message retention": "With 30 days, the most SQS allows, it was found.",
    "SQS redrive: fastest move rate":
        "`MaxNumberOfMessagesPerSecond` caps the rate, at up to 1,000 messages a second.",
    "Step Functions: StartExecution is idempotent for":
        "`StartExecution` is idempotent for Express workflows.",
    "Step Functions: an execution name can be reused after":
        "A name can be used again only **30 days** after its execution closes.",
}


def _sentences() -> list[tuple[str, str]]:
    """Every sentence (or table row) of every chapter's and lab's prose, with its file."""
    found = []
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text())["cells"]
        prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        for paragraph in re.split(r"\n\s*\n|\n(?=\|)|\n(?=- )", prose):
            flat = " ".join(paragraph.split())
            found += [(path.name, s) for s in re.split(r"(?<=[.!?:])\s+(?=[A-Z`*(])", flat)]
    return found


SENTENCES = _sentences()


def _stated(fact: Fact, sentences: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(file, value, sentence) for every statement of ``fact`` in ``sentences``."""
    return [(where, next(g for g in match.groups() if g is not None), sentence)
            for where, sentence in sentences
            if all(word in sentence for word in fact.keywords)
            for match in re.finditer(fact.pattern, sentence)]


# Each drifted sentence, with the fact it misstates (a fact stated in several ways has one
# for each).
DRIFTED_SENTENCES = [(name, sentence) for name, drifted in DRIFTED.items()
                     for sentence in ((drifted,) if isinstance(drifted, str) else drifted)]


@pytest.mark.parametrize("name, sentence", DRIFTED_SENTENCES,
                         ids=[f"{name}: {sentence[:40]}" for name, sentence in DRIFTED_SENTENCES])
def test_the_scan_catches_a_drifted_value(name, sentence):
    fact = next(f for f in FACTS if f.name == name)
    values = [value for _, value, _ in _stated(fact, [("drifted", sentence)])]
    assert values and fact.value not in values, f"the scan for {name} misses: {sentence}"


@pytest.mark.parametrize("fact", FACTS, ids=[f.name for f in FACTS])
def test_every_statement_of_a_fact_gives_its_documented_value(fact):
    stated = _stated(fact, SENTENCES)
    assert stated, f"no chapter or lab states {fact.name}: its pattern has gone stale"
    wrong = [(where, value, sentence) for where, value, sentence in stated
             if value != fact.value]
    assert not wrong, f"{fact.name} is {fact.value}; stated otherwise in {wrong}"


# botocore's retry defaults: read from botocore's private attributes, so a release that moves
# one fails here (and in botocore_defaults) rather than leaving the course stating it stale.

def test_botocore_defaults_are_read_from_the_pinned_botocore():
    import botocore.retries.standard

    read = facts.botocore_defaults()
    assert all(isinstance(value, int | float) and value > 0 for value in read), read
    assert read.dynamodb_max_attempts > read.standard_max_attempts
    assert (read.dynamodb_backoff_base_s < read.transient_backoff_base_s
            < read.throttling_backoff_base_s < read.max_backoff_s)
    assert read.throttling_retry_cost < read.transient_retry_cost < read.retry_quota_tokens
    # The backoff botocore builds uses its constructor's cap, not the class attribute read.
    backoff = botocore.retries.standard.ExponentialBackoff()
    assert backoff._max_backoff == read.max_backoff_s


def test_a_renamed_botocore_attribute_fails_loudly(monkeypatch):
    import botocore.retries.standard

    facts.botocore_defaults.cache_clear()
    monkeypatch.delattr(botocore.retries.standard.RetryQuotaChecker, "_RETRY_COST")
    try:
        with pytest.raises(RuntimeError, match="_RETRY_COST"):
            facts.botocore_defaults()
    finally:
        monkeypatch.undo()
        facts.botocore_defaults.cache_clear()
    assert facts.botocore_defaults() == BOTOCORE


def _attempts_and_waits(service: str, operation: str, call, fault: str, **retries):
    """Attempts and waits of one call from a ``service`` client given only ``retries``,
    against a fault that never clears (botocore's waits in simulated time)."""
    from botocore.config import Config

    from resilience.clock import SimClock
    from resilience.faults import FaultInjector
    from resilience.sandbox import aws_sandbox, route_retry_sleeps

    clock = SimClock()
    random.seed(7)  # botocore's jitter draws from the global generator
    with aws_sandbox(tables=["t"], clock=clock) as aws:
        client = aws.session.client(service, config=Config(
            region_name=facts.REGION, retries={"mode": "standard", **retries}))
        route_retry_sleeps(client, clock)
        faults = FaultInjector(client, clock=clock)
        getattr(faults, fault)(operation)
        with pytest.raises(Exception):  # noqa: B017 - whichever error the fault raises
            call(client)
    return len(faults.outcomes()), clock.sleeps


def _put(client):
    client.put_item(TableName="t", Item={"id": {"S": "x"}})


def _list(client):
    client.list_queues()


def test_clients_left_at_their_defaults_make_the_stated_attempts():
    assert _attempts_and_waits("dynamodb", "PutItem", _put, "timeout")[0] == (
        BOTOCORE.dynamodb_max_attempts)
    assert _attempts_and_waits("sqs", "ListQueues", _list, "timeout")[0] == (
        BOTOCORE.standard_max_attempts)
    # An explicit setting, as the course's sandbox makes, overrides DynamoDB's default.
    assert _attempts_and_waits("dynamodb", "PutItem", _put, "timeout",
                               total_max_attempts=3)[0] == 3


@pytest.mark.parametrize("service, operation, call, fault, base_s", [
    ("dynamodb", "PutItem", _put, "timeout", BOTOCORE.dynamodb_backoff_base_s),
    ("sqs", "ListQueues", _list, "timeout", BOTOCORE.transient_backoff_base_s),
    ("sqs", "ListQueues", _list, "throttle", BOTOCORE.throttling_backoff_base_s),
], ids=["DynamoDB timeout", "timeout", "throttle"])
def test_botocore_waits_on_the_stated_backoff_base(service, operation, call, fault, base_s):
    """rand * base * 2**(n - 1) before retry n: over 9 retries, wait / 2**(n - 1) reaches
    close to the base and never passes it (the waits stay far below the 20 s cap)."""
    _, waits = _attempts_and_waits(service, operation, call, fault, total_max_attempts=10)
    scaled = [wait / 2 ** n for n, wait in enumerate(waits)]
    assert len(scaled) == 9 and base_s / 2 < max(scaled) <= base_s, (base_s, scaled)


def test_the_stated_aws_ranges_match_the_pinned_botocore_models():
    import botocore.session

    session = botocore.session.get_session()
    record_kib = (session.get_service_model("kinesis").operation_model("UpdateMaxRecordSize")
                  .input_shape.members["MaxRecordSizeInKiB"].metadata)
    assert (record_kib["min"] * 1024, record_kib["max"] * 1024) == (
        facts.KINESIS_RECORD_MAX_BYTES, facts.KINESIS_RECORD_MAX_BYTES_RAISED)
    concurrency = (session.get_service_model("lambda").shape_for("ScalingConfig")
                   .members["MaximumConcurrency"].metadata)
    assert (concurrency["min"], concurrency["max"]) == facts.SQS_MAPPING_CONCURRENCY_RANGE


def test_the_unreserved_minimum_is_the_one_botocore_documents():
    """PutFunctionConcurrency's documentation, in the pinned botocore, names the minimum."""
    import botocore.loaders

    model = botocore.loaders.Loader().load_service_model("lambda", "service-2")
    text = model["operations"]["PutFunctionConcurrency"]["documentation"]
    stated = re.search(r"at least (\d+) simultaneous executions unreserved", text)
    assert stated and int(stated.group(1)) == facts.LAMBDA_UNRESERVED_MINIMUM


def test_the_putrecords_limits_are_the_ones_botocore_documents():
    """PutRecords' documentation, in the pinned botocore, states the records a call takes,
    the largest record (a stream raised to its maximum) and the request limit: a release that
    changes one fails here."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("kinesis")
    documentation = model.operation_model("PutRecords").documentation
    text = " ".join(re.sub(r"<[^>]+>", "", documentation).split())
    stated = re.search(r"Each PutRecords request can support up to ([\d,]+) records\. Each "
                       r"record in the request can be as large as (\d+) MiB, up to a limit of "
                       r"(\d+) MiB for the entire request, including partition keys\.", text)
    assert stated, f"botocore's PutRecords documentation no longer states its limits so: {text}"
    records, record_mib, request_mib = (int(group.replace(",", "")) for group in stated.groups())
    assert (records, record_mib * facts.MiB, request_mib * facts.MiB) == (
        facts.PUT_RECORDS_MAX_RECORDS, facts.KINESIS_RECORD_MAX_BYTES_RAISED,
        facts.PUT_RECORDS_MAX_BYTES)
