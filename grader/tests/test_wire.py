"""What crosses the wire between the grader and the learner's process, by value."""

import base64
import time

import pytest
from botocore.config import Config

from grader.learner import LearnerProcess
from grader.wire import Codec, WireError
from resilience.sandbox import aws_sandbox

CONDITIONAL_PUT = """
def put_if_new(dynamodb, key):
    try:
        dynamodb.put_item(TableName="t", Item={"id": {"S": key}},
                          ConditionExpression="attribute_not_exists(id)")
        return "put"
    except dynamodb.exceptions.ConditionalCheckFailedException as error:
        return type(error).__name__
"""


def test_wire_carries_bytes_configs_and_numbered_mappings():
    codec = Codec(lambda handle, service=None: handle)
    value = {"data": b"\x00\xff", 3: "three", "config": Config(read_timeout=2.5)}
    decoded = codec.decode(codec.encode(value))
    assert decoded["data"] == b"\x00\xff" and decoded[3] == "three"
    assert decoded["config"].read_timeout == 2.5
    with pytest.raises(WireError):
        codec.decode({"$config": {"$dict": {"not_an_option": 1}}})
    with pytest.raises(WireError):
        codec.decode({"$bytes": base64.b64encode(b"x").decode() + "!"})


def test_a_clients_own_exceptions_can_be_caught_across_the_wire():
    """``except dynamodb.exceptions.ConditionalCheckFailedException`` works in the grader as
    it does in the learner's kernel: the proxy of a client offers its modeled exceptions."""
    process = LearnerProcess([{"label": "answer", "source": CONDITIONAL_PUT}], ["put_if_new"])
    try:
        process.wait_ready(time.monotonic() + 30)
        process.set_deadline(time.monotonic() + 30)
        put_if_new = process.namespace()["put_if_new"]
        with aws_sandbox(tables=["t"]) as aws:
            dynamodb = aws.client("dynamodb")
            assert put_if_new(dynamodb, "k") == "put"
            assert put_if_new(dynamodb, "k") == "ConditionalCheckFailedException"
    finally:
        process.close()


def test_the_course_records_cross_as_themselves_and_nothing_else_does():
    from resilience.models.overload import Request

    codec = Codec(lambda handle, service=None: handle)
    request = Request(7, 1, 2.5, 3.5)
    decoded = codec.decode(codec.encode({"request": request}))["request"]
    assert decoded == request and decoded.deadline_s == 3.5 and type(decoded) is Request
    for forged in (["os", "system", []], ["resilience.clock", "SimClock", []]):
        with pytest.raises(WireError):
            codec.decode({"$record": forged})


def test_messages_are_framed_whatever_chunks_the_pipe_delivers():
    """Several messages in one read, one message over many reads: each comes out whole."""
    import json
    import os
    import threading

    from grader.wire import Channel

    read_fd, write_fd = os.pipe()
    messages = [{"n": 1}, {"big": "x" * 300_000}, {"n": 3}, {"n": 4}]
    data = b"".join(json.dumps(m).encode() + b"\n" for m in messages)

    def trickle():
        for start in range(0, len(data), 4093):  # chunks that split lines anywhere
            os.write(write_fd, data[start:start + 4093])
        os.close(write_fd)

    writer = threading.Thread(target=trickle)
    writer.start()
    channel = Channel(read_fd, -1)
    received = [channel.receive(deadline=time.monotonic() + 10) for _ in messages]
    writer.join()
    os.close(read_fd)
    assert received == messages


def test_objects_that_stay_behind_the_boundary_are_shown_by_their_own_repr():
    """Feedback quoting a learner's numpy-like integer shows its repr, not a handle; the
    learner printing a client of the grader's sees its type, and the session goes on."""
    cells = [{"label": "answer", "source": (
        "class Odd:\n"
        "    def __repr__(self):\n"
        "        return 'Odd(3)'\n"
        "def make():\n"
        "    return Odd()\n"
        "def show(client):\n"
        "    return repr(client)\n")}]
    process = LearnerProcess(cells, exports=("make", "show"), cpu_seconds=20)
    try:
        process.wait_ready(time.monotonic() + 20)
        process.set_deadline(time.monotonic() + 20)
        namespace = process.namespace()
        assert repr(namespace["make"]()) == "Odd(3)"
        with aws_sandbox(queues=["q"]) as aws:
            assert namespace["show"](aws.client("sqs")) == "<SQS object>"
        assert repr(namespace["make"]()) == "Odd(3)"
    finally:
        process.close()
