"""The moto sandbox: a ready, private AWS world in one call.

``with aws_sandbox(tables=["orders"]) as aws:`` sets fake credentials and a region, starts
moto, creates the chapter's tables, streams and queues, and hands back clients configured
the way the course says (explicit timeouts and retry mode). On exit everything is gone and
the environment is as it was: no AWS account is needed and nothing leaves the machine.

When the sandbox has a ``SimClock``, botocore's own retry waits go through it too, so a
client that retries a throttled call five times costs no real time; and moto keeps time by
it (``motoclock``): SQS timestamps and visibility timeouts, Kinesis arrival times and
retention are all simulated.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

import boto3
import botocore.session
from botocore.client import BaseClient
from botocore.config import Config
from botocore.hooks import first_non_none_response

from resilience.aws.facts import REGION, SQS_BATCH_MAX_ENTRIES, queue_arn, stream_arn
from resilience.aws.kinesisgaps import kinesis_gaps_filled
from resilience.aws.motoclock import MotoClock, moto_follows
from resilience.aws.movetasks import message_move_tasks
from resilience.clock import Clock, SimClock

__all__ = [  # what chapters and labs import from this module
    "Sandbox",
    "aws_sandbox",
    "aws_session",
    "client_config",
    "drain_queue",
    "route_retry_sleeps",
    "TABLE_KEY",
    "RETRY_MODE",
    "TOTAL_MAX_ATTEMPTS",
    "CONNECT_TIMEOUT_S",
    "READ_TIMEOUT_S",
]

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
}
# The course states these explicitly rather than trusting defaults that change between
# botocore releases: "standard" mode, 3 attempts in all (botocore's own standard default),
# and timeouts far below botocore's 60 s defaults.
RETRY_MODE = "standard"
TOTAL_MAX_ATTEMPTS = 3
CONNECT_TIMEOUT_S = 1.0
READ_TIMEOUT_S = 2.0
TABLE_KEY = "id"  # every sandbox table has one string hash key of this name
# The pinned botocore sends these services' calls to an account-based endpoint
# (``<account>.streams-ddb...``) that moto does not serve; their clients ask for the regional one.
REGIONAL_ENDPOINT_ONLY = ("dynamodbstreams",)


def client_config(
    *,
    retry_mode: str = RETRY_MODE,
    total_max_attempts: int = TOTAL_MAX_ATTEMPTS,
    connect_timeout_s: float = CONNECT_TIMEOUT_S,
    read_timeout_s: float = READ_TIMEOUT_S,
) -> Config:
    """A botocore ``Config`` with every resilience setting spelled out.

    ``total_max_attempts`` counts the first call: 1 means "never retry". (botocore's
    ``max_attempts`` key counts retries only, which is easy to get wrong by one.)
    """
    if total_max_attempts < 1:
        raise ValueError("total_max_attempts counts the first call, so it must be at least 1")
    return Config(
        region_name=REGION,
        connect_timeout=connect_timeout_s,
        read_timeout=read_timeout_s,
        retries={"mode": retry_mode, "total_max_attempts": total_max_attempts},
    )


def route_retry_sleeps(client: BaseClient, clock: Clock) -> None:
    """Make botocore's built-in retry waits go through ``clock`` instead of ``time.sleep``.

    botocore asks its ``needs-retry`` handlers how long to wait and then calls
    ``time.sleep`` itself; this replaces that one step on this client only.
    """
    endpoint = client._endpoint

    def needs_retry(attempts, operation_model, request_dict, response=None,
                    caught_exception=None):
        service_id = operation_model.service_model.service_id.hyphenize()
        responses = endpoint._event_emitter.emit(
            f"needs-retry.{service_id}.{operation_model.name}",
            response=response,
            endpoint=endpoint,
            operation=operation_model,
            attempts=attempts,
            caught_exception=caught_exception,
            request_dict=request_dict,
        )
        delay_s = first_non_none_response(responses)
        if delay_s is None or delay_s is False:
            return False
        clock.sleep(delay_s)
        return True

    endpoint._needs_retry = needs_retry


# The process's one boto3 session: see ``aws_session``.
_SESSION: list[boto3.session.Session] = []


def aws_session() -> boto3.session.Session:
    """The process's boto3 session, made once and shared by every sandbox.

    A new session parses botocore's data files again (the endpoints file alone is over a
    megabyte, ~0.1 s) and builds each service's model on its first client (~12 ms a
    service); on a session that has built it, a client costs ~4 ms. Sharing is safe: a
    client copies the session's event handlers when it is made, so what one sandbox
    registers on its clients never reaches another's, and nothing here registers on the
    session itself. moto is imported first, so that its stubber is among the handlers
    every client copies (``import moto`` adds it to botocore's built-in handlers).
    """
    if not _SESSION:
        import moto  # noqa: F401 - before the session: see above

        _SESSION.append(boto3.session.Session(botocore_session=botocore.session.Session(),
                                              region_name=REGION))
    return _SESSION[0]


@dataclass
class Sandbox:
    """What ``aws_sandbox`` hands back: clients and the names of what it created."""

    clock: SimClock | None = None
    tables: list[str] = field(default_factory=list)
    streams: list[str] = field(default_factory=list)
    queue_urls: dict[str, str] = field(default_factory=dict)
    moto_clock: MotoClock | None = None  # with a clock: what moto's streams have expired
    session: boto3.session.Session = field(default_factory=aws_session, repr=False)

    def client(self, service: str, **config) -> BaseClient:
        """A boto3 client for ``service``; keyword arguments go to ``client_config``."""
        settings = client_config(**config)
        if service in REGIONAL_ENDPOINT_ONLY:
            settings = settings.merge(Config(account_id_endpoint_mode="disabled"))
        client = self.session.client(service, config=settings)
        if self.clock is not None:
            route_retry_sleeps(client, self.clock)
        return client

    def own_client(self, service: str) -> BaseClient:
        """The sandbox's own client for ``service``, to set the world up and to read back
        what a run left in it: one a process, made once (a client costs milliseconds, more
        than most calls), shared by every sandbox. Never the code under test's, and nothing
        may register on it: its handlers would reach every later sandbox."""
        return own_client(service)

    def queue_arn(self, name: str) -> str:
        """The ARN of a sandbox queue (what redrive policies and destinations name)."""
        return queue_arn(name)

    def stream_arn(self, name: str) -> str:
        """The ARN of a sandbox stream (what Lambda's Kinesis events carry)."""
        return stream_arn(name)


# Each service's client for setting sandboxes up and reading them back: see ``own_client``.
_OWN_CLIENTS: dict[str, BaseClient] = {}


def own_client(service: str) -> BaseClient:
    """The process's plain client for ``service`` (see ``Sandbox.own_client``)."""
    if service not in _OWN_CLIENTS:
        _OWN_CLIENTS[service] = aws_session().client(service)
    return _OWN_CLIENTS[service]


def _create_tables(names: Iterable[str]) -> list[str]:
    names = list(names)
    for name in names:
        own_client("dynamodb").create_table(
            TableName=name,
            KeySchema=[{"AttributeName": TABLE_KEY, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": TABLE_KEY, "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    return names


def _create_streams(shards_by_stream: Mapping[str, int]) -> list[str]:
    for name, shards in shards_by_stream.items():
        own_client("kinesis").create_stream(StreamName=name, ShardCount=shards)
    return list(shards_by_stream)


def _create_queues(names: Iterable[str]) -> dict[str, str]:
    return {name: own_client("sqs").create_queue(QueueName=name)["QueueUrl"] for name in names}


@contextmanager
def _environment(overrides: Mapping[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in overrides}
    os.environ.update(overrides)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def drain_queue(sqs: BaseClient, queue_url: str) -> list[str]:
    """The bodies of every message a queue holds, taken out of it: a look at what a run left
    in a queue (its DLQ, say) once the run is over."""
    bodies: list[str] = []
    while messages := sqs.receive_message(QueueUrl=queue_url,
                                          MaxNumberOfMessages=SQS_BATCH_MAX_ENTRIES
                                          ).get("Messages", []):
        bodies += [message["Body"] for message in messages]
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(messages)])
    return bodies


@contextmanager
def aws_sandbox(
    *,
    tables: Iterable[str] = (),
    streams: Mapping[str, int] | Iterable[str] = (),
    queues: Iterable[str] = (),
    clock: SimClock | None = None,
) -> Iterator[Sandbox]:
    """A fresh moto world with these resources, torn down on exit.

    ``tables`` are DynamoDB tables keyed by a string ``id``; ``streams`` are Kinesis
    streams (a name, or a mapping of name to shard count); ``queues`` are SQS queues.
    """
    from moto import mock_aws  # importing moto takes ~0.6 s: only when a sandbox is made

    if not isinstance(streams, Mapping):
        streams = {name: 1 for name in streams}
    with ExitStack() as stack:
        stack.enter_context(_environment(FAKE_CREDENTIALS))
        stack.enter_context(mock_aws())
        stack.enter_context(kinesis_gaps_filled())
        stack.enter_context(message_move_tasks())
        moto_clock = stack.enter_context(moto_follows(clock)) if clock is not None else None
        yield Sandbox(
            clock=clock,
            tables=_create_tables(tables),
            streams=_create_streams(streams),
            queue_urls=_create_queues(queues),
            moto_clock=moto_clock,
        )
