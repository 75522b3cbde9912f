"""The AWS facts the course states, scanned in every chapter and lab so they cannot drift
apart: each one, wherever a sentence states it, must give the documented value.

The documented values come from ``resilience.aws.facts``, the one place the course keeps
them (each with the AWS page that documents it; botocore's read from the pinned botocore),
so the prose is checked against the same numbers the emulators and the fault layer use. A
fact is found by the words a sentence uses (all of ``keywords``), and its number by
``pattern``; every fact must be found at least once, so the scan cannot go quiet.
"""

import json
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


def _times(count: int) -> str:
    """A count of retries as the prose states it ("twice")."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


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
         r"|(\d+) MiB per PutRecords call|`PUT_RECORDS_MAX_BYTES` \((\d+) MiB\)",
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
         str(facts.botocore_defaults().timeout_s)),
    Fact("botocore legacy retry mode: attempts", ("legacy",), r"(\d+) attempts in all",
         str(facts.botocore_defaults().legacy_max_attempts)),
    Fact("botocore standard retry mode: attempts", ("standard",),
         r"(\d+) attempts in all",
         str(facts.botocore_defaults().standard_max_attempts)),
]


# A sentence each fact's scan must catch stating the wrong value (the scan's own test).
DRIFTED = {
    "Kinesis: records written per shard per second": "Each shard takes 1,024 records per second.",
    "PutRecords: records per call": "PutRecords takes up to 1,000 records per call.",
    "PutRecords: bytes per call": "Plan 600 records and 10 MiB per PutRecords call.",
    "SQS + Lambda: visibility timeout against the function's timeout":
        "Set the visibility timeout to 3 times the function's timeout.",
    "Lambda asynchronous invocation: longest event age": "An event is kept for up to 24 hours.",
    "botocore legacy retry mode: attempts": "The legacy mode makes 4 attempts in all.",
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


@pytest.mark.parametrize("name", list(DRIFTED))
def test_the_scan_catches_a_drifted_value(name):
    fact = next(f for f in FACTS if f.name == name)
    values = [value for _, value, _ in _stated(fact, [("drifted", DRIFTED[name])])]
    assert values and fact.value not in values, f"the scan for {name} misses: {DRIFTED[name]}"


@pytest.mark.parametrize("fact", FACTS, ids=[f.name for f in FACTS])
def test_every_statement_of_a_fact_gives_its_documented_value(fact):
    stated = _stated(fact, SENTENCES)
    assert stated, f"no chapter or lab states {fact.name}: its pattern has gone stale"
    wrong = [(where, value, sentence) for where, value, sentence in stated
             if value != fact.value]
    assert not wrong, f"{fact.name} is {fact.value}; stated otherwise in {wrong}"
